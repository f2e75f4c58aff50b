"""Meter readings and the bills made from them (own meter with tiers, common meter shared)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from guanjia.billing.models import FeeStandardVersion, Meter, MeterReading, Method
from guanjia.billing.services import preview_run
from guanjia.billing.services.meters import confirm_reading, record_reading
from guanjia.estates.tests.factories import OwnershipFactory, UnitFactory

from .factories import FeeStandardFactory

D = dt.date


@pytest.fixture
def meter(world, unit):
    return Meter.objects.create(community=world.a, unit=unit, kind="water", number="W-1")


def read(world, meter, month, value, **kw):
    return record_reading(
        meter=meter,
        period=D(2024, month, 1),
        value=value,
        read_on=D(2024, month, 28),
        by=world.user("engineering_lead"),
        **kw,
    )


def test_a_reading_below_the_last_is_refused(world, meter, clock):
    read(world, meter, 1, "100")
    with pytest.raises(ValidationError) as info:
        read(world, meter, 2, "90")
    assert info.value.code == "reading_below_previous"
    assert MeterReading.objects.count() == 1


def test_a_replaced_meter_may_start_again_from_zero(world, meter, clock):
    read(world, meter, 1, "100")
    reading = read(world, meter, 2, "5", replacement=True, old_meter_final="112")
    assert reading.replacement
    assert not reading.flagged


@pytest.mark.parametrize("value", ["-1", "abc", "1.234", "NaN"])
def test_a_reading_that_is_not_a_number_of_at_least_zero_is_refused(world, meter, clock, value):
    with pytest.raises(ValidationError) as info:
        read(world, meter, 1, value)
    assert info.value.code == "bad_reading"
    assert not MeterReading.objects.exists()


def test_a_reading_far_above_the_average_is_flagged_until_confirmed(world, meter, clock):
    read(world, meter, 1, "100")
    read(world, meter, 2, "110")
    spike = read(world, meter, 3, "150")  # 40 against an average of 10, above 3×
    assert spike.flagged
    confirm_reading(reading=spike, by=world.user("engineering_lead"))
    spike.refresh_from_db()
    assert spike.confirmed_by is not None


def test_a_metered_fee_bills_the_use_by_tiers_and_warns_of_missing_readings(
    world, item, unit, meter, clock
):
    OwnershipFactory(unit=unit)
    standard = FeeStandardFactory(
        community=world.a, fee_item=item, method=Method.METERED, meter_kind="water"
    )
    FeeStandardVersion.objects.create(
        approval_status="approved",
        standard=standard,
        rate=Decimal("3"),
        effective_from=D(2020, 1, 1),
        tiers=[["10", "3"], [None, "4.5"]],
    )
    other = UnitFactory(community=world.a)
    read(world, meter, 2, "100")
    read(world, meter, 3, "115")
    preview = preview_run(community=world.a, period=D(2024, 3, 1), fee_item=item)
    assert [line.amount for line in preview.lines] == [Decimal("52.50")]  # 10×3 + 5×4.5
    assert f"{other.room_code} has no usable reading." in preview.warnings


def test_a_common_meter_is_shared_by_building_area(world, item, clock):
    small = UnitFactory(community=world.a, building_area=Decimal("50.00"), inner_area=None)
    large = UnitFactory(community=world.a, building_area=Decimal("100.00"), inner_area=None)
    common = Meter.objects.create(community=world.a, kind="electric", number="E-common")
    standard = FeeStandardFactory(
        community=world.a, fee_item=item, method=Method.COMMON_SHARE_AREA, common_meter=common
    )
    FeeStandardVersion.objects.create(
        approval_status="approved",
        standard=standard,
        rate=Decimal("0.68"),
        effective_from=D(2020, 1, 1),
    )
    read(world, common, 2, "1000")
    read(world, common, 3, "1100")
    preview = preview_run(community=world.a, period=D(2024, 3, 1), fee_item=item)
    amounts = {line.unit_id: line.amount for line in preview.lines}
    assert amounts == {small.pk: Decimal("22.67"), large.pk: Decimal("45.33")}


def test_a_shared_fee_without_a_common_reading_is_an_error(world, item, unit, clock):
    common = Meter.objects.create(community=world.a, kind="electric", number="E-common")
    standard = FeeStandardFactory(
        community=world.a, fee_item=item, method=Method.COMMON_SHARE_HOUSEHOLD, common_meter=common
    )
    FeeStandardVersion.objects.create(
        approval_status="approved",
        standard=standard,
        rate=Decimal("0.68"),
        effective_from=D(2020, 1, 1),
    )
    preview = preview_run(community=world.a, period=D(2024, 3, 1), fee_item=item)
    assert preview.errors
    assert "no usable reading" in preview.errors[0]


def _upload(world, rows):
    from guanjia.core.imports.services import upload_import
    from guanjia.core.imports.tests.factories import xlsx_upload

    return upload_import(
        kind="meter-readings",
        upload=xlsx_upload([["表号", "月份", "读数", "抄表日期", "换表"], *rows]),
        by=world.user("engineering_lead"),
        community=world.a,
    )


def test_readings_are_imported_from_excel(world, meter, clock):
    from guanjia.core.imports.services import commit_import

    batch = _upload(
        world,
        [
            ["W-1", "2024-01", "100", "2024-01-28", "否"],
            ["W-1", "2024-02", "112.5", "2024-02-27", "否"],
        ],
    )
    assert batch.status == "validated", batch.errors
    commit_import(batch=batch, by=world.user("engineering_lead"))
    assert list(MeterReading.objects.values_list("value", flat=True)) == [
        Decimal("100.00"),
        Decimal("112.50"),
    ]


def test_an_imported_reading_below_the_last_refuses_the_whole_file(world, meter, clock):
    from guanjia.core.imports.services import commit_import

    batch = _upload(
        world,
        [
            ["W-1", "2024-01", "100", "2024-01-28", "否"],
            ["W-1", "2024-02", "90", "2024-02-27", "否"],
        ],
    )
    batch = commit_import(batch=batch, by=world.user("engineering_lead"))
    assert batch.status == "failed"
    assert not MeterReading.objects.exists()


def test_an_unknown_meter_or_month_is_reported_by_row(world, meter, clock):
    batch = _upload(world, [["X-9", "2024-13", "100", "2024-01-28", "否"]])
    columns = {e["column"] for e in batch.errors}
    assert batch.status == "failed"
    assert {"meter", "period"} <= columns or len(batch.errors) >= 2

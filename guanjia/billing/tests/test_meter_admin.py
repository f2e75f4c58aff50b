"""Meters and tiers have a way in (issue 10): pages and API to create, change and replace
meters and to set a proposed rate's tiers, validated, scoped, with history."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from guanjia.billing.models import (
    FeeStandardVersion,
    Meter,
    MeterReading,
    MeterReplacement,
    Method,
)
from guanjia.billing.services import change_rate, preview_run
from guanjia.billing.services.meters import create_meter, record_reading, replace_meter
from guanjia.billing.services.standards import set_rate_tiers
from guanjia.estates.tests.factories import OwnershipFactory, UnitFactory

from .factories import FeeStandardFactory

D = dt.date


@pytest.fixture(autouse=True)
def _english(world):
    world.language = "en"


@pytest.fixture
def engineer(world):
    return world.user("engineering_lead")


@pytest.fixture
def meter(world, unit, engineer):
    return create_meter(community=world.a, unit=unit, kind="water", number="W-1", by=engineer)


def read(world, meter, month, value):
    return record_reading(
        meter=meter,
        period=D(2024, month, 1),
        value=value,
        read_on=D(2024, month, 28),
        by=world.user("engineering_lead"),
    )


def _post(world, role, name, body, pk=None):
    args = [pk] if pk is not None else []
    return world.client(role).post(reverse(f"billing:{name}", args=args), body)


def _api(world, role, method, name, body, pk=None):
    args = [pk] if pk is not None else []
    client = world.client(role)
    return getattr(client, method)(
        reverse(f"billing-api:{name}", args=args), body, content_type="application/json"
    )


NEW = {"kind": "water", "number": "W-9", "multiplier": "1", "initial_reading": "0"}


# Creating a meter


def test_the_engineering_lead_adds_a_unit_meter_and_a_common_meter(world, unit):
    response = _post(world, "engineering_lead", "meter-create", {**NEW, "unit": unit.room_code})
    assert response.status_code == 302
    own = Meter.objects.get(number="W-9")
    assert (own.unit, own.multiplier, own.is_active) == (unit, Decimal("1.00"), True)
    response = _post(
        world,
        "engineering_lead",
        "meter-create",
        {**NEW, "kind": "electric", "number": "E-公区", "multiplier": "40"},
    )
    assert response.status_code == 302
    common = Meter.objects.get(number="E-公区")
    assert (common.unit, common.multiplier) == (None, Decimal("40.00"))
    assert own.history.get().history_user == world.user("engineering_lead")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("kind", "steam", "Select a valid choice."),
        ("number", "", "This field is required."),
        ("number", "号" * 41, "at most 40 characters"),
        ("number", "W-1", "A meter with this number already exists."),
        ("multiplier", "0", "greater than or equal to 0.01"),
        ("multiplier", "abc", "Enter a number."),
        ("multiplier", "1.234", "no more than 2 decimal places"),
        ("initial_reading", "-1", "greater than or equal to 0"),
        ("installed_on", "2099-01-01", "The installation date cannot be in the future."),
        ("installed_on", "2024-02-30", "Enter a valid date."),
        ("unit", "9-9-9999", "No unit 9-9-9999 in this community"),
        ("unit", "__b__", "No unit"),
        ("unit", "__own__", "This unit already has an active meter of this type"),
    ],
)
def test_each_bad_field_of_a_new_meter_is_refused_with_its_message(
    world, meter, unit, field, value, message
):
    if value == "__b__":
        value = UnitFactory(community=world.b).room_code + "-B"
    if value == "__own__":
        value = unit.room_code
    before = Meter.objects.count(), Meter.history.count()
    response = _post(world, "engineering_lead", "meter-create", {**NEW, field: value})
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert (Meter.objects.count(), Meter.history.count()) == before


def test_the_api_creates_a_meter_and_refuses_bad_bodies(world, unit, meter):
    response = _api(
        world, "engineering_lead", "post", "meter-list", {"community": world.a.pk, **NEW}
    )
    assert response.status_code == 201
    assert (response.json()["number"], response.json()["unit"]) == ("W-9", None)
    for body, field, text in [
        ({"unit": unit.pk}, "unit", "This unit already has an active meter of this type"),
        ({"number": "W-1"}, "number", "A meter with this number already exists."),
        ({"multiplier": "-2"}, "multiplier", "greater than or equal to 0.01"),
        ({"multiplier": "1e400"}, "multiplier", "no more than 7 digits"),
        ({"kind": "steam"}, "kind", "is not a valid choice"),
        ({"initial_reading": "x"}, "initial_reading", "valid number"),
        ({"installed_on": "2099-01-01"}, "installed_on", "cannot be in the future"),
        ({"community": world.b.pk}, "community", "does not exist"),
        ({"unit": UnitFactory(community=world.b).pk}, "unit", "does not exist"),
    ]:
        response = _api(
            world,
            "engineering_lead",
            "post",
            "meter-list",
            {"community": world.a.pk, **NEW, "number": "W-10", **body},
        )
        assert response.status_code == 400, body
        assert text in str(response.json()[field]), (body, response.json())
    assert Meter.objects.count() == 2
    cashier = _api(world, "cashier", "post", "meter-list", {"community": world.a.pk, **NEW})
    assert cashier.status_code == 403


# Changing a meter


def test_a_change_is_kept_in_the_history_and_the_multiplier_is_fixed_by_readings(world, meter):
    body = {"number": "W-1a", "multiplier": "2", "installed_on": "2024-01-05", "is_active": "on"}
    response = _post(world, "engineering_lead", "meter-edit", body, meter.pk)
    assert response.status_code == 302
    meter.refresh_from_db()
    assert (meter.number, meter.multiplier) == ("W-1a", Decimal("2.00"))
    page = world.client("cashier").get(reverse("billing:meter-detail", args=[meter.pk]))
    html = page.content.decode()
    assert "number: W-1 → W-1a" in html
    assert world.user("engineering_lead").display_name in html
    read(world, meter, 1, "100")
    response = _post(world, "engineering_lead", "meter-edit", {**body, "multiplier": "5"}, meter.pk)
    assert response.status_code == 400
    assert "record a replacement to change its multiplier" in str(
        response.context["form"].errors["multiplier"]
    )
    response = _api(
        world, "engineering_lead", "patch", "meter-detail", {"multiplier": "5"}, meter.pk
    )
    assert response.status_code == 400
    assert "record a replacement" in str(response.json()["multiplier"])
    meter.refresh_from_db()
    assert meter.multiplier == Decimal("2.00")


def test_a_second_active_meter_of_a_unit_cannot_be_switched_on(world, unit, meter, engineer):
    old = Meter.objects.create(
        community=world.a, unit=unit, kind="water", number="W-old", is_active=False
    )
    response = _api(world, "engineering_lead", "patch", "meter-detail", {"is_active": True}, old.pk)
    assert response.status_code == 400
    assert "already has an active meter" in str(response.json()["is_active"])
    response = _api(world, "engineering_lead", "patch", "meter-detail", {"number": ""}, meter.pk)
    assert response.status_code == 400
    old.refresh_from_db()
    assert not old.is_active


# Replacing a meter


def test_a_replacement_records_both_readings_and_the_next_bill_counts_both_meters(
    world, item, unit, meter
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
    )
    read(world, meter, 2, "100")
    body = {
        "replaced_on": "2024-03-10",
        "final_reading": "104",
        "new_number": "W-2",
        "new_multiplier": "",
        "initial_reading": "1.5",
    }
    response = _post(world, "engineering_lead", "meter-replace", body, meter.pk)
    assert response.status_code == 302
    change = MeterReplacement.objects.get()
    assert (change.old_number, change.final_reading, change.new_number, change.initial_reading) == (
        "W-1",
        Decimal("104.00"),
        "W-2",
        Decimal("1.50"),
    )
    meter.refresh_from_db()
    assert (meter.number, meter.installed_on) == ("W-2", D(2024, 3, 10))
    reading = read(world, meter, 3, "7.5")  # below the old meter's 100: a new meter
    assert (reading.replacement, reading.old_meter_final, reading.new_meter_initial) == (
        True,
        Decimal("104.00"),
        Decimal("1.50"),
    )
    preview = preview_run(community=world.a, period=D(2024, 3, 1), fee_item=item)
    # (104 − 100) on the old meter + (7.5 − 1.5) on the new one = 10 × 3
    assert [line.amount for line in preview.lines] == [Decimal("30.00")]
    page = world.client("cashier").get(reverse("billing:meter-detail", args=[meter.pk]))
    assert "104.00" in page.content.decode()


def test_the_multiplier_multiplies_the_use(world, item, unit, engineer):
    OwnershipFactory(unit=unit)
    big = create_meter(
        community=world.a, unit=unit, kind="electric", number="E-1", multiplier="40", by=engineer
    )
    standard = FeeStandardFactory(
        community=world.a, fee_item=item, method=Method.METERED, meter_kind="electric"
    )
    FeeStandardVersion.objects.create(
        approval_status="approved",
        standard=standard,
        rate=Decimal("0.5"),
        effective_from=D(2020, 1, 1),
    )
    read(world, big, 2, "10")
    read(world, big, 3, "12.5")
    preview = preview_run(community=world.a, period=D(2024, 3, 1), fee_item=item)
    assert [line.amount for line in preview.lines] == [Decimal("50.00")]  # 2.5 × 40 × 0.5


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("replaced_on", "", "This field is required."),
        ("replaced_on", "2099-01-01", "The replacement date cannot be in the future."),
        ("replaced_on", "2024-02-01", "The meter was read on 2024-02-28, after this replacement"),
        ("final_reading", "99", "The final reading 99.00 is below the last reading (100.00)."),
        ("final_reading", "abc", "Enter a number."),
        ("new_number", "", "This field is required."),
        ("new_number", "W-1", "The new meter needs its own number."),
        ("new_number", "W-taken", "A meter with this number already exists."),
        ("new_multiplier", "0", "greater than or equal to 0.01"),
        ("initial_reading", "-3", "greater than or equal to 0"),
    ],
)
def test_each_bad_field_of_a_replacement_is_refused_and_nothing_changes(
    world, meter, engineer, field, value, message
):
    create_meter(community=world.a, kind="water", number="W-taken", by=engineer)
    read(world, meter, 2, "100")
    body = {
        "replaced_on": "2024-03-10",
        "final_reading": "104",
        "new_number": "W-2",
        "initial_reading": "0",
        field: value,
    }
    response = _post(world, "engineering_lead", "meter-replace", body, meter.pk)
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    meter.refresh_from_db()
    assert (meter.number, MeterReplacement.objects.count()) == ("W-1", 0)


def test_the_api_replaces_once_per_reading_and_refuses_a_stale_second_replacement(world, meter):
    body = {
        "replaced_on": "2024-03-10",
        "final_reading": "4",
        "new_number": "W-2",
        "initial_reading": "0",
    }
    response = _api(world, "engineering_lead", "post", "meter-replace", body, meter.pk)
    assert response.status_code == 201
    assert response.json()["new_number"] == "W-2"
    again = _api(
        world, "engineering_lead", "post", "meter-replace", {**body, "new_number": "W-3"}, meter.pk
    )
    assert again.status_code == 400
    assert again.json()["code"] == "replaced_twice"
    bad = _api(world, "engineering_lead", "post", "meter-replace", {"final_reading": "x"}, meter.pk)
    assert bad.status_code == 400
    assert set(bad.json()) == {"replaced_on", "final_reading", "new_number", "initial_reading"}
    assert MeterReplacement.objects.count() == 1
    assert MeterReading.objects.count() == 0


def test_a_replacement_is_one_transaction(world, meter, engineer, monkeypatch):
    from guanjia.billing.models import Meter as MeterModel

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(MeterModel, "full_clean", fail)
    with pytest.raises(RuntimeError):
        replace_meter(
            meter=meter,
            replaced_on=D(2024, 3, 1),
            final_reading="3",
            new_number="W-2",
            initial_reading="0",
            by=engineer,
        )
    assert MeterReplacement.objects.count() == 0


# Scope and roles


def test_another_communitys_meter_is_a_404_and_a_cashier_may_not_change_one(world, engineer):
    other = Meter.objects.create(community=world.b, kind="water", number="W-b")
    client = world.client("engineering_lead")
    for name in ("meter-detail", "meter-edit", "meter-replace"):
        assert client.get(reverse(f"billing:{name}", args=[other.pk])).status_code == 404
    assert client.get(reverse("billing-api:meter-detail", args=[other.pk])).status_code == 404
    mine = Meter.objects.create(community=world.a, kind="water", number="W-a")
    cashier = world.client("cashier")
    assert cashier.get(reverse("billing:meter-edit", args=[mine.pk])).status_code == 403
    response = _api(world, "cashier", "patch", "meter-detail", {"number": "x"}, mine.pk)
    assert response.status_code == 403
    mine.refresh_from_db()
    assert mine.number == "W-a"


def test_the_meter_list_shows_the_current_community_and_filters(
    world, engineer, django_assert_max_num_queries
):
    for n in range(12):
        create_meter(
            community=world.a,
            unit=UnitFactory(community=world.a),
            kind="water",
            number=f"W-{n:02}",
            by=engineer,
        )
    create_meter(community=world.a, kind="electric", number="E-公区", by=engineer)
    Meter.objects.create(community=world.b, kind="water", number="W-b")
    client = world.client("cashier")
    with django_assert_max_num_queries(14):
        page = client.get(reverse("billing:meter-list"))
    assert page.context["paginator"].count == 13
    common = client.get(reverse("billing:meter-list"), {"common": "true"})
    assert [m.number for m in common.context["object_list"]] == ["E-公区"]
    with django_assert_max_num_queries(11):
        api = client.get(reverse("billing-api:meter-list"), {"kind": "water"})
    assert api.json()["count"] == 12
    assert "W-b" not in str(api.json())


# Tiers


@pytest.fixture
def metered_rate(world, item):
    standard = FeeStandardFactory(
        community=world.a, fee_item=item, method=Method.METERED, meter_kind="water"
    )
    return change_rate(
        standard=standard, rate="3", effective_from=D(2030, 1, 1), by=world.user("cashier")
    )


def _tier_body(*rows):
    body = {"tiers-TOTAL_FORMS": str(len(rows)), "tiers-INITIAL_FORMS": "0"}
    for index, (up_to, rate) in enumerate(rows):
        body[f"tiers-{index}-up_to"] = up_to
        body[f"tiers-{index}-rate"] = rate
    return body


def test_tiers_are_set_on_a_proposed_rate_and_the_editor_becomes_its_proposer(world, metered_rate):
    response = _post(
        world,
        "finance",
        "version-tiers",
        _tier_body(("10", "3"), ("20", "4"), ("", "5.5")),
        metered_rate.pk,
    )
    assert response.status_code == 302
    metered_rate.refresh_from_db()
    assert metered_rate.tiers == [["10.00", "3.0000"], ["20.00", "4.0000"], [None, "5.5000"]]
    assert metered_rate.proposed_by == world.user("finance")
    assert metered_rate.events.last().note == "Tiers changed"
    api = world.client("cashier").get(reverse("billing-api:version-tiers", args=[metered_rate.pk]))
    assert api.json()["tiers"][2] == {"up_to": None, "rate": "5.5000"}


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            (("10", "3"), ("5", "4"), ("", "5")),
            "Tier 2: its upper limit must be above the previous",
        ),
        (
            (("10", "3"), ("10", "4"), ("", "5")),
            "Tier 2: its upper limit must be above the previous",
        ),
        ((("10", "3"), ("", "4"), ("", "5")), "Tier 2 needs an upper limit"),
        ((("10", "3"), ("20", "4")), "The last tier has no upper limit"),
        ((("10", ""), ("", "4")), "Tier 1: a rate above zero"),
        ((("10", "0"), ("", "4")), "Ensure this value is greater than or equal to 0.0001"),
        ((("10", "3.12345"), ("", "4")), "no more than 4 decimal places"),
        ((("0", "3"), ("", "4")), "Ensure this value is greater than or equal to 0.01"),
        ((("abc", "3"), ("", "4")), "Enter a number."),
    ],
)
def test_each_bad_tier_table_is_refused_with_its_message(world, metered_rate, rows, message):
    response = _post(world, "cashier", "version-tiers", _tier_body(*rows), metered_rate.pk)
    assert response.status_code == 400
    assert message in response.content.decode().replace("&#x27;", "'")
    metered_rate.refresh_from_db()
    assert metered_rate.tiers == []


@pytest.mark.parametrize(
    ("tiers", "code_text"),
    [
        (
            [{"up_to": "10", "rate": "3"}, {"up_to": "5", "rate": "4"}, {"rate": "5"}],
            "must be above the previous",
        ),
        ([{"up_to": "10", "rate": "-3"}, {"up_to": None, "rate": "4"}], "a rate above zero"),
        ([{"up_to": "1e999", "rate": "3"}, {"up_to": None, "rate": "4"}], "an upper limit above"),
        ([{"up_to": "10", "rate": "NaN"}, {"up_to": None, "rate": "4"}], "a rate above zero"),
        ([{"up_to": None, "rate": "4"}] * 11, "no more than 10"),
        ("flat", "Expected a list"),
    ],
)
def test_the_api_refuses_each_bad_tier_table(world, metered_rate, tiers, code_text):
    response = _api(world, "cashier", "put", "version-tiers", {"tiers": tiers}, metered_rate.pk)
    assert response.status_code == 400
    assert code_text in str(response.json())
    metered_rate.refresh_from_db()
    assert metered_rate.tiers == []


def test_tiers_only_for_a_metered_rate_awaiting_approval(world, item, metered_rate):
    finance = world.user("finance")
    flat = change_rate(
        standard=FeeStandardFactory(community=world.a, fee_item=item),
        rate="2.5",
        effective_from=D(2030, 1, 1),
        by=world.user("cashier"),
    )
    rows = [["10", "3"], [None, "4"]]
    response = _api(
        world,
        "cashier",
        "put",
        "version-tiers",
        {"tiers": [{"up_to": "10", "rate": "3"}, {"up_to": None, "rate": "4"}]},
        flat.pk,
    )
    assert response.status_code == 400
    assert "Only a metered or shared standard has tiers." in str(response.json())
    from guanjia.billing.services.approvals import approve_version

    approve_version(version=metered_rate, by=finance, approval_ref="深价备〔2030〕1号")
    with pytest.raises(ValidationError, match="propose a new rate instead"):
        set_rate_tiers(version=metered_rate, tiers=rows, by=world.user("cashier"))
    other = change_rate(
        standard=FeeStandardFactory(
            community=world.b, fee_item=item, method=Method.METERED, meter_kind="water"
        ),
        rate="3",
        effective_from=D(2030, 1, 1),
        by=world.user("finance"),
    )
    client = world.client("cashier")
    assert client.get(reverse("billing:version-tiers", args=[other.pk])).status_code == 404
    engineer = world.client("engineering_lead")
    assert engineer.get(reverse("billing:version-tiers", args=[metered_rate.pk])).status_code == 403


# Apportionment sets (公摊范围)


@pytest.fixture
def common(world, engineer):
    return create_meter(community=world.a, kind="electric", number="E-公区", by=engineer)


def test_a_common_meter_is_shared_by_its_set_only(world, item, common, engineer):
    small = UnitFactory(community=world.a, building_area=Decimal("50.00"), inner_area=None)
    large = UnitFactory(community=world.a, building_area=Decimal("100.00"), inner_area=None)
    outside = UnitFactory(community=world.a, building_area=Decimal("80.00"), inner_area=None)
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
    body = {"name": "1栋楼道灯", "rooms": f"{small.room_code}\n{large.room_code}"}
    response = _post(world, "engineering_lead", "meter-apportionment", body, common.pk)
    assert response.status_code == 302
    preview = preview_run(community=world.a, period=D(2024, 3, 1), fee_item=item)
    amounts = {line.unit_id: line.amount for line in preview.lines}
    assert amounts == {small.pk: Decimal("22.67"), large.pk: Decimal("45.33")}
    assert outside.pk not in amounts
    page = world.client("cashier").get(reverse("billing:meter-detail", args=[common.pk]))
    assert small.room_code in page.content.decode()
    group = common.apportionment
    assert group.history.count() >= 1
    assert group.history.first().history_user == engineer


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"name": ""}, "name", "This field is required."),
        ({"name": "名" * 61}, "name", "at most 60 characters"),
        ({"rooms": ""}, "rooms", "This field is required."),
        ({"rooms": "9-9-9999"}, "rooms", "No unit 9-9-9999 in this community"),
        ({"rooms": "__b__"}, "rooms", "No unit"),
        ({"rooms": "__twice__"}, "rooms", "A unit is listed twice."),
    ],
)
def test_each_bad_field_of_a_sharing_set_is_refused(world, common, body, field, message):
    unit = UnitFactory(community=world.a)
    if body.get("rooms") == "__b__":
        body = {"rooms": UnitFactory(community=world.b).room_code + "-X"}
    if body.get("rooms") == "__twice__":
        body = {"rooms": f"{unit.room_code}, {unit.room_code}"}
    full = {"name": "公摊", "rooms": unit.room_code, **body}
    response = _post(world, "engineering_lead", "meter-apportionment", full, common.pk)
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert (
        not type(common)
        .objects.get(pk=common.pk)
        .__class__.objects.filter(apportionment__isnull=False)
        .exists()
    )


def test_the_api_sets_the_sharing_units_and_refuses_bad_bodies(world, unit, meter, common):
    other = UnitFactory(community=world.a)
    body = {"name": "公摊", "units": [unit.pk, other.pk]}
    response = _api(world, "engineering_lead", "put", "meter-apportionment", body, common.pk)
    assert response.status_code == 200
    assert response.json()["units"] == sorted([unit.pk, other.pk])
    for bad, text in [
        ({"units": []}, "Choose at least one unit"),
        ({"units": [unit.pk, unit.pk]}, "A unit is listed twice."),
        ({"units": [UnitFactory(community=world.b).pk]}, "does not exist"),
        ({"units": ["x"]}, "Incorrect type"),
        ({"name": ""}, "may not be blank"),
    ]:
        response = _api(
            world, "engineering_lead", "put", "meter-apportionment", {**body, **bad}, common.pk
        )
        assert response.status_code == 400, bad
        assert text in str(response.json()), (bad, response.json())
    own = _api(world, "engineering_lead", "put", "meter-apportionment", body, meter.pk)
    assert own.status_code == 400
    assert "Only a common meter" in str(own.json())
    cashier = _api(world, "cashier", "put", "meter-apportionment", body, common.pk)
    assert cashier.status_code == 403
    assert sorted(common.apportionment.units.values_list("pk", flat=True)) == sorted(
        [unit.pk, other.pk]
    )

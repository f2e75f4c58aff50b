"""Fee items, standards and rate versions: bad input is refused with a clear message."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from guanjia.billing.models import FeeItem, FeeStandardVersion
from guanjia.billing.services import add_rate_version, change_rate, create_fee_item
from guanjia.billing.services.approvals import approve_version

from .factories import FeeStandardFactory, FeeStandardVersionFactory

D = dt.date


@pytest.fixture
def standard(world, item):
    return FeeStandardFactory(community=world.a, fee_item=item)


@pytest.mark.parametrize(
    ("rate", "code"),
    [
        ("0", "rate_not_positive"),
        ("-1.5", "rate_not_positive"),
        ("abc", "bad_rate"),
        ("1.23456", "rate_precision"),
        ("NaN", "rate_not_positive"),
    ],
)
def test_a_bad_rate_is_refused(world, standard, rate, code):
    with pytest.raises(ValidationError) as info:
        add_rate_version(
            standard=standard, rate=rate, effective_from=D(2024, 1, 1), by=world.user("finance")
        )
    assert info.value.code == code
    assert not FeeStandardVersion.objects.exists()


def test_a_rate_without_an_effective_date_is_refused(world, standard):
    with pytest.raises(ValidationError) as info:
        add_rate_version(
            standard=standard, rate="2.5", effective_from=None, by=world.user("finance")
        )
    assert info.value.code == "no_effective_date"


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (D(2024, 6, 1), None),
        (D(2023, 1, 1), D(2024, 1, 1)),
        (D(2023, 1, 1), None),
    ],
)
def test_overlapping_versions_are_refused(world, standard, start, end):
    FeeStandardVersionFactory(standard=standard, effective_from=D(2024, 1, 1))
    with pytest.raises(ValidationError) as info:
        add_rate_version(
            standard=standard,
            rate="3",
            effective_from=start,
            effective_to=end,
            by=world.user("finance"),
        )
    assert info.value.code == "overlapping_versions"
    assert FeeStandardVersion.objects.count() == 1


def test_an_end_before_the_start_is_refused(world, standard):
    with pytest.raises(ValidationError) as info:
        add_rate_version(
            standard=standard,
            rate="3",
            effective_from=D(2024, 2, 1),
            effective_to=D(2024, 1, 1),
            by=world.user("finance"),
        )
    assert info.value.code == "bad_span"


def test_a_rate_change_ends_the_open_version_the_day_before(world, standard):
    first = FeeStandardVersionFactory(standard=standard, effective_from=D(2024, 1, 1))
    new = change_rate(
        standard=standard, rate="3.1", effective_from=D(2024, 3, 16), by=world.user("cashier")
    )
    first.refresh_from_db()
    assert first.effective_to is None  # until finance approves the new rate
    approve_version(version=new, by=world.user("finance"), approval_ref="物价备案 2024-03")
    first.refresh_from_db()
    assert first.effective_to == D(2024, 3, 15)
    assert new.rate == Decimal("3.1000")


def test_a_duplicate_fee_item_code_is_refused(world, item):
    with pytest.raises(ValidationError, match="already exists"):
        create_fee_item(
            company=world.company,
            code=item.code,
            name="x",
            category="service",
            by=world.user("finance"),
        )
    assert FeeItem.objects.count() == 1

"""Pages for flagged meter readings, a unit's fee exceptions and a standard's rate versions."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from guanjia.billing.models import FeeStandardVersion, Meter, MeterReading, UnitFeeException
from guanjia.estates.tests.factories import UnitFactory

from .factories import FeeStandardFactory, FeeStandardVersionFactory

MAR = dt.date(2024, 3, 1)


@pytest.fixture(autouse=True)
def _english_pages(world):
    """These tests read the English message ids on the pages."""
    world.language = "en"


def _reading(world, community, *, flagged=True, number="W1"):
    meter = Meter.objects.create(community=community, kind="water", number=number)
    return MeterReading.objects.create(
        community=community,
        meter=meter,
        period=MAR,
        value=Decimal("900"),
        read_on=MAR,
        flagged=flagged,
        created_by=world.user("engineering_lead"),
    )


@pytest.fixture
def standard(world, item):
    standard = FeeStandardFactory(community=world.a, fee_item=item, name="住宅")
    FeeStandardVersionFactory(standard=standard, rate=Decimal("2.5"))
    return standard


# Flagged readings


def test_the_flagged_list_shows_only_unconfirmed_flagged_readings_of_the_community(
    world, django_assert_max_num_queries
):
    flagged = [_reading(world, world.a, number=f"W-FLAG{n}") for n in range(5)]
    _reading(world, world.a, flagged=False, number="W-OK")
    _reading(world, world.b, number="W-OTHER")
    client = world.client("engineering_lead")
    with django_assert_max_num_queries(30):
        response = client.get(reverse("billing:reading-flagged"))
    assert response.status_code == 200
    assert set(response.context["readings"]) == set(flagged)


def test_confirming_a_flagged_reading_records_who_confirmed_it(world):
    reading = _reading(world, world.a)
    response = world.client("engineering_lead").post(
        reverse("billing:reading-confirm", args=[reading.pk]), follow=True
    )
    reading.refresh_from_db()
    assert reading.confirmed_by == world.user("engineering_lead")
    assert "Reading confirmed: it will be billed." in response.content.decode()
    assert reading not in response.context["readings"]


def test_the_cashier_may_confirm_a_flagged_reading(world):
    reading = _reading(world, world.a)
    world.client("cashier").post(reverse("billing:reading-confirm", args=[reading.pk]))
    reading.refresh_from_db()
    assert reading.confirmed_by == world.user("cashier")


def test_confirming_an_unflagged_reading_is_refused_with_a_message(world):
    reading = _reading(world, world.a, flagged=False)
    response = world.client("engineering_lead").post(
        reverse("billing:reading-confirm", args=[reading.pk]), follow=True
    )
    reading.refresh_from_db()
    assert reading.confirmed_by is None
    assert "This reading needs no confirmation." in response.content.decode()


def test_confirming_another_communitys_reading_answers_404(world):
    reading = _reading(world, world.b)
    response = world.client("engineering_lead").post(
        reverse("billing:reading-confirm", args=[reading.pk])
    )
    reading.refresh_from_db()
    assert response.status_code == 404
    assert reading.confirmed_by is None


def test_confirming_a_reading_that_does_not_exist_answers_404(world):
    response = world.client("engineering_lead").post(reverse("billing:reading-confirm", args=[999]))
    assert response.status_code == 404


def test_a_technician_may_not_confirm_a_reading(world):
    reading = _reading(world, world.a)
    response = world.client("technician").post(
        reverse("billing:reading-confirm", args=[reading.pk])
    )
    reading.refresh_from_db()
    assert response.status_code == 403
    assert reading.confirmed_by is None


# Per-unit fee exceptions


def test_the_statement_links_to_the_units_exceptions(world, unit):
    response = world.client("cashier").get(reverse("billing:unit-statement", args=[unit.pk]))
    assert reverse("billing:unit-exceptions", args=[unit.pk]) in response.content.decode()


def test_an_exemption_and_an_own_rate_are_added_and_listed(
    world, unit, standard, django_assert_max_num_queries
):
    client = world.client("cashier")
    url = reverse("billing:unit-exception-create", args=[unit.pk])
    body = {"standard": standard.pk, "starts_on": "2024-03-01", "ends_on": "2024-03-15"}
    response = client.post(url, {**body, "reason": "业委会决议"})
    assert response["Location"] == reverse("billing:unit-exceptions", args=[unit.pk])
    body = {"standard": standard.pk, "starts_on": "2024-04-01", "rate": "1.2"}
    client.post(url, {**body, "reason": "商铺"})
    exempt, own = UnitFeeException.objects.order_by("starts_on")
    assert (exempt.rate, exempt.ends_on, exempt.reason) == (
        None,
        dt.date(2024, 3, 15),
        "业委会决议",
    )
    assert (own.rate, own.ends_on) == (Decimal("1.2000"), None)
    assert own.created_by == world.user("cashier")
    with django_assert_max_num_queries(30):
        response = client.get(reverse("billing:unit-exceptions", args=[unit.pk]))
    page = response.content.decode()
    assert "Exempt" in page
    assert "1.2000" in page


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"starts_on": ""}, "starts_on", "This field is required."),
        ({"starts_on": "2024-02-30"}, "starts_on", "Enter a valid date."),
        ({"ends_on": "2024-02-01"}, "ends_on", "The end date must not be before the start date."),
        ({"reason": ""}, "reason", "This field is required."),
        ({"rate": "abc"}, "rate", "Enter a number."),
        ({"rate": "1.23456"}, "rate", "Ensure that there are no more than 4 decimal places."),
        (
            {"standard": "999999"},
            "standard",
            "Select a valid choice. That choice is not one of the available choices.",
        ),
    ],
)
def test_a_bad_exception_is_refused_with_its_message(world, unit, standard, change, field, message):
    body = {"standard": standard.pk, "starts_on": "2024-03-01", "reason": "决议", **change}
    response = world.client("cashier").post(
        reverse("billing:unit-exception-create", args=[unit.pk]), body
    )
    assert response.status_code == 400
    assert message in response.context["form"].errors[field]
    assert not UnitFeeException.objects.exists()


@pytest.mark.parametrize(
    ("rate", "message"),
    [("0", "A rate must be above zero."), ("-1", "A rate must be above zero.")],
)
def test_a_rate_that_is_not_positive_is_refused(world, unit, standard, rate, message):
    body = {"standard": standard.pk, "starts_on": "2024-03-01", "reason": "决议", "rate": rate}
    response = world.client("cashier").post(
        reverse("billing:unit-exception-create", args=[unit.pk]), body
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not UnitFeeException.objects.exists()


def test_an_overlapping_exception_is_refused_with_its_message(world, unit, standard):
    client = world.client("cashier")
    url = reverse("billing:unit-exception-create", args=[unit.pk])
    client.post(url, {"standard": standard.pk, "starts_on": "2024-03-01", "reason": "决议"})
    response = client.post(
        url,
        {"standard": standard.pk, "starts_on": "2024-05-01", "ends_on": "", "reason": "再次"},
    )
    assert response.status_code == 400
    assert "This unit already has an exception for these dates." in response.content.decode()
    assert UnitFeeException.objects.count() == 1


def test_another_communitys_standard_is_not_a_choice(world, unit, item):
    other = FeeStandardFactory(community=world.b, fee_item=item)
    response = world.client("cashier").post(
        reverse("billing:unit-exception-create", args=[unit.pk]),
        {"standard": other.pk, "starts_on": "2024-03-01", "reason": "决议"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["standard"]
    assert not UnitFeeException.objects.exists()


def test_another_communitys_unit_answers_404(world, standard):
    other = UnitFactory(community=world.b)
    response = world.client("cashier").post(
        reverse("billing:unit-exception-create", args=[other.pk]),
        {"standard": standard.pk, "starts_on": "2024-03-01", "reason": "决议"},
    )
    assert response.status_code == 404
    assert (
        world.client("cashier").get(reverse("billing:unit-exceptions", args=[other.pk])).status_code
        == 404
    )
    assert not UnitFeeException.objects.exists()


def test_a_reader_sees_exceptions_without_the_form(world, unit, standard):
    response = world.client("supervisor").get(reverse("billing:unit-exceptions", args=[unit.pk]))
    assert response.status_code == 200
    assert not response.context["can_add"]
    assert "Save exception" not in response.content.decode()


# Rate versions on the standard's page


def test_a_new_rate_ends_the_open_version_from_the_standards_page(world, standard):
    response = world.client("cashier").post(
        reverse("billing:version-create", args=[standard.pk]),
        {"rate": "3.0", "effective_from": "2024-03-16"},
    )
    assert response.status_code == 302
    old, new = standard.versions.order_by("effective_from")
    assert old.effective_to is None  # until finance approves the new rate
    world.client("finance").post(
        reverse("billing:version-approve", args=[new.pk]), {"approval_ref": "物价备案 2024-03"}
    )
    old.refresh_from_db()
    assert old.effective_to == dt.date(2024, 3, 15)
    assert (new.rate, new.effective_from, new.effective_to) == (
        Decimal("3.0000"),
        dt.date(2024, 3, 16),
        None,
    )


def test_an_overlapping_rate_version_is_refused_with_its_message(world, standard):
    response = world.client("cashier").post(
        reverse("billing:version-create", args=[standard.pk]),
        {"rate": "3.0", "effective_from": "2019-06-01", "effective_to": "2020-06-30"},
    )
    assert response.status_code == 400
    assert (
        "This rate overlaps another version of the standard: end that one first."
        in response.content.decode()
    )
    assert FeeStandardVersion.objects.filter(standard=standard).count() == 1
    assert standard.versions.get().effective_to is None

"""The collection reports (spec §10): the formulas with numbers, the waiver option, the page,
the Excel export, bad periods and a query count that does not grow with the units.

Unit 甲 owes January's service fee 100.00, February's 100.00 and water 30.50 (conftest); March
bills 100.00 more; today (2024-03-20) the owner pays 150.00: January 100.00, February's water
30.50 and 19.50 of February's service fee (oldest first, water before service)."""

import datetime as dt
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from guanjia.billing.models import EntryKind
from guanjia.billing.services import Posting, post_entries
from guanjia.cashier.selectors.collection import (
    ageing,
    annual_rate,
    collection_report,
    household_rate,
    rates,
)

from .factories import charge, item, owned_unit, pay

pytestmark = pytest.mark.usefixtures("no_late_fees")
JAN, MAR = dt.date(2024, 1, 1), dt.date(2024, 3, 1)


@pytest.fixture
def paid(unit, cashier, service):
    charge(unit, service, MAR, "100.00", cashier)
    pay(unit, "150.00", cashier)
    return unit


def test_the_rates_of_march(world, paid):
    march = rates(world.a, MAR, MAR)
    assert (march.current.numerator, march.current.denominator) == (Decimal("0"), Decimal("100.00"))
    assert march.current.rate == Decimal("0.0")
    assert (march.recovery.numerator, march.recovery.denominator) == (
        Decimal("150.00"),
        Decimal("230.50"),
    )
    assert march.recovery.rate == Decimal("65.1")
    assert (march.overall.numerator, march.overall.denominator) == (
        Decimal("150.00"),
        Decimal("330.50"),
    )
    assert march.overall.rate == Decimal("45.4")


def test_the_rates_of_the_quarter(world, paid):
    quarter = rates(world.a, JAN, MAR)
    assert (quarter.current.numerator, quarter.current.denominator) == (
        Decimal("150.00"),
        Decimal("330.50"),
    )
    assert quarter.recovery.rate is None  # nothing was owed before January


def test_household_and_annual_rates(world, paid, cashier, service):
    other = owned_unit(world.a, "李业主")
    charge(other, service, MAR, "80.00", cashier)
    pay(other, "80.00", cashier)
    household = household_rate(world.a, MAR, MAR)
    assert (household.numerator, household.denominator) == (Decimal("1"), Decimal("2"))
    annual = annual_rate(world.a, 2024, dt.date(2024, 3, 20))
    assert (annual.numerator, annual.denominator) == (Decimal("230.00"), Decimal("410.50"))
    before = annual_rate(world.a, 2024, dt.date(2024, 2, 29))
    assert before.numerator == Decimal("0")


def test_waivers_count_as_collected_only_when_asked(world, paid, cashier, service):
    post_entries(
        community=world.a,
        by=cashier,
        postings=[
            Posting(
                unit_id=paid.pk,
                fee_item_id=service.pk,
                period=MAR,
                kind=EntryKind.WAIVER,
                amount=Decimal("-20.00"),
                bill_ref="bill:2024-03",
            )
        ],
    )
    assert rates(world.a, MAR, MAR).current.numerator == Decimal("0")
    assert rates(world.a, MAR, MAR, waivers=True).current.numerator == Decimal("20.00")


def test_ageing(world, unit, cashier, service):
    charge(unit, service, dt.date(2023, 1, 1), "40.00", cashier)  # 15 months old
    charge(unit, service, dt.date(2023, 10, 1), "60.00", cashier)  # 6 months old
    aged = dict(ageing(world.a, dt.date(2024, 3, 20)).buckets)
    assert aged == {
        "1-3": Decimal("230.50"),
        "4-6": Decimal("60.00"),
        "7-12": Decimal("0.00"),
        ">12": Decimal("40.00"),
    }


def test_the_report_has_every_section(world, paid, cashier):
    report = collection_report(world.a, MAR, MAR)
    assert [(a.label, a.total) for a in report.by_method] == [("Cash", Decimal("150.00"))]
    assert [a.total for a in report.by_cashier] == [Decimal("150.00")]
    assert [d.outstanding for d in report.top_debtors] == [Decimal("180.50")]
    assert report.by_building[0].current.denominator == Decimal("100.00")
    assert report.prepaid.total == Decimal("0.00")


def test_the_page_and_the_export(world, paid):
    client = world.client("cashier")
    page = client.get(reverse("cashier:collection"), {"start": "2024-03", "end": "2024-03"})
    assert page.status_code == 200
    assert "65.1%" in page.text
    assert "<svg" in page.text
    export = client.get(
        reverse("cashier:collection-export"), {"start": "2024-03", "end": "2024-03"}
    )
    assert export.status_code == 200
    sheet = load_workbook(BytesIO(export.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert any(row[2] == "150.00" and row[3] == "230.50" for row in rows)


@pytest.mark.parametrize(
    "query",
    [
        {"start": "2024-13", "end": "2024-03"},
        {"start": "2024-04", "end": "2024-03"},
        {"start": "2023-01", "end": "2024-03"},
        {"start": "2024-03", "end": "2024-03", "year": "abc"},
        {"start": "2024-03", "end": "2024-03", "cutoff": "2024-02-30"},
    ],
)
def test_a_bad_period_is_refused(world, query):
    client = world.client("finance")
    assert client.get(reverse("cashier:collection"), query).status_code == 400
    assert client.get(reverse("cashier:collection-export"), query).status_code == 400


def test_roles(world):
    assert world.client("receptionist").get(reverse("cashier:collection")).status_code == 403
    assert world.client("cashier").get(reverse("cashier:collection")).status_code == 200


def test_the_page_query_count_does_not_grow_with_units(
    world, paid, cashier, service, django_assert_max_num_queries
):
    client = world.client("finance")
    query = {"start": "2024-01", "end": "2024-03"}
    client.get(reverse("cashier:collection"), query)
    for _n in range(15):
        u = owned_unit(world.a)
        charge(u, item(world.a, "service", "物业服务费"), MAR, "10.00", cashier)
        pay(u, "5.00", cashier)
    with django_assert_max_num_queries(24):
        assert client.get(reverse("cashier:collection"), query).status_code == 200

"""The billing overview: selectors' exact figures, the page (charts over tables), empty and
bad input, another community's data, Chinese, and a query count that does not grow."""

import datetime as dt
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guanjia.billing.models import BillingRun, EntryKind, RunStatus
from guanjia.billing.selectors import (
    arrears_by_building,
    arrears_by_community,
    arrears_by_fee_item,
    billed_by_month,
    billing_overview,
)
from guanjia.billing.services import Posting, post_entries
from guanjia.estates.tests.factories import BuildingFactory, UnitFactory

from .factories import FeeItemFactory

URL = "/billing/"
FEB, MAR = dt.date(2024, 2, 1), dt.date(2024, 3, 1)
SVG = "{http://www.w3.org/2000/svg}"


def _run(community, item, period, total, by, status=RunStatus.POSTED):
    return BillingRun.objects.create(
        community=community,
        period=period,
        fee_item=item,
        status=status,
        posted_by=by,
        total=Decimal(total),
    )


def _post(community, by, *rows):
    post_entries(
        community=community,
        by=by,
        postings=[
            Posting(unit_id=u.pk, fee_item_id=i.pk, period=FEB, kind=kind, amount=Decimal(amount))
            for u, i, amount, kind in rows
        ],
    )


@pytest.fixture
def fixture(world, clock):
    """Community A: two buildings (1: two units, 2: one unit), two fee items, runs in
    2023-03 (outside the window), 2023-04, February and March (one reversed); balances:
    unit 1-a owes 223.75 + 100.00, 1-b 50.00 (its service fee paid), 2-a 123.75.
    Community B: a run and a balance that must not show."""
    by = world.user("finance")
    service = FeeItemFactory(company=world.company, code="svc", name="物业服务费", priority=10)
    parking = FeeItemFactory(company=world.company, code="park", name="停车费", priority=20)
    one = BuildingFactory(community=world.a, number="1")
    two = BuildingFactory(community=world.a, number="2")
    u1a, u1b = UnitFactory.create_batch(2, community=world.a, building=one)
    u2a = UnitFactory(community=world.a, building=two)
    _run(world.a, service, dt.date(2023, 3, 1), "500.00", by)
    _run(world.a, service, dt.date(2023, 4, 1), "400.00", by)
    _run(world.a, service, FEB, "671.25", by)
    _run(world.a, parking, FEB, "300.00", by)
    _run(world.a, service, MAR, "671.25", by, RunStatus.REVERSAL_REQUESTED)
    _run(world.a, parking, MAR, "150.00", by, RunStatus.REVERSED)
    _run(world.a, parking, MAR, "120.00", by)
    charge, paid = EntryKind.CHARGE, EntryKind.PAYMENT
    _post(
        world.a,
        by,
        (u1a, service, "223.75", charge),
        (u1a, parking, "100.00", charge),
        (u1b, service, "223.75", charge),
        (u1b, service, "-223.75", paid),
        (u1b, parking, "50.00", charge),
        (u2a, service, "223.75", charge),
        (u2a, service, "-100.00", paid),
    )
    _run(world.b, service, MAR, "999.99", by)
    _post(world.b, by, (UnitFactory(community=world.b), service, "777.77", charge))
    return {"service": service, "parking": parking, "units": (u1a, u1b, u2a)}


def _page(world, role="director", **query):
    world.language = "en"
    return world.client(role).get(URL, query)


# --- selectors ---------------------------------------------------------------------------


def test_billed_by_month_sums_the_runs_of_twelve_months_without_reversed_ones(world, fixture):
    billed = billed_by_month(world.a.pk, MAR)
    assert billed.months[0] == dt.date(2023, 4, 1)
    assert billed.months[-1] == MAR
    assert len(billed.months) == 12
    assert [(i.name, i.totals[0], i.totals[-2], i.totals[-1]) for i in billed.items] == [
        ("物业服务费", Decimal("400.00"), Decimal("671.25"), Decimal("671.25")),
        ("停车费", Decimal("0.00"), Decimal("300.00"), Decimal("120.00")),
    ]
    assert billed.month_totals[-1] == Decimal("791.25")
    assert sum(billed.month_totals) == Decimal("2162.50")


def test_arrears_by_building_and_by_fee_item_are_exact(world, fixture):
    assert [(b.label, b.units, b.outstanding) for b in arrears_by_building(world.a.pk)] == [
        ("Building 1", 2, Decimal("373.75")),
        ("Building 2", 1, Decimal("123.75")),
    ]
    assert [(i.name, i.units, i.outstanding) for i in arrears_by_fee_item(world.a.pk)] == [
        ("物业服务费", 2, Decimal("347.50")),
        ("停车费", 2, Decimal("150.00")),
    ]


def test_the_overview_totals_agree_with_the_community_arrears(world, fixture):
    data = billing_overview(world.a.pk, dt.date(2024, 3, 15))
    [community] = arrears_by_community([world.a.pk])
    assert data.month == MAR
    assert (data.billed_in_month, data.outstanding, data.units_owing) == (
        Decimal("791.25"),
        Decimal("497.50"),
        3,
    )
    assert (community.outstanding, community.units) == (data.outstanding, data.units_owing)
    u1a, u1b, u2a = fixture["units"]
    assert [(u.unit_id, u.outstanding) for u in data.top_units] == [
        (u1a.pk, Decimal("323.75")),
        (u2a.pk, Decimal("123.75")),
        (u1b.pk, Decimal("50.00")),
    ]


def test_another_communitys_runs_and_balances_stay_out(world, fixture):
    data = billing_overview(world.b.pk, MAR)
    assert (data.billed_in_month, data.outstanding, data.units_owing) == (
        Decimal("999.99"),
        Decimal("777.77"),
        1,
    )
    assert [i.name for i in data.billed.items] == ["物业服务费"]


# --- the page ----------------------------------------------------------------------------


def _svgs(html):
    """The chart elements of the page, parsed."""
    parts = html.split("<svg ")[1:]
    charts = [p for p in parts if 'class="chart ' in p.split(">")[0]]
    # our own page; raises unless well-formed
    return [ET.fromstring("<svg " + p.split("</svg>")[0] + "</svg>") for p in charts]  # noqa: S314


def test_the_page_shows_the_totals_charts_and_tables(world, fixture):
    response = _page(world, month="2024-03")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="total-billed">¥791.25<' in html
    assert 'id="total-outstanding">¥497.50<' in html
    assert 'id="total-units">3<' in html
    assert "¥999.99" not in html
    assert "¥777.77" not in html
    billed, buildings, items = _svgs(html)
    assert billed.find(f"{SVG}title").text == "Billed by month (yuan)"
    assert len(billed.findall(f".//{SVG}rect[@height]")) >= 5  # a column per item and month
    rows = [t.text for t in buildings.findall(f".//{SVG}text[@class='chart-value']")]
    assert rows == ["373.75 2 units", "123.75 1 unit"]
    rows = [t.text for t in items.findall(f".//{SVG}text[@class='chart-value']")]
    assert rows == ["347.50 2 units", "150.00 2 units"]


def test_the_tables_hold_the_exact_figures_and_link_the_units(world, fixture):
    context = _page(world, month="2024-03").context
    assert [(m["month"], m["totals"], m["total"]) for m in context["months"][:2]] == [
        (MAR, [Decimal("671.25"), Decimal("120.00")], Decimal("791.25")),
        (FEB, [Decimal("671.25"), Decimal("300.00")], Decimal("971.25")),
    ]
    u1a = fixture["units"][0]
    first = context["top"][0]
    assert (first["unit"].unit_id, first["share"]) == (u1a.pk, Decimal("65.1"))
    html = _page(world, month="2024-03").content.decode()
    assert f'href="{reverse("billing:unit-statement", args=[u1a.pk])}"' in html
    assert "¥323.75" in html


def test_a_large_month_is_charted_in_ten_thousand_yuan(world, fixture):
    water = FeeItemFactory(company=world.company, name="水费")
    _run(world.a, water, MAR, "123456.78", world.user("finance"))
    html = _page(world).content.decode()
    billed = _svgs(html)[0]
    assert billed.find(f"{SVG}title").text == "Billed by month (10,000 yuan)"
    assert "水费 12.35" in html  # the legend: the month's value, scaled
    assert "¥123,456.78" in html  # the table stays exact, in yuan


def test_the_month_defaults_to_this_month(world, fixture):
    response = _page(world)
    assert response.context["o"].month == MAR
    assert response.context["month_value"] == "2024-03"


def test_an_earlier_month_moves_the_window(world, fixture):
    response = _page(world, month="2024-02")
    data = response.context["o"]
    assert (data.billed.months[0], data.billed_in_month) == (dt.date(2023, 3, 1), Decimal("971.25"))
    assert data.outstanding == Decimal("497.50")  # arrears are what is owed now


def test_an_empty_community_shows_empty_charts_and_no_error(world, clock):
    response = _page(world, month="2024-03")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="total-billed">¥0.00<' in html
    assert 'id="total-units">0<' in html
    assert html.count("Nothing is owed.") >= 2
    assert "Nothing billed in these months." in html
    assert len(_svgs(html)) == 3


@pytest.mark.parametrize("month", ["2024-13", "abc", "1999-01", "2024-03-01", "x" * 200])
def test_a_bad_month_is_refused_with_a_message(world, fixture, month):
    response = _page(world, month=month)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Enter a month that exists, as YYYY-MM (e.g. 2024-03)." in html
    assert not _svgs(html)
    assert BillingRun.objects.count() == 8  # a read: nothing changed


@pytest.mark.parametrize(
    "role", ["supervisor", "area_manager", "director", "cashier", "finance", "auditor"]
)
def test_every_reader_sees_the_overview(world, clock, role):
    assert _page(world, role).status_code == 200


def test_a_role_without_billing_is_refused(world, clock):
    assert _page(world, "security").status_code == 403


def test_the_chinese_page_renders(world, fixture):
    response = world.client("director").get(URL, {"month": "2024-03"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'lang="zh' in html
    assert "1栋" in html
    assert "物业服务费" in html
    assert "欠费" in html


def test_the_query_count_does_not_grow_with_buildings_items_or_months(world, fixture):
    client = world.client("director")
    client.get(URL)  # warm the session and caches
    with CaptureQueriesContext(connection) as small:
        assert client.get(URL, {"month": "2024-03"}).status_code == 200
    by = world.user("finance")
    items = [FeeItemFactory(company=world.company, priority=50 + n) for n in range(3)]
    for n, item in enumerate(items):
        for month in range(1, 10):
            _run(world.a, item, dt.date(2023, month + 3, 1), f"{100 + n}.00", by)
    for building in BuildingFactory.create_batch(22, community=world.a):
        unit = UnitFactory(community=world.a, building=building)
        _post(world.a, by, *((unit, item, "10.00", EntryKind.CHARGE) for item in items))
    with CaptureQueriesContext(connection) as large:
        response = client.get(URL, {"month": "2024-03"})
    assert response.context["buildings_cut"]
    assert len(response.context["o"].buildings) == 24
    assert len(large) == len(small) <= 12


@pytest.mark.parametrize(
    ("value", "end"),
    [("53788.50", 80000), ("24117.50", 25000), ("123.75", 125), ("0.67", 10), ("0.00", None)],
)
def test_an_arrears_axis_ends_at_a_round_number_just_above_the_largest_bar(value, end):
    from guanjia.billing.views.overview import axis_end

    assert axis_end(Decimal(value)) == end

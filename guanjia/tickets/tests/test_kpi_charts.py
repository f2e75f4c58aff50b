"""The KPI page's charts (server-side SVG) and the monthly trend behind them."""

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from guanjia.core.policies.services import set_policy
from guanjia.tickets import services
from guanjia.tickets.models import RepairOrder, ServiceRequest
from guanjia.tickets.selectors import Ratio, monthly_trend, repair_kpis

from .factories import complaint, repair

NS = "{http://www.w3.org/2000/svg}"


def _charts(response) -> dict[str, ET.Element]:
    """Every chart of the page by its aria-label (its title), parsed as XML."""
    html = response.content.decode()
    found = re.findall(r"<svg .*?</svg>", html, re.S)
    svgs = [ET.fromstring(svg) for svg in found]  # noqa: S314  # our own page
    charts = [svg for svg in svgs if "chart" in svg.get("class", "").split()]
    return {svg.get("aria-label").split(":")[0]: svg for svg in charts}


def _texts(svg: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in svg.iter(f"{NS}text")]


def _move(obj, when: dt.datetime) -> None:
    """Date a ticket (and its register entry) back to `when`."""
    ServiceRequest.objects.filter(pk=obj.request_id).update(received_at=when)
    if isinstance(obj, RepairOrder):
        RepairOrder.objects.filter(pk=obj.pk).update(registered_at=when)


def _months_ago(n: int) -> dt.datetime:
    first = timezone.localdate().replace(day=1)
    for _ in range(n):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return timezone.make_aware(dt.datetime.combine(first + dt.timedelta(days=9), dt.time(10)))


@pytest.fixture
def desk(world):
    """This month: two complaints (one resolved, one invalid) and two repairs (one done).
    The clients ask for English (the charts are found by their English titles)."""
    world.language = "en"
    complaint(world, world.a, "resolved")
    complaint(world, world.a, "invalid")
    repair(world, world.a, "verified")
    repair(world, world.a, "dispatched")
    return world


@pytest.mark.parametrize(
    ("by", "complaint_label", "repair_label"),
    [
        ("total", "All", "All"),
        ("category", "Service attitude", "Water and drains"),
        ("department", "—", "All"),  # repairs have no department: the whole period
        ("technician", "All", None),  # complaints have no technician; the technician's name
    ],
)
def test_the_page_draws_a_chart_per_kpi_for_each_grouping(desk, by, complaint_label, repair_label):
    response = desk.client("director").get(reverse("tickets:kpis"), {"by": by})
    assert response.status_code == 200
    charts = _charts(response)
    handling = charts["Complaint handling rate"]
    assert handling.get("role") == "img"
    # The resolved valid complaint, and the invalid one without a category (—) when grouped.
    assert complaint_label in _texts(handling)
    completion = _texts(charts["Repair completion rate"])
    technician = desk.user("technician")
    assert (repair_label or technician.display_name) in completion
    assert repair_label or technician.username not in completion
    assert "50.0% (1/2)" in completion
    assert "100.0% (1/1)" in _texts(charts["Completion on time"])
    assert len(charts) == 13  # 4 complaint, 5 repair, 1 register, 3 trend
    content = response.content.decode()
    assert ("not grouped by" in content) == (by in ("department", "technician"))


def test_the_repair_charts_draw_the_policy_targets(desk):
    charts = _charts(desk.client("director").get(reverse("tickets:kpis")))
    assert "Target 98.0%" in _texts(charts["Arrival on time"])
    assert "Target 100.0%" in _texts(charts["Complaint handling rate"])
    assert "Limit 2.0%" in _texts(charts["Rework rate"])
    # The rework axis is zoomed: its end is 5 %, not 100 %.
    assert "5%" in _texts(charts["Rework rate"])
    assert "100%" not in _texts(charts["Rework rate"])


def test_the_target_line_follows_the_community_policy(desk):
    set_policy(
        key="repair.timely_target",
        value="0.95",
        community=desk.a,
        reason="合同",
        by=desk.user("director"),
    )
    charts = _charts(desk.client("director").get(reverse("tickets:kpis")))
    assert "Target 95.0%" in _texts(charts["Completion on time"])


def test_the_page_in_chinese(desk):
    desk.language = None  # the default
    response = desk.client("director").get(reverse("tickets:kpis"), {"by": "category"})
    charts = _charts(response)
    assert len(charts) == 13
    assert "给排水" in _texts(charts["维修完成率"])
    assert "服务态度" in _texts(charts["有效投诉率"])


def test_an_empty_period_shows_empty_charts_and_zero_counts(world):
    world.language = "en"
    response = world.client("supervisor").get(reverse("tickets:kpis"), {"by": "zone"})
    assert response.status_code == 200
    charts = _charts(response)
    handling = charts["Complaint handling rate"]
    assert "chart-empty" in handling.get("class")
    assert "chart-empty" in charts["Repairs by month"].get("class")
    assert "chart-empty" in charts["Received by month"].get("class")


def test_a_bad_grouping_is_refused_without_charts(world):
    response = world.client("supervisor").get(reverse("tickets:kpis"), {"by": "<script>"})
    assert response.status_code == 400
    assert "<svg" not in response.content.decode().split("<main", 1)[1]


def test_the_monthly_trend_counts_each_month_and_fills_empty_ones(world):
    old = complaint(world, world.a, "resolved")
    _move(old, _months_ago(2))
    complaint(world, world.a, "invalid")
    late = repair(world, world.a, "completed")
    _move(late, _months_ago(11))
    _move(repair(world, world.a, "dispatched"), _months_ago(12))  # outside the 12 months
    trend = monthly_trend(community=world.a, end=timezone.localdate())
    assert len(trend.months) == 12
    assert trend.months[-1] == timezone.localdate().replace(day=1)
    assert trend.months[0] == _months_ago(11).date().replace(day=1)
    assert [complaint_record.received for complaint_record in trend.complaints] == [0] * 9 + [
        1,
        0,
        1,
    ]
    assert trend.complaints[9].handling == Ratio(1, 1)
    assert trend.complaints[11].valid == Ratio(0, 1)
    assert trend.complaints[10].handling == Ratio(0, 0)
    assert [r.received for r in trend.repairs] == [1] + [0] * 11
    assert trend.repairs[0].completion == Ratio(1, 1)
    assert [d.contacts for d in trend.desk][-1] == 1  # the invalid complaint; others moved
    assert trend.complaints[9].group == f"{trend.months[9]:%Y-%m}"


def test_the_trend_reads_in_three_queries_whatever_the_months(world, django_assert_num_queries):
    for n in (0, 3, 7):
        _move(complaint(world, world.a, "resolved"), _months_ago(n))
        _move(repair(world, world.a, "completed"), _months_ago(n))
    with django_assert_num_queries(3):
        trend = monthly_trend(community=world.a, end=timezone.localdate())
    assert sum(complaint_record.received for complaint_record in trend.complaints) == 3
    with django_assert_num_queries(3):
        trend = monthly_trend(community=world.a, end=timezone.localdate(), months=24)
    assert sum(r.received for r in trend.repairs) == 3


def test_the_trend_of_another_community_is_not_mixed_in(world):
    complaint(world, world.b, "resolved")
    trend = monthly_trend(community=world.a, end=timezone.localdate())
    assert sum(complaint_record.received for complaint_record in trend.complaints) == 0


def test_a_zero_rate_shows_as_zero_percent_not_a_dash(world):
    world.language = "en"
    repair(world, world.a, "dispatched")
    response = world.client("director").get(reverse("tickets:kpis"))
    assert "0.0% (0/1)" in _texts(_charts(response)["Repair completion rate"])
    assert "0.0%" in response.content.decode().split("<table", 2)[2]


def test_the_export_adds_the_months_of_the_trend(desk):
    from openpyxl import load_workbook

    response = desk.client("director").get(reverse("tickets:kpis-export"))
    sheet = load_workbook(filename=__import__("io").BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    tables = [row[0] for row in rows]
    assert tables.count("Complaints") == 1
    assert tables.count("Repairs") == 1
    assert tables.count("Complaints by month") == 12
    assert tables.count("Repairs by month") == 12
    this_month = f"{timezone.localdate():%Y-%m}"
    [repairs] = [r for r in rows if r[0] == "Repairs by month" and r[1] == this_month]
    assert repairs[2:5] == (2, 1, 2)  # received; completed of received
    register = {r[1]: r[2:6] for r in rows if r[0] == "Register"}
    assert set(register) == {
        "First-contact resolution",
        "Repeat complaints",
        "Letters replied on time",
    }
    assert register["Letters replied on time"] == (0, 0, 0, None)  # no letters: no rate


def test_an_order_reworked_twice_counts_once(world):
    done = repair(world, world.a, "verified")
    for note in ("又漏", "还漏"):
        services.open_rework(order=done, note=note, by=world.user("receptionist"))
    [row] = repair_kpis(community=world.a, start=timezone.localdate(), end=timezone.localdate())
    assert row.received == 3
    assert row.completion == Ratio(1, 3)
    assert row.rework == Ratio(1, 1)
    trend = monthly_trend(community=world.a, end=timezone.localdate())
    assert trend.repairs[-1].received == 3
    assert trend.repairs[-1].rework == Ratio(1, 1)

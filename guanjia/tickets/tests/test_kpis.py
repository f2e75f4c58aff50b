"""The KPIs of spec §27 with their raw counts, the page and the Excel export."""

import datetime as dt
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from guanjia.tickets import services
from guanjia.tickets.selectors import Ratio, complaint_kpis, desk_kpis, repair_kpis

from .factories import complaint, repair


def _today():
    return timezone.localdate()


def test_a_ratio_keeps_its_counts_and_has_no_rate_without_a_denominator():
    assert Ratio(1, 3).rate == Decimal("33.3")
    assert Ratio(0, 0).rate is None


def test_complaint_handling_counts_valid_resolved_over_valid_received(world):
    complaint(world, world.a, "resolved")
    complaint(world, world.a, "handling")
    complaint(world, world.a, "invalid")
    [row] = complaint_kpis(community=world.a, start=_today(), end=_today())
    assert row.received == 3
    assert row.handling == Ratio(1, 2)
    assert row.valid == Ratio(2, 3)
    assert row.on_time == Ratio(1, 1)


def test_repair_kpis_count_completion_and_rework_apart(world):
    done = repair(world, world.a, "verified")
    repair(world, world.a, "dispatched")
    services.open_rework(order=done, note="又漏", by=world.user("receptionist"))
    [row] = repair_kpis(community=world.a, start=_today(), end=_today())
    assert row.received == 3
    assert row.completion == Ratio(1, 3)
    assert row.rework == Ratio(1, 1)
    assert row.arrival_on_time == Ratio(1, 1)


def test_kpis_group_by_technician(world):
    repair(world, world.a, "completed")
    rows = repair_kpis(community=world.a, start=_today(), end=_today(), by="technician")
    assert [r.group for r in rows] == [world.user("technician").username]
    assert [r.label for r in rows] == [world.user("technician").display_name]


def test_first_contact_resolution_counts_consultations_closed_on_the_spot(world):
    contact = services.Contact(
        channel="phone", kind="consultation", content="停水时间？", requester_name="甲"
    )
    services.take_contact(
        community=world.a, contact=contact, by=world.user("receptionist"), answer="明天"
    )
    complaint(world, world.a)
    kpis = desk_kpis(community=world.a, start=_today(), end=_today())
    assert kpis.first_contact == Ratio(1, 2)
    assert kpis.repeat_complaints == Ratio(0, 1)


def test_the_kpi_page_refuses_a_period_that_ends_before_it_starts(world):
    response = world.client("supervisor").get(
        reverse("tickets:kpis"), {"start": "2026-05-01", "end": "2026-04-01"}
    )
    assert response.status_code == 400


def test_the_kpis_export_to_excel(world):
    complaint(world, world.a, "resolved")
    response = world.client("supervisor").get(reverse("tickets:kpis-export"))
    assert response.status_code == 200
    assert response.content[:2] == b"PK"


def test_the_kpi_query_count_does_not_grow_with_tickets(world, django_assert_max_num_queries):
    for _ in range(3):
        complaint(world, world.a, "resolved")
        repair(world, world.a, "completed")
    start = _today() - dt.timedelta(days=1)
    with django_assert_max_num_queries(3):
        complaint_kpis(community=world.a, start=start, end=_today(), by="zone")
        repair_kpis(community=world.a, start=start, end=_today(), by="zone")
        desk_kpis(community=world.a, start=start, end=_today())

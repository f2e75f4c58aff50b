"""The demo's year of history: every monthly chart and KPI has data for each of the twelve
months ending today, written by the real services with the clock set in the past.

One load (at a small history scale: each kind of contact still comes every month) and
several checks of it, since the load takes seconds (the load-twice test in
test_load_demo.py proves the history is not duplicated)."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Max, Min
from django.utils import timezone

from guanjia.billing.models import BillingRun
from guanjia.billing.selectors import billing_overview
from guanjia.core.models import Community
from guanjia.tickets.models import (
    Complaint,
    ComplaintEvent,
    RepairEvent,
    RepairOrder,
    ServiceRequest,
)
from guanjia.tickets.selectors import monthly_trend
from guanjia.tickets.selectors.letters import letter_kpis


def _months_ago(today: dt.date, n: int) -> dt.date:
    index = today.year * 12 + today.month - 1 - n
    return dt.date(index // 12, index % 12 + 1, 1)


@pytest.mark.django_db
def test_a_year_of_history_fills_every_monthly_kpi_and_chart():
    call_command("load_demo", "--history-scale", "0.25", verbosity=0)
    demo = list(Community.objects.order_by("code"))
    assert len(demo) == 2
    _every_month_of_the_ticket_kpi_trend_has_tickets(demo)
    _every_month_of_the_billing_overview_is_billed(demo)
    _the_year_has_letters_late_tickets_reworks_and_paid_repairs(demo)
    _the_history_is_dated_by_the_services_in_the_past()


def _every_month_of_the_ticket_kpi_trend_has_tickets(demo: list[Community]) -> None:
    today = timezone.localdate()
    for community in demo:
        trend = monthly_trend(community=community, end=today)
        assert trend.months[0] == _months_ago(today, 11)
        assert all(m.received > 0 for m in trend.complaints), community.code
        assert all(m.received > 0 for m in trend.repairs), community.code
        assert all(m.contacts > 0 for m in trend.desk), community.code
        # Rates, not only counts: every month but the current one has finished tickets.
        assert all(m.on_time.denominator > 0 for m in trend.complaints[:-1]), community.code
        assert all(m.completion_on_time.denominator > 0 for m in trend.repairs[:-1])


def _every_month_of_the_billing_overview_is_billed(demo: list[Community]) -> None:
    today = timezone.localdate()
    for community in demo:
        overview = billing_overview(community.pk, today)
        assert overview.billed.months[0] == _months_ago(today, 11)
        assert all(total > 0 for total in overview.billed.month_totals), community.code
    runs = BillingRun.objects.values("community").annotate(n=Count("pk"))
    assert {row["n"] for row in runs} == {12}


def _the_year_has_letters_late_tickets_reworks_and_paid_repairs(demo: list[Community]) -> None:
    today = timezone.localdate()
    year = {"start": _months_ago(today, 11), "end": today}
    for community in demo:
        assert letter_kpis(community=community, **year).on_time.denominator > 0
    assert Complaint.objects.filter(resolve_met=False).exists()
    assert (
        Complaint.objects.filter(resolve_met=True).count()
        > Complaint.objects.filter(resolve_met=False).count()
    )
    assert RepairOrder.objects.filter(rework_of__isnull=False).exists()
    assert RepairOrder.objects.filter(charge_entry__isnull=False).exists()
    satisfied = RepairOrder.objects.filter(is_satisfied=True).count()
    rejected = RepairEvent.objects.filter(action="rejected").count()
    assert satisfied > 4 * rejected  # most are satisfied at the first check (about 95 %)


def _the_history_is_dated_by_the_services_in_the_past() -> None:
    """Received, event and creation times all lie in the past year; a ticket's events are
    no earlier than its registration (the clock moved with each step)."""
    now = timezone.now()
    first = timezone.make_aware(dt.datetime.combine(_months_ago(now.date(), 11), dt.time.min))
    span = ServiceRequest.objects.aggregate(a=Min("received_at"), b=Max("received_at"))
    assert first <= span["a"]
    assert span["b"] <= now
    assert (
        not ServiceRequest.objects.exclude(created_at=F("received_at"))
        .filter(received_by__username__in=["reception", "reception2"])
        .exists()
    )
    assert not RepairEvent.objects.filter(at__lt=F("order__registered_at")).exists()
    assert not ComplaintEvent.objects.filter(at__lt=F("complaint__request__received_at")).exists()
    assert ComplaintEvent.objects.filter(at__lt=now - dt.timedelta(days=300)).exists()

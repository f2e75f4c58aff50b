"""Reminders before the supervisor's due days (spec §02, the policies of docs/supervisor.md):
next month's plan, next year's plan and this month's summary, each told to the staff who write
them (the supervisor, an acting one included) from `supervisor.remind_days_before` days before
the due day until it is done. Run daily by the schedule `plans.reminders`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone

from guanjia.core.access import staff_holding
from guanjia.core.jobs.services import run_once
from guanjia.core.models import Community
from guanjia.core.notifications.services import notify_by_preference
from guanjia.core.policies.selectors import policy

from ..models import MonthlySummary, PlanKind, PlanStatus, SummaryStatus, WorkPlan
from ..selectors import annual_plan_due, monthly_plan_due, next_month, summary_due


def _window(community: Community, due: dt.date, today: dt.date) -> bool:
    days = int(policy(community, "supervisor.remind_days_before"))
    return due - dt.timedelta(days=days) <= today <= due


def _plan_missing(community: Community, kind: str, period: dt.date) -> bool:
    plan = WorkPlan.objects.filter(community=community, kind=kind, period=period).first()
    return plan is None or plan.status == PlanStatus.DRAFT


def due_papers(community: Community, today: dt.date) -> list[tuple[str, str, dt.date, str]]:
    """(event, period, due day, link) of every paper in its reminder window and not done yet."""
    found: list[tuple[str, str, dt.date, str]] = []
    month = next_month(today)
    due = monthly_plan_due(community, month)
    if _window(community, due, today) and _plan_missing(community, PlanKind.MONTHLY, month):
        found.append(("plans.monthly_plan_due", f"{month:%Y-%m}", due, reverse("plans:plan-list")))
    year = dt.date(today.year + 1, 1, 1)
    due = annual_plan_due(community, year.year)
    if _window(community, due, today) and _plan_missing(community, PlanKind.ANNUAL, year):
        found.append(("plans.annual_plan_due", f"{year:%Y}", due, reverse("plans:plan-list")))
    this_month = today.replace(day=1)
    due = summary_due(community, this_month)
    sent = MonthlySummary.objects.filter(
        community=community,
        month=this_month,
        status__in=(SummaryStatus.SENT, SummaryStatus.ACKNOWLEDGED),
    ).exists()
    if _window(community, due, today) and not sent:
        found.append(
            ("plans.summary_due", f"{this_month:%Y-%m}", due, reverse("plans:summary-list"))
        )
    return found


def _tell(community: Community, event: str, period: str, due: dt.date, link: str) -> int:
    people: Any = staff_holding(
        ["plans.change_workplan"], company_id=community.company_id, community_id=community.pk
    )
    for person in people:
        notify_by_preference(
            person,
            event,
            {"period": period, "due": due.isoformat(), "community": community.name},
            community=community,
            link=link,
        )
    return len(people)


def send_reminders(today: dt.date | None = None) -> dict[str, int]:
    """Every open community's due papers, told once a day."""
    today = today or timezone.localdate()
    told = 0
    for community in Community.objects.filter(is_active=True).select_related("company"):
        for event, period, due, link in due_papers(community, today):
            told += _tell(community, event, period, due, link)
    return {"told": told}


def remind_daily() -> dict[str, int] | None:
    """The schedule's entry: once per local day (`run_once`)."""
    day = timezone.localdate()
    return run_once(f"plans.reminders:{day}", send_reminders, label="Plan and summary reminders")

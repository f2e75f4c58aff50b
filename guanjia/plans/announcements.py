"""Who is told what about the supervisor's work (docs/workbench.md), declared in `ready()`.

A plan submitted reaches the director (who approves); approved or returned, its author and
whoever submitted it. A monthly summary sent reaches the director; read or returned, who
prepared it. People are found by permission in the community today, so an acting supervisor
or director (an acting membership) is told for the period of the cover. Reminders before the
due days (services/reminders.py) use the events registered here too."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from guanjia.core.access import staff_holding
from guanjia.core.notifications.models import Channel
from guanjia.core.notifications.registry import register_event
from guanjia.core.notifications.rules import Happening, notice

from .models import MonthlySummary, WorkPlan

INBOX = (Channel.INBOX,)


def _holding(obj: Any, perm: str) -> list[Any]:
    return list(
        staff_holding(
            [perm], company_id=obj.community.company_id, community_id=obj.community_id
        ).order_by("pk")
    )


def _plan_people(plan: WorkPlan, happened: Happening) -> list[Any]:
    return [person for person in (plan.author, plan.requested_by) if person is not None]


def _plan_context(plan: WorkPlan, happened: Happening) -> dict[str, Any]:
    return {
        "title": plan.title,
        "period": plan.period_label,
        "by": happened.actor_name,
        "note": happened.note,
    }


def _summary_context(summary: MonthlySummary, happened: Happening) -> dict[str, Any]:
    return {"month": f"{summary.month:%Y-%m}", "by": happened.actor_name, "note": happened.note}


def _events() -> None:
    register_event(
        "plans.plan_submitted",
        label=_("A work plan was submitted for approval"),
        subject=_("Work plan {{ period }} to approve: {{ title }}"),
        body=_("{{ by }} submitted the plan. {{ note }}"),
        default_channels=INBOX,
    )
    register_event(
        "plans.plan_approved",
        label=_("A work plan was approved"),
        subject=_("Work plan {{ period }} approved"),
        body=_("{{ by }} approved “{{ title }}”. {{ note }}"),
        default_channels=INBOX,
    )
    register_event(
        "plans.plan_returned",
        label=_("A work plan was returned with comments"),
        subject=_("Work plan {{ period }} returned"),
        body=_("{{ by }} returned “{{ title }}”: {{ note }}"),
        default_channels=INBOX,
    )
    register_event(
        "plans.summary_sent",
        label=_("A monthly summary was sent to the director"),
        subject=_("Monthly summary {{ month }} to read"),
        body=_("{{ by }} sent the summary of {{ month }}."),
        default_channels=INBOX,
    )
    register_event(
        "plans.summary_returned",
        label=_("A monthly summary was returned"),
        subject=_("Monthly summary {{ month }} returned"),
        body=_("{{ by }}: {{ note }}"),
        default_channels=INBOX,
    )
    register_event(
        "plans.summary_read",
        label=_("The director read a monthly summary"),
        subject=_("Monthly summary {{ month }} read"),
        body=_("{{ by }} read the summary. {{ note }}"),
        default_channels=INBOX,
    )
    register_event(
        "plans.monthly_plan_due",
        label=_("Next month's work plan is due"),
        subject=_("{{ community }}: work plan {{ period }} due on {{ due }}"),
        body=_("Write and submit the work plan of {{ period }} to the director by {{ due }}."),
        default_channels=INBOX,
    )
    register_event(
        "plans.annual_plan_due",
        label=_("Next year's work plan is due"),
        subject=_("{{ community }}: annual work plan {{ period }} due on {{ due }}"),
        body=_("Write and submit the annual work plan of {{ period }} by {{ due }}."),
        default_channels=INBOX,
    )
    register_event(
        "plans.summary_due",
        label=_("The monthly summary is due"),
        subject=_("{{ community }}: monthly summary {{ period }} due on {{ due }}"),
        body=_("Prepare the summary of {{ period }} and send it to the director by {{ due }}."),
        default_channels=INBOX,
    )


def register() -> None:
    _events()
    notice(
        WorkPlan,
        on={"requested"},
        event="plans.plan_submitted",
        recipients=lambda p, h: _holding(p, "plans.approve_workplan"),
        context=_plan_context,
        link=lambda p: p.get_absolute_url(),
    )
    notice(
        WorkPlan,
        on={"approved"},
        event="plans.plan_approved",
        recipients=_plan_people,
        context=_plan_context,
        link=lambda p: p.get_absolute_url(),
    )
    notice(
        WorkPlan,
        on={"rejected"},
        event="plans.plan_returned",
        recipients=_plan_people,
        context=_plan_context,
        link=lambda p: p.get_absolute_url(),
    )
    notice(
        MonthlySummary,
        on={"sent"},
        event="plans.summary_sent",
        recipients=lambda s, h: _holding(s, "plans.acknowledge_monthlysummary"),
        context=_summary_context,
        link=lambda s: s.get_absolute_url(),
    )
    notice(
        MonthlySummary,
        on={"returned"},
        event="plans.summary_returned",
        recipients=lambda s, h: [s.prepared_by],
        context=_summary_context,
        link=lambda s: s.get_absolute_url(),
    )
    notice(
        MonthlySummary,
        on={"acknowledged"},
        event="plans.summary_read",
        recipients=lambda s, h: [s.prepared_by],
        context=_summary_context,
        link=lambda s: s.get_absolute_url(),
    )

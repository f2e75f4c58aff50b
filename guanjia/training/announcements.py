"""Who is told about training (docs/workbench.md): the approvers when a plan is submitted,
its author when it is approved or returned, the supervisors when the annual plan's due day
nears, the invited staff when a session is scheduled, moved or cancelled."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanjia.core.access import staff_holding
from guanjia.core.notifications.models import Channel
from guanjia.core.notifications.registry import register_event
from guanjia.core.notifications.rules import Happening, notice

from .models import TrainingPlan, TrainingSession

BOTH = (Channel.INBOX, Channel.SMS)
APPROVE = "training.approve_trainingplan"
WRITE = "training.add_trainingplan"


def _approvers(plan: TrainingPlan, happened: Happening) -> Any:
    holders = staff_holding(
        [APPROVE], company_id=plan.community.company_id, community_id=plan.community_id
    )
    return holders.exclude(pk__in=[plan.author_id or 0, plan.requested_by_id or 0]).order_by("pk")


def _authors(plan: TrainingPlan, happened: Happening) -> list[Any]:
    return [u for u in (plan.author, plan.requested_by) if u is not None]


def _writers(plan: TrainingPlan, happened: Happening) -> Any:
    # The community's supervisors (not company HR, who holds the permission everywhere).
    holders = staff_holding(
        [WRITE], company_id=plan.community.company_id, community_id=plan.community_id
    )
    return holders.filter(memberships__community=plan.community_id).distinct().order_by("pk")


def _plan_context(plan: TrainingPlan, happened: Happening) -> dict[str, Any]:
    return {
        "title": plan.title,
        "period": plan.period,
        "by": happened.actor_name,
        "note": happened.note,
        "due": f"{plan.due_on:%Y-%m-%d}" if plan.due_on else "",
    }


def _invited(session: TrainingSession, happened: Happening) -> Any:
    return [a.employee for a in session.attendances.select_related("employee")]


def _session_context(session: TrainingSession, happened: Happening) -> dict[str, Any]:
    return {
        "topic": session.topic,
        "when": f"{timezone.localtime(session.starts_at):%Y-%m-%d %H:%M}",
        "place": session.place,
        "by": happened.actor_name,
        "note": happened.note,
    }


def register() -> None:
    register_event(
        "training.plan_to_approve",
        label=_("A training plan waits for approval"),
        subject=_("Training plan {{ title }} ({{ period }}): to approve"),
        body=_("{{ by }} submitted the training plan {{ title }} ({{ period }}) for approval."),
        default_channels=BOTH,
    )
    register_event(
        "training.plan_decided",
        label=_("A training plan was approved or returned"),
        subject=_("Training plan {{ title }} ({{ period }}): decided"),
        body=_("{{ by }} decided on the training plan {{ title }} ({{ period }}). {{ note }}"),
        default_channels=BOTH,
    )
    register_event(
        "training.plan_due",
        label=_("The annual training plan is due soon"),
        subject=_("Annual training plan {{ period }}: due {{ due }}"),
        body=_("Write and submit the training plan {{ period }} by {{ due }}. {{ note }}"),
        default_channels=BOTH,
    )
    register_event(
        "training.session_scheduled",
        label=_("A training session was scheduled, moved or cancelled"),
        subject=_("Training: {{ topic }} {{ when }}"),
        body=_("{{ topic }}, {{ when }} {{ place }} ({{ by }}). {{ note }}"),
        default_channels=BOTH,
    )
    notice(
        TrainingPlan,
        on={"requested"},
        event="training.plan_to_approve",
        recipients=_approvers,
        context=_plan_context,
        link=lambda plan: plan.get_absolute_url(),
    )
    notice(
        TrainingPlan,
        on={"approved", "rejected"},
        event="training.plan_decided",
        recipients=_authors,
        context=_plan_context,
        link=lambda plan: plan.get_absolute_url(),
    )
    notice(
        TrainingPlan,
        on={"reminded"},
        event="training.plan_due",
        recipients=_writers,
        context=_plan_context,
        link=lambda plan: plan.get_absolute_url(),
    )
    notice(
        TrainingSession,
        on={"created", "moved", "cancelled"},
        event="training.session_scheduled",
        recipients=_invited,
        context=_session_context,
        link=lambda session: session.get_absolute_url(),
    )

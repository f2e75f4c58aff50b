"""Training plans (spec §21, §02): written by the supervisor (annual by the due day, monthly
from the annual plan), submitted, approved by the director or returned to draft with comments.
The author never approves their own plan; a plan submitted twice is refused."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import cast

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.core import workflows
from guanjia.core.access import User, require_perm
from guanjia.core.models import Community
from guanjia.core.policies.selectors import policy
from guanjia.core.workflows import Code, WorkflowDenied

from ..models import PlanKind, PlanStatus, TrainingPlan
from ._common import field_error, text

MANAGE = "training.add_trainingplan"
BUDGET_MAX = Decimal("10000000")


@dataclass(frozen=True)
class PlanContent:
    """What a plan says (spec §21: topics, target staff, schedule, trainer, method,
    assessment standard, budget)."""

    title: str
    topics: str
    target_staff: str
    schedule: str = ""
    trainer: str = ""
    method: str = ""
    assessment_standard: str = ""
    budget: Decimal = Decimal("0")


def annual_due_on(community: Community, year: int) -> dt.date:
    """The day the annual plan for `year` is due: `training.annual_plan_due_month/_day` of the
    year before (15 December), the month's last day when it has no such day."""
    month = policy(community, "training.annual_plan_due_month")
    day = policy(community, "training.annual_plan_due_day")
    last = calendar.monthrange(year - 1, month)[1]
    return dt.date(year - 1, month, min(day, last))


def _content(content: PlanContent) -> dict[str, object]:
    if content.budget is None or not (0 <= content.budget <= BUDGET_MAX):
        raise field_error("budget", _("Enter a budget from 0 to 10,000,000 yuan."), "invalid")
    return {
        "title": text(content.title, "title", 100, required=_("Give the plan a title.")),
        "topics": text(content.topics, "topics", 4000, required=_("List the topics.")),
        "target_staff": text(
            content.target_staff, "target_staff", 200, required=_("Say who is trained.")
        ),
        "schedule": text(content.schedule, "schedule", 2000),
        "trainer": text(content.trainer, "trainer", 100),
        "method": text(content.method, "method", 200),
        "assessment_standard": text(content.assessment_standard, "assessment_standard", 500),
        "budget": content.budget,
    }


def _period(community: Community, kind: str, year: int, month: int) -> dict[str, object]:
    if kind not in PlanKind.values:
        raise field_error("kind", _("Choose an annual or a monthly plan."), "invalid")
    if not 2000 <= year <= 2100:
        raise field_error("year", _("Enter a year from 2000 to 2100."), "invalid")
    if kind == PlanKind.ANNUAL:
        return {"month": 0, "annual": None, "due_on": annual_due_on(community, year)}
    if not 1 <= month <= 12:
        raise field_error("month", _("Choose the plan's month."), "invalid")
    annual = TrainingPlan.objects.filter(
        community=community, kind=PlanKind.ANNUAL, year=year
    ).first()
    return {"month": month, "annual": annual, "due_on": None}


@transaction.atomic
def create_plan(
    *, community: Community, kind: str, year: int, month: int, content: PlanContent, by: User
) -> TrainingPlan:
    """A new plan in draft; one plan per community, kind and period."""
    require_perm(by, MANAGE, community)
    fields = {**_period(community, kind, year, month), **_content(content)}
    if TrainingPlan.objects.filter(
        community=community, kind=kind, year=year, month=cast(int, fields["month"])
    ).exists():
        raise field_error("year", _("This community has a plan for that period already."), "taken")
    try:
        with transaction.atomic():
            plan = TrainingPlan.objects.create(
                community=community, kind=kind, year=year, author=by, **fields
            )
    except IntegrityError:
        raise field_error(
            "year", _("This community has a plan for that period already."), "taken"
        ) from None
    workflows.record_creation(plan, by=by)
    return plan


@transaction.atomic
def update_plan(*, plan: TrainingPlan, content: PlanContent, by: User) -> TrainingPlan:
    """A draft's content (a plan awaiting approval or approved is not changed)."""
    locked: TrainingPlan = workflows.lock(plan)
    require_perm(by, MANAGE, locked.community)
    if locked.status != PlanStatus.DRAFT:
        raise field_error(
            "title", _("Only a draft can be changed."), workflows.Code.MOVE_NOT_ALLOWED
        )
    for name, value in _content(content).items():
        setattr(locked, name, value)
    locked.save()
    workflows.record_event(locked, by=by, action="edited")
    plan.refresh_from_db()
    return plan


@transaction.atomic
def submit_plan(*, plan: TrainingPlan, by: User, note: str = "") -> TrainingPlan:
    """Draft → awaiting the director's approval (a second submission: move_not_allowed)."""
    locked: TrainingPlan = workflows.lock(plan)
    workflows.request_approval(locked, by=by, note=text(note, "note", 500))
    plan.refresh_from_db()
    return plan


@transaction.atomic
def decide_plan(*, plan: TrainingPlan, approve: bool, by: User, reason: str = "") -> TrainingPlan:
    """The director approves, or returns the plan to draft with comments (a reason). Neither
    its author nor whoever submitted it decides."""
    locked: TrainingPlan = workflows.lock(plan)
    if locked.status == PlanStatus.SUBMITTED and by.pk == locked.author_id:
        raise WorkflowDenied(
            Code.OWN_REQUEST, _("The author of a plan does not approve it: another person decides.")
        )
    workflows.decide(locked, approve, by=by, reason=text(reason, "reason", 500))
    plan.refresh_from_db()
    return plan


@transaction.atomic
def remind_annual_plans(*, today: dt.date | None = None) -> int:
    """The daily reminder (spec §21: the annual plan by 15 December): from
    `training.plan_reminder_days` before the due day, every community without a submitted plan
    for next year gets a draft to write (a workbench task with the due day) and its
    supervisors a reminder, once a day. Returns how many reminders were recorded."""
    today = today or timezone.localdate()
    reminded = 0
    for community in Community.objects.filter(is_active=True).order_by("pk"):
        year = today.year + 1
        due = annual_due_on(community, year)
        lead = policy(community, "training.plan_reminder_days")
        if not (due - dt.timedelta(days=lead) <= today <= due):
            continue
        plan = _annual_draft(community, year, due)
        if plan.status != PlanStatus.DRAFT:
            continue
        if plan.events.filter(action="reminded", at__date=today).exists():
            continue
        days = (due - today).days
        workflows.record_event(
            plan, by=None, action="reminded", note=_("Due in %(days)s days.") % {"days": days}
        )
        reminded += 1
    return reminded


def _annual_draft(community: Community, year: int, due: dt.date) -> TrainingPlan:
    plan = TrainingPlan.objects.filter(
        community=community, kind=PlanKind.ANNUAL, year=year, month=0
    ).first()
    if plan is not None:
        return plan
    plan = TrainingPlan.objects.create(
        community=community,
        kind=PlanKind.ANNUAL,
        year=year,
        month=0,
        title=_("Training plan %(year)s") % {"year": year},
        topics=_("To be written."),
        target_staff=_("All staff of the customer service center"),
        due_on=due,
    )
    workflows.record_creation(plan, by=None, note=_("Opened by the due-day reminder."))
    return plan

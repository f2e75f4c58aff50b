"""Work plans (spec §02): written and edited as a draft, submitted to the director, approved
or returned with comments (core.workflows' approval), carried out item by item, summarised,
archived."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from guanjia.core import workflows
from guanjia.core.access import User, has_perm_in, require_perm
from guanjia.core.models import Community

from ..models import (
    EDITABLE_STATUSES,
    PROGRESS_STATUSES,
    PlanItem,
    PlanKind,
    PlanStatus,
    WorkPlan,
)
from ..selectors.dues import month_end
from ._common import copy_back, field_error, refusal, required, works_in

ADD = "plans.add_workplan"
WRITE = "plans.change_workplan"


def _period(kind: str, period: dt.date) -> dt.date:
    if kind == PlanKind.ANNUAL:
        return dt.date(period.year, 1, 1)
    return period.replace(day=1)


def _period_end(plan: WorkPlan) -> dt.date:
    if plan.kind == PlanKind.ANNUAL:
        return dt.date(plan.period.year, 12, 31)
    return month_end(plan.period)


@transaction.atomic
def create_plan(
    *, community: Community, kind: str, period: dt.date, title: str, goals: str = "", by: User
) -> WorkPlan:
    """A new draft plan for a month (or a year); one per community, kind and period."""
    require_perm(by, ADD, community)
    if kind not in PlanKind.values:
        raise field_error("kind", _("Choose a monthly or an annual plan."), "invalid")
    start = _period(kind, period)
    text = required(title, "title", _("Give the plan a title."))
    if WorkPlan.objects.filter(community=community, kind=kind, period=start).exists():
        raise field_error(
            "period", _("This community already has a plan for that period."), "duplicate"
        )
    try:
        with transaction.atomic():
            plan = WorkPlan.objects.create(
                community=community,
                kind=kind,
                period=start,
                title=text,
                goals=(goals or "").strip(),
                author=by,
            )
    except IntegrityError as exc:  # a second request for the same period in between
        raise field_error(
            "period", _("This community already has a plan for that period."), "duplicate"
        ) from exc
    workflows.record_creation(plan, by=by)
    return plan


def _editable(plan: WorkPlan, by: User) -> WorkPlan:
    locked = workflows.lock(plan)
    require_perm(by, WRITE, locked.community)
    if locked.status not in EDITABLE_STATUSES:
        raise refusal(
            _("Only a draft plan can be changed; this one is %(status)s.")
            % {"status": locked.get_status_display()},
            "not_draft",
        )
    return locked


@transaction.atomic
def update_plan(*, plan: WorkPlan, title: str, goals: str = "", by: User) -> WorkPlan:
    locked = _editable(plan, by)
    locked.title = required(title, "title", _("Give the plan a title."))
    locked.goals = (goals or "").strip()
    locked.save(update_fields=["title", "goals", "updated_at"])
    return copy_back(plan, locked)


def _check_item(plan: WorkPlan, *, owner: Any, due_on: dt.date | None) -> dt.date:
    if owner is None:
        raise field_error("owner", _("Every plan item needs an owner."), "required")
    if not works_in(owner, plan.community):
        raise field_error(
            "owner", _("The owner must be a staff member of this community."), "not_staff"
        )
    if due_on is None:
        raise field_error("due_on", _("Give the item's due date."), "required")
    if not plan.period <= due_on <= _period_end(plan):
        raise field_error(
            "due_on",
            _("The due date must fall within the plan's period (%(start)s to %(end)s).")
            % {"start": plan.period.isoformat(), "end": _period_end(plan).isoformat()},
            "outside_period",
        )
    return due_on


@transaction.atomic
def add_item(
    *, plan: WorkPlan, title: str, owner: Any, due_on: dt.date | None, note: str = "", by: User
) -> PlanItem:
    """An item of a draft plan: what, who (a staff member of the community), by when."""
    locked = _editable(plan, by)
    text = required(title, "title", _("Say what is to be done."))
    due = _check_item(locked, owner=owner, due_on=due_on)
    return PlanItem.objects.create(
        plan=locked, title=text, owner=owner, due_on=due, note=(note or "").strip()
    )


@transaction.atomic
def remove_item(*, item: PlanItem, by: User) -> None:
    _editable(item.plan, by)
    item.delete()


@transaction.atomic
def submit_plan(*, plan: WorkPlan, note: str = "", by: User) -> WorkPlan:
    """To the director. Refused when already submitted (or past), or without items."""
    locked = workflows.lock(plan)
    require_perm(by, WRITE, locked.community)
    if locked.status == PlanStatus.SUBMITTED:
        raise refusal(_("This plan has already been submitted to the director."), "submitted")
    if locked.status != PlanStatus.DRAFT:
        raise refusal(
            _("Only a draft plan can be submitted; this one is %(status)s.")
            % {"status": locked.get_status_display()},
            "not_draft",
        )
    if not locked.items.exists():
        raise refusal(_("A plan needs at least one item before it is submitted."), "no_items")
    workflows.request_approval(locked, by=by, note=(note or "").strip())
    return copy_back(plan, locked)


def _check_not_author(plan: WorkPlan, by: User) -> None:
    if plan.author_id == by.pk:
        raise PermissionDenied(_("The author of a plan cannot approve or return it."))


@transaction.atomic
def approve_plan(*, plan: WorkPlan, note: str = "", by: User) -> WorkPlan:
    """The director's approval (never the author's, never the submitter's)."""
    locked = workflows.lock(plan)
    _check_not_author(locked, by)
    workflows.decide(locked, True, by=by, reference="", reason="")
    if note.strip():
        workflows.record_event(locked, by=by, action="commented", note=note.strip())
    return copy_back(plan, locked)


@transaction.atomic
def return_plan(*, plan: WorkPlan, comments: str, by: User) -> WorkPlan:
    """Back to draft with the director's comments (required)."""
    locked = workflows.lock(plan)
    _check_not_author(locked, by)
    workflows.decide(locked, False, by=by, reason=comments)
    return copy_back(plan, locked)


@transaction.atomic
def start_plan(*, plan: WorkPlan, by: User) -> WorkPlan:
    workflows.transition(plan, PlanStatus.IN_PROGRESS, by=by, action="started")
    return plan


def _may_progress(item: PlanItem, by: User) -> bool:
    return item.owner_id == by.pk or has_perm_in(by, WRITE, item.plan.community_id)


@transaction.atomic
def record_progress(*, item: PlanItem, done_pct: int | None, note: str = "", by: User) -> PlanItem:
    """The item's owner or the supervisor records how much is done, while the plan runs."""
    plan = workflows.lock(item.plan)
    if not _may_progress(item, by):
        raise PermissionDenied(_("Only the item's owner or the supervisor records its progress."))
    if plan.status not in PROGRESS_STATUSES:
        raise refusal(
            _("Progress is recorded while the plan is carried out; this one is %(status)s.")
            % {"status": plan.get_status_display()},
            "not_running",
        )
    if done_pct is None or not 0 <= done_pct <= 100:
        raise field_error("done_pct", _("Done is a percentage from 0 to 100."), "invalid")
    item.done_pct = done_pct
    item.note = (note or "").strip()[:500]
    item.save(update_fields=["done_pct", "note", "updated_at"])
    return item


@transaction.atomic
def summarise_plan(*, plan: WorkPlan, summary: str, by: User) -> WorkPlan:
    """完成情况总结: what was done, written when the period is over or the work is."""
    text = required(summary, "summary", _("Write what was done and what was not."))
    workflows.transition(plan, PlanStatus.SUMMARISED, by=by, note=text[:4000], summary=text)
    return plan


@transaction.atomic
def archive_plan(*, plan: WorkPlan, by: User) -> WorkPlan:
    workflows.transition(plan, PlanStatus.ARCHIVED, by=by)
    return plan

"""Applying and the review (spec §16 steps 1-3): the application with its scope items, plans
and workers; CSC and engineering opinions; changes asked, rejected or approved (the director
for structural or façade items). Approval charges the fees (services/fees.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.core import workflows
from guanjia.core.access import User, has_perm_in, require_perm
from guanjia.core.calendars.selectors import add_working_days
from guanjia.core.files.checks import check_upload
from guanjia.core.files.types import PICTURES, PICTURES_AND_PDF
from guanjia.core.models import Community
from guanjia.core.numbering.services import next_number
from guanjia.core.policies.selectors import policy
from guanjia.estates.models import Unit
from guanjia.estates.models.identity import normalise_id_number, validate_resident_id

from ..models import (
    SPECIAL_ITEMS,
    ApplicantKind,
    Contractor,
    Plan,
    PlanKind,
    RenoStatus,
    Renovation,
    ScopeItem,
    ScopeLine,
    Worker,
    WorksKind,
)
from ._common import done, lock, refuse, text

S = RenoStatus
# Minor works (painting, furniture): no structural, façade, plumbing or electrical items.
MINOR_ITEMS = frozenset(
    {ScopeItem.WALLS, ScopeItem.FLOORS, ScopeItem.DOORS_WINDOWS, ScopeItem.OTHER}
)
EDITABLE = (S.APPLIED, S.UNDER_REVIEW, S.NEEDS_CHANGES)
WORKERS_OPEN = (*EDITABLE, S.APPROVED, S.FEES_PAID, S.PERMIT_ISSUED, S.IN_PROGRESS, S.EXTENDED)
PHOTO_MAX_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class Application:
    """What the applicant asks for (装修申请表)."""

    unit: Unit
    contractor: Contractor
    applicant_kind: str
    applicant_name: str
    applicant_phone: str
    planned_start: dt.date
    planned_end: dt.date
    items: dict[str, str]  # scope item -> description
    kind: str = WorksKind.FULL
    owner_consent: str = ""


def _check_items(kind: str, items: dict[str, str]) -> dict[str, str]:
    if not items:
        raise refuse("items", _("List at least one item of the works."), "no_items")
    cleaned: dict[str, str] = {}
    for item, description in items.items():
        if item not in ScopeItem.values:
            raise refuse(
                "items", _("Unknown item of the works: %(item)s.") % {"item": item}, "bad_item"
            )
        words = str(description or "").strip()
        if not words:
            raise refuse(
                "items",
                _("Describe each item of the works (%(item)s).") % {"item": ScopeItem(item).label},
                "item_description",
            )
        if len(words) > 500:
            raise refuse(
                "items", _("At most %(limit)s characters, please.") % {"limit": 500}, "too_long"
            )
        if kind == WorksKind.MINOR and item not in MINOR_ITEMS:
            raise refuse(
                "items",
                _(
                    "Minor works cover painting and furniture only: %(item)s needs a "
                    "full renovation application."
                )
                % {"item": ScopeItem(item).label},
                "not_minor",
            )
        cleaned[item] = words
    return cleaned


def _check(community: Community, app: Application) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    if app.unit.community_id != community.pk:
        errors["unit"] = _("Choose one of this community's units.")
    if app.contractor.community_id != community.pk:
        errors["contractor"] = _("Choose one of this community's contractors.")
    if app.kind not in WorksKind.values:
        errors["kind"] = _("Choose the type of works.")
    if app.applicant_kind not in ApplicantKind.values:
        errors["applicant_kind"] = _("Say whether the owner or a tenant applies.")
    elif app.applicant_kind == ApplicantKind.TENANT and not app.owner_consent.strip():
        errors["owner_consent"] = _(
            "A tenant applies with the owner's written consent: record how the owner consented."
        )
    if app.planned_end < app.planned_start:
        errors["planned_end"] = _("The planned end is before the planned start.")
    else:
        longest = policy(community, "reno.max_days")
        if (app.planned_end - app.planned_start).days + 1 > longest:
            errors["planned_end"] = _("A renovation lasts at most %(days)s days.") % {
                "days": longest
            }
    ahead = policy(community, "reno.apply_days_before")
    if app.planned_start < timezone.localdate() + dt.timedelta(days=ahead):
        errors["planned_start"] = _("Apply at least %(days)s days before the works start.") % {
            "days": ahead
        }
    if errors:
        raise ValidationError(errors)
    ban = app.contractor.ban_on(timezone.localdate())
    if ban is not None:
        until = ban.until.isoformat() if ban.until else _("further notice")
        raise refuse(
            "contractor",
            _(
                "This contractor is banned in this community until %(until)s (%(reason)s): "
                "the application is refused."
            )
            % {"until": until, "reason": ban.reason},
            "contractor_banned",
        )
    return {
        "applicant_name": text(app.applicant_name, "applicant_name", 50, required=True),
        "applicant_phone": text(app.applicant_phone, "applicant_phone", 30, required=True),
        "owner_consent": text(app.owner_consent, "owner_consent", 200),
        "items": _check_items(app.kind, app.items),
    }


@transaction.atomic
def apply(*, community: Community, application: Application, by: User) -> Renovation:
    """Register an application: checked (a banned contractor refused at once), numbered,
    the reply due within `reno.review_workdays` working days."""
    require_perm(by, "renovation.add_renovation", community)
    cleaned = _check(community, application)
    items = cleaned.pop("items")
    today = timezone.localdate()
    renovation = Renovation(
        community=community,
        unit=application.unit,
        zone_id=application.unit.building.zone_id,
        contractor=application.contractor,
        kind=application.kind,
        applicant_kind=application.applicant_kind,
        planned_start=application.planned_start,
        planned_end=application.planned_end,
        special=bool(SPECIAL_ITEMS & set(items)),
        review_due_on=add_working_days(
            today, policy(community, "reno.review_workdays"), community=community
        ),
        **cleaned,
    )
    renovation.number = str(next_number(community=community, kind="renovation"))
    renovation.save()
    ScopeLine.objects.bulk_create(
        ScopeLine(renovation=renovation, item=item, description=words)
        for item, words in items.items()
    )
    workflows.record_creation(renovation, by=by, note=renovation.number)
    return renovation


def _may_edit(renovation: Renovation, by: User, states: tuple[str, ...]) -> None:
    require_perm(by, "renovation.add_renovation", renovation.community)
    if renovation.status not in states:
        raise ValidationError(
            _("This renovation is %(status)s: its documents can no longer change.")
            % {"status": renovation.get_status_display()},
            code="closed_for_changes",
        )


@transaction.atomic
def add_plan(*, renovation: Renovation, kind: str, upload: Any, by: User) -> Plan:
    """Attach a plan or a supporting document: a PDF or a picture, checked by its content,
    no larger than `reno.plan_max_mb`."""
    locked = lock(renovation)
    _may_edit(locked, by, EDITABLE)
    if kind not in PlanKind.values:
        raise refuse("kind", _("Choose what the document is."), "bad_kind")
    if upload is None:
        raise refuse("file", _("Choose a file."), "required")
    limit = policy(locked.community, "reno.plan_max_mb")
    if int(getattr(upload, "size", 0) or 0) > limit * 1024 * 1024:
        raise refuse("file", _("The file is larger than %(mb)s MB.") % {"mb": limit}, "too_large")
    checked = check_upload(upload, PICTURES_AND_PDF, field="file")
    plan = Plan.objects.create(
        renovation=locked,
        kind=kind,
        file=checked.file,
        original_name=checked.original_name,
        added_by=by,
    )
    workflows.record_event(locked, by=by, action="plan_added", note=checked.original_name)
    return plan


@transaction.atomic
def add_worker(
    *, renovation: Renovation, name: str, id_number: str, photo: Any, by: User, phone: str = ""
) -> Worker:
    """Put a worker on the site's list: a resident ID with a valid check digit and a photo."""
    locked = lock(renovation)
    _may_edit(locked, by, WORKERS_OPEN)
    name = text(name, "name", 50, required=True)
    number = normalise_id_number(id_number)
    if not number:
        raise refuse("id_number", _("This field is required."), "required")
    try:
        validate_resident_id(number)
    except ValidationError as exc:
        raise refuse("id_number", exc.messages[0], str(exc.code)) from None
    if photo is None:
        raise refuse("photo", _("A worker needs a photo for the pass."), "required")
    if int(getattr(photo, "size", 0) or 0) > PHOTO_MAX_BYTES:
        raise refuse("photo", _("The photo is larger than 5 MB."), "too_large")
    checked = check_upload(photo, PICTURES, field="photo")
    if locked.workers.filter(id_number=number).exists():
        raise refuse("id_number", _("This worker is already on the list."), "duplicate")
    worker = Worker.objects.create(
        renovation=locked,
        name=name,
        id_number=number,
        phone=text(phone, "phone", 30),
        photo=checked.file,
        added_by=by,
    )
    workflows.record_event(locked, by=by, action="worker_added", note=name)
    return worker


@transaction.atomic
def submit_for_review(*, renovation: Renovation, by: User) -> Renovation:
    """The application is complete and goes to review: a full renovation needs its layout
    plan and its workers; structural or façade items a design or the authority's approval."""
    locked = lock(renovation)
    if locked.kind == WorksKind.FULL:
        kinds = set(locked.plans.values_list("kind", flat=True))
        if PlanKind.LAYOUT not in kinds:
            raise ValidationError(
                _("Attach the layout plan before the review."), code="plan_missing"
            )
        if locked.special and not kinds & {PlanKind.DESIGN, PlanKind.AUTHORITY}:
            raise ValidationError(
                _(
                    "Structural or façade items need a qualified design or the authority's "
                    "approval attached."
                ),
                code="design_missing",
            )
        if not locked.workers.exists():
            raise ValidationError(_("List the workers before the review."), code="no_workers")
    workflows.transition(locked, S.UNDER_REVIEW, by=by, action="submitted")
    return done(renovation, locked)


@transaction.atomic
def give_opinion(
    *, renovation: Renovation, opinion: str, by: User, engineering: bool
) -> Renovation:
    """The CSC's or engineering's review opinion (with date and name on the form)."""
    locked = lock(renovation)
    perm = "renovation.engineering_review" if engineering else "renovation.review_renovation"
    require_perm(by, perm, locked.community)
    if locked.status != S.UNDER_REVIEW:
        raise workflows.WorkflowError(workflows.Code.MOVE_NOT_ALLOWED)
    words = text(opinion, "opinion", 2000, required=True)
    if engineering:
        locked.engineering_opinion, locked.engineering_by = words, by
    else:
        locked.csc_opinion, locked.csc_by = words, by
    locked.save(
        update_fields=[
            "engineering_opinion",
            "engineering_by",
            "csc_opinion",
            "csc_by",
            "updated_at",
        ]
    )
    action = "engineering_opinion" if engineering else "csc_opinion"
    workflows.record_event(locked, by=by, action=action, note=words)
    return done(renovation, locked)


@transaction.atomic
def request_changes(*, renovation: Renovation, note: str, by: User) -> Renovation:
    locked = lock(renovation)
    words = text(note, "note", 2000, required=True)
    workflows.transition(
        locked, S.NEEDS_CHANGES, by=by, note=words, reviewed_on=timezone.localdate()
    )
    return done(renovation, locked)


@transaction.atomic
def reject(*, renovation: Renovation, note: str, by: User) -> Renovation:
    locked = lock(renovation)
    words = text(note, "note", 2000, required=True)
    workflows.transition(locked, S.REJECTED, by=by, note=words, reviewed_on=timezone.localdate())
    return done(renovation, locked)


@transaction.atomic
def approve(*, renovation: Renovation, by: User, conditions: str = "") -> Renovation:
    """Approve with both opinions given (minor works: the CSC's); the fees and deposits are
    charged to the unit at once (nothing owed: fees paid)."""
    from .fees import charge_fees

    locked = lock(renovation)
    workflows.check_transition(locked, S.APPROVED, by=by)
    if not locked.csc_opinion:
        raise ValidationError(_("The CSC's opinion is missing."), code="opinion_missing")
    if locked.kind == WorksKind.FULL and not locked.engineering_opinion:
        raise ValidationError(_("Engineering's opinion is missing."), code="opinion_missing")
    words = text(conditions, "conditions", 2000)
    workflows.transition(
        locked,
        S.APPROVED,
        by=by,
        note=words,
        conditions=words,
        approved_by=by,
        reviewed_on=timezone.localdate(),
    )
    charge_fees(renovation=locked, by=by)
    return done(renovation, locked)


def may_approve(renovation: Renovation, by: User) -> bool:
    return workflows.can_transition(renovation, S.APPROVED, by=by) and has_perm_in(
        by, "renovation.view_renovation", renovation.community
    )

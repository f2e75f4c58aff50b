"""Training sessions (spec §21): scheduled with a trainer, hours and the invited staff;
attendees sign in themselves on a phone, or the trainer ticks the signed paper sheet; the
scanned sheet and the materials are kept; a session moved or cancelled records its reason;
the trainer marks it held."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.core import workflows
from guanjia.core.access import User, has_perm_in, require_perm
from guanjia.core.models import Community

from ..models import (
    MANUAL,
    MANUAL_CODES,
    PlanStatus,
    SessionKind,
    SessionMaterial,
    SessionStatus,
    SignInSheetScan,
    SignMethod,
    TrainingAttendance,
    TrainingPlan,
    TrainingSession,
)
from ._common import checked_file, field_error, is_staff_of, staff_of, text

MANAGE = "training.add_trainingsession"
TAKE = "training.take_training"


@dataclass(frozen=True)
class SessionData:
    """What a session is: its topic, type, trainer, start, hours, place and method."""

    topic: str
    kind: str
    trainer: User
    starts_at: dt.datetime
    hours: Decimal
    place: str = ""
    method: str = ""
    content: str = ""


def _checked(community: Community, data: SessionData) -> dict[str, object]:
    if data.kind not in SessionKind.values:
        raise field_error("kind", _("Choose the type of training."), "invalid")
    if data.hours is None or not (Decimal("0.5") <= data.hours <= 24):
        raise field_error("hours", _("Enter from 0.5 to 24 hours."), "invalid")
    if data.hours % Decimal("0.5"):
        raise field_error("hours", _("Enter hours in steps of half an hour."), "invalid")
    if not is_staff_of(community, data.trainer):
        raise field_error("trainer", _("The trainer must work in this community."), "not_staff")
    return {
        "topic": text(data.topic, "topic", 200, required=_("Give the session a topic.")),
        "kind": data.kind,
        "trainer": data.trainer,
        "starts_at": data.starts_at,
        "hours": data.hours,
        "place": text(data.place, "place", 100),
        "method": text(data.method, "method", 100),
        "content": text(data.content, "content", 4000),
    }


def _plan(community: Community, plan: TrainingPlan | None) -> TrainingPlan | None:
    if plan is None:
        return None
    if plan.community_id != community.pk:
        raise field_error("plan", _("Choose a plan of this community."), "other_community")
    if plan.status != PlanStatus.APPROVED:
        raise field_error("plan", _("Only an approved plan takes sessions."), "not_approved")
    return plan


@transaction.atomic
def schedule_session(
    *,
    community: Community,
    data: SessionData,
    invited: Iterable[User],
    by: User,
    plan: TrainingPlan | None = None,
) -> TrainingSession:
    """A new session with its invited staff (each of the community)."""
    require_perm(by, MANAGE, community)
    fields = _checked(community, data)
    people = list({u.pk: u for u in invited}.values())
    if not people:
        raise field_error("invited", _("Invite at least one employee."), "required")
    known = set(
        staff_of(community).filter(pk__in=[u.pk for u in people]).values_list("pk", flat=True)
    )
    strangers = [str(u) for u in people if u.pk not in known]
    if strangers:
        raise field_error(
            "invited",
            _("Not staff of this community: %(names)s.") % {"names": "、".join(strangers)},
            "not_staff",
        )
    session = TrainingSession.objects.create(
        community=community, plan=_plan(community, plan), **fields
    )
    TrainingAttendance.objects.bulk_create(
        TrainingAttendance(session=session, employee=u, invited=True) for u in people
    )
    workflows.record_creation(session, by=by)
    return session


def _lock(session: TrainingSession) -> TrainingSession:
    locked: TrainingSession = workflows.lock(session)
    return locked


@transaction.atomic
def sign_in(*, session: TrainingSession, employee: User, by: User) -> TrainingAttendance:
    """The attendee signs in themself on a phone, on the session's day. Signing in for
    someone else is refused (the trainer ticks the sheet instead)."""
    locked = _lock(session)
    if employee.pk != by.pk:
        raise PermissionDenied(
            _("Nobody signs in for someone else: the trainer ticks the signed sheet.")
        )
    require_perm(by, TAKE, locked.community)
    if locked.status == SessionStatus.CANCELLED:
        raise field_error("session", _("This session was cancelled."), "cancelled")
    if timezone.localtime(locked.starts_at).date() != timezone.localdate():
        raise field_error("session", _("Sign in on the day of the session."), "not_today")
    row, _created = TrainingAttendance.objects.get_or_create(
        session=locked, employee=employee, defaults={"invited": False}
    )
    if row.signed_at is not None:
        raise field_error("session", _("You have signed in already."), "already_signed")
    row.signed_at = timezone.now()
    row.method = SignMethod.PHONE
    row.recorded_by = by
    row.save(update_fields=["signed_at", "method", "recorded_by", "updated_at"])
    return row


def _may_record(user: User, session: TrainingSession) -> bool:
    return user.pk == session.trainer_id or has_perm_in(user, MANAGE, session.community_id)


@transaction.atomic
def record_sheet(*, session: TrainingSession, present: Iterable[User], by: User) -> int:
    """The trainer ticks who signed the printed sheet; returns how many were newly signed.
    Those already signed stay signed (a sheet never unsigns a phone sign-in)."""
    locked = _lock(session)
    if not _may_record(by, locked):
        raise PermissionDenied(_("Only the trainer or a training manager records the sheet."))
    if locked.status == SessionStatus.CANCELLED:
        raise field_error("present", _("This session was cancelled."), "cancelled")
    people = list({u.pk: u for u in present}.values())
    if not people:
        raise field_error("present", _("Tick at least one employee."), "required")
    known = set(
        staff_of(locked.community)
        .filter(pk__in=[u.pk for u in people])
        .values_list("pk", flat=True)
    )
    if any(u.pk not in known for u in people):
        raise field_error("present", _("Tick staff of this community only."), "not_staff")
    now = timezone.now()
    signed = 0
    for person in people:
        row, _created = TrainingAttendance.objects.get_or_create(
            session=locked, employee=person, defaults={"invited": False}
        )
        if row.signed_at is None:
            row.signed_at, row.method, row.recorded_by = now, SignMethod.SHEET, by
            row.save(update_fields=["signed_at", "method", "recorded_by", "updated_at"])
            signed += 1
    workflows.record_event(
        locked, by=by, action="sheet_recorded", note=_("%(n)s signed.") % {"n": signed}
    )
    return signed


@transaction.atomic
def upload_sheet(*, session: TrainingSession, upload: UploadedFile, by: User) -> SignInSheetScan:
    """The scanned signed sheet (PDF or picture), kept with the session."""
    locked = _lock(session)
    if not _may_record(by, locked):
        raise PermissionDenied(_("Only the trainer or a training manager uploads the sheet."))
    checked = checked_file(locked.community, upload, "file")
    return SignInSheetScan.objects.create(
        session=locked, file=checked.file, original_name=checked.original_name, uploaded_by=by
    )


@transaction.atomic
def add_material(
    *,
    session: TrainingSession,
    by: User,
    manual_code: str = "",
    title: str = "",
    upload: UploadedFile | None = None,
) -> SessionMaterial:
    """A procedure of the manual (QW-21-xx) or an uploaded file as the session's material."""
    locked = _lock(session)
    if not _may_record(by, locked):
        raise PermissionDenied(_("Only the trainer or a training manager adds material."))
    code = (manual_code or "").strip()
    if code and code not in MANUAL_CODES:
        raise field_error("manual_code", _("Choose a procedure of the manual."), "invalid")
    if not code and upload is None:
        raise field_error(
            "manual_code", _("Choose a procedure of the manual or upload a file."), "required"
        )
    fields: dict[str, object] = {"manual_code": code}
    if upload is not None:
        checked = checked_file(locked.community, upload, "file")
        fields |= {"file": checked.file, "original_name": checked.original_name}
    default = dict(MANUAL).get(code) or fields.get("original_name") or ""
    fields["title"] = text(title or str(default), "title", 200, required=_("Give a title."))
    return SessionMaterial.objects.create(session=locked, added_by=by, **fields)


@transaction.atomic
def move_session(
    *, session: TrainingSession, starts_at: dt.datetime, reason: str, by: User
) -> TrainingSession:
    """A scheduled session moved (weather, workload): the new start and the reason are kept."""
    locked = _lock(session)
    if not _may_record(by, locked):
        raise PermissionDenied(_("Only the trainer or a training manager moves a session."))
    if locked.status != SessionStatus.SCHEDULED:
        raise workflows.WorkflowError(workflows.Code.MOVE_NOT_ALLOWED)
    why = text(reason, "reason", 500, required=_("Say why the session is moved."))
    before = timezone.localtime(locked.starts_at)
    locked.starts_at, locked.reason = starts_at, why
    locked.save(update_fields=["starts_at", "reason", "updated_at"])
    workflows.record_event(
        locked,
        by=by,
        action="moved",
        note=why,
        data={
            "from": f"{before:%Y-%m-%d %H:%M}",
            "to": f"{timezone.localtime(starts_at):%Y-%m-%d %H:%M}",
        },
    )
    session.refresh_from_db()
    return session


@transaction.atomic
def cancel_session(*, session: TrainingSession, reason: str, by: User) -> TrainingSession:
    why = text(reason, "reason", 500, required=_("Say why the session is cancelled."))
    workflows.transition(session, SessionStatus.CANCELLED, by=by, note=why, reason=why)
    return session


@transaction.atomic
def hold_session(*, session: TrainingSession, by: User, note: str = "") -> TrainingSession:
    """The session took place (it counts as held in the plan's completion)."""
    if timezone.localtime(session.starts_at).date() > timezone.localdate():
        raise field_error("note", _("A session is held on its day, not before."), "future")
    workflows.transition(session, SessionStatus.HELD, by=by, note=text(note, "note", 500))
    return session

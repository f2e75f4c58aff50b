"""Site supervision (spec §16 steps 6-8): inspections every `reno.inspect_interval_days` on
each active site, breaches recorded for rectification or the site stopped (stop-work notice),
resumed after the fix, and extensions asked before the permit expires."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.core import workflows
from guanjia.core.access import User, require_perm
from guanjia.core.files.checks import check_upload
from guanjia.core.files.types import PICTURES
from guanjia.core.policies.selectors import policy

from ..models import (
    ACTIVE,
    WORKING,
    CheckItem,
    Extension,
    Inspection,
    InspectionPhoto,
    Outcome,
    RenoStatus,
    Renovation,
)
from ._common import done, lock, refuse, text

S = RenoStatus
MAX_PHOTOS = 6
PHOTO_MAX_BYTES = 5 * 1024 * 1024


def _photos(photos: Sequence[Any]) -> list[Any]:
    if len(photos) > MAX_PHOTOS:
        raise refuse(
            "photos",
            _("At most %(count)s photos an inspection.") % {"count": MAX_PHOTOS},
            "too_many",
        )
    checked = []
    for photo in photos:
        if int(getattr(photo, "size", 0) or 0) > PHOTO_MAX_BYTES:
            raise refuse("photos", _("The photo is larger than 5 MB."), "too_large")
        checked.append(check_upload(photo, PICTURES, field="photos").file)
    return checked


@transaction.atomic
def record_inspection(
    *,
    renovation: Renovation,
    outcome: str,
    by: User,
    breaches: Sequence[str] = (),
    note: str = "",
    instruction: str = "",
    photos: Sequence[Any] = (),
) -> Inspection:
    """One visit of the site with the §16 checklist. A breach is recorded with the
    instruction given (rectification); a serious one stops the site (suspended). The next
    inspection falls due `reno.inspect_interval_days` later."""
    locked = lock(renovation)
    require_perm(by, "renovation.inspect_renovation", locked.community)
    if locked.status not in ACTIVE:
        raise ValidationError(
            _("Only a site with a permit is inspected (this one is %(status)s).")
            % {"status": locked.get_status_display()},
            code="not_active",
        )
    if outcome not in Outcome.values:
        raise refuse("outcome", _("Choose the outcome of the inspection."), "bad_outcome")
    unknown = [b for b in breaches if b not in CheckItem.values]
    if unknown:
        raise refuse("breaches", _("Unknown checklist item."), "bad_item")
    note = text(note, "note", 2000)
    instruction = text(instruction, "instruction", 500)
    if outcome in (Outcome.BREACH, Outcome.STOP):
        if not breaches and not note:
            raise refuse("breaches", _("Tick the breaches found or describe them."), "no_breach")
        if not instruction:
            raise refuse("instruction", _("Say what the contractor must do."), "required")
    elif breaches:
        raise refuse("breaches", _("Breaches are ticked only with a breach outcome."), "no_outcome")
    files = _photos(photos)
    if outcome == Outcome.STOP:
        workflows.check_transition(locked, S.SUSPENDED, by=by)
    today = timezone.localdate()
    inspection = Inspection.objects.create(
        community=locked.community,
        renovation=locked,
        on=today,
        by=by,
        outcome=outcome,
        breaches=list(dict.fromkeys(breaches)),
        note=note,
        instruction=instruction,
    )
    InspectionPhoto.objects.bulk_create(
        InspectionPhoto(inspection=inspection, image=file) for file in files
    )
    interval = policy(locked.community, "reno.inspect_interval_days")
    locked.next_inspection_on = today + dt.timedelta(days=interval)
    locked.save(update_fields=["next_inspection_on", "updated_at"])
    label = str(Outcome(outcome).label)
    if outcome == Outcome.STOP:
        workflows.transition(
            locked, S.SUSPENDED, by=by, action="stopped", note=f"{label}: {instruction}"
        )
    else:
        workflows.record_event(
            locked,
            by=by,
            action="inspected",
            note=f"{label} {instruction}".strip(),
            data={"inspection": inspection.pk, "outcome": outcome},
        )
    return inspection


@transaction.atomic
def suspend(*, renovation: Renovation, reason: str, by: User) -> Renovation:
    """Stop the works (security on the office's order): the stop-work notice is printed."""
    locked = lock(renovation)
    words = text(reason, "reason", 500, required=True)
    workflows.transition(locked, S.SUSPENDED, by=by, action="stopped", note=words)
    return done(renovation, locked)


@transaction.atomic
def resume(*, renovation: Renovation, note: str, by: User) -> Renovation:
    """The breach is put right: works resume."""
    locked = lock(renovation)
    words = text(note, "note", 500, required=True)
    workflows.transition(locked, S.IN_PROGRESS, by=by, action="resumed", note=words)
    return done(renovation, locked)


@transaction.atomic
def extend(*, renovation: Renovation, new_end: dt.date, reason: str, by: User) -> Extension:
    """Extend the permit before it expires, within `reno.max_days` from the start."""
    locked = lock(renovation)
    workflows.check_transition(locked, S.EXTENDED, by=by)
    words = text(reason, "reason", 500, required=True)
    old_end = locked.current_end
    if timezone.localdate() > old_end:
        raise ValidationError(
            _("The permit expired on %(day)s: an extension is asked before it expires.")
            % {"day": old_end.isoformat()},
            code="expired",
        )
    if new_end <= old_end:
        raise refuse(
            "new_end",
            _("The new end must be after %(day)s.") % {"day": old_end.isoformat()},
            "not_later",
        )
    longest = policy(locked.community, "reno.max_days")
    if (new_end - locked.planned_start).days + 1 > longest:
        raise refuse(
            "new_end",
            _("A renovation lasts at most %(days)s days.") % {"days": longest},
            "too_long",
        )
    extension = Extension.objects.create(
        renovation=locked, old_end=old_end, new_end=new_end, reason=words, by=by
    )
    workflows.transition(
        locked, S.EXTENDED, by=by, note=f"{old_end.isoformat()} → {new_end.isoformat()} {words}"
    )
    done(renovation, locked)
    return extension


def is_working(renovation: Renovation) -> bool:
    return renovation.status in WORKING

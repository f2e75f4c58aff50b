"""Spot checks (spec §07): opened on a phone for an employee on duty, each item ticked pass or
fail (a failure with a note or a photo), then signed by the employee or their refusal noted.
A failure may propose a penalty at once (`propose_level`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.core import workflows
from guanjia.core.access import User, require_perm
from guanjia.core.files.checks import check_upload
from guanjia.core.files.types import PICTURES
from guanjia.core.models import Community
from guanjia.core.numbering.services import next_number
from guanjia.core.policies.selectors import policy

from ..models import (
    CHECKED_KINDS,
    Cadence,
    CheckStatus,
    RecordKind,
    RecordLevel,
    Result,
    Source,
    SpotCheck,
    SpotCheckItem,
    StandardItem,
)
from ._common import back, field_error, is_staff_of, text

MAKE = "conduct.add_spotcheck"


@dataclass(frozen=True)
class ItemResult:
    """What the inspector ticked for one item."""

    result: str
    note: str = ""
    photo: UploadedFile | None = None


def _lock(check: SpotCheck) -> SpotCheck:
    locked: SpotCheck = workflows.lock(check)
    return locked


@transaction.atomic
def open_check(
    *,
    community: Community,
    employee: User,
    cadence: str,
    by: User,
    kinds: Sequence[str] = CHECKED_KINDS,
    post: str = "",
) -> SpotCheck:
    """A new check of `employee` with one item per standard in use of the chosen lists."""
    require_perm(by, MAKE, community)
    if cadence not in Cadence.values:
        raise field_error("cadence", _("Choose a daily, weekly or monthly check."), "invalid")
    if employee.pk == by.pk:
        raise field_error("employee", _("Nobody checks themselves."), "self")
    if not is_staff_of(community, employee):
        raise field_error(
            "employee", _("This person does not work in this community."), "not_staff"
        )
    chosen = list(dict.fromkeys(kinds))
    if not chosen or any(kind not in CHECKED_KINDS for kind in chosen):
        raise field_error("kinds", _("Choose the lists to check."), "invalid")
    standards = list(
        StandardItem.objects.filter(
            company_id=community.company_id, kind__in=chosen, is_active=True
        ).order_by("kind", "position", "pk")
    )
    if not standards:
        raise field_error("kinds", _("These lists have no item in use."), "empty")
    number = next_number(community=community, kind="spot_check")
    check = SpotCheck.objects.create(
        community=community,
        number=str(number),
        cadence=cadence,
        employee=employee,
        inspector=by,
        post=text(post, "post", 50),
    )
    order: dict[str, int] = {str(kind): i for i, kind in enumerate(CHECKED_KINDS)}
    standards.sort(key=lambda s: (order[s.kind], s.position, s.pk))
    SpotCheckItem.objects.bulk_create(
        SpotCheckItem(check_row=check, standard=s, kind=s.kind, text=s.text, position=i)
        for i, s in enumerate(standards, start=1)
    )
    workflows.record_creation(check, by=by)
    return check


def _photo(check: SpotCheck, field: str, upload: UploadedFile) -> Any:
    limit_mb = policy(check.community, "spotcheck.photo_max_mb")
    if (upload.size or 0) > limit_mb * 1024 * 1024:
        raise field_error(
            field, _("The photo is larger than %(mb)s MB.") % {"mb": limit_mb}, "too_large"
        )
    return check_upload(upload, PICTURES, field=field)


@transaction.atomic
def submit_check(
    *,
    check: SpotCheck,
    results: Mapping[int, ItemResult],
    by: User,
    propose_level: RecordLevel | None = None,
    facts: str = "",
) -> SpotCheck:
    """Every item ticked (a failure with a note or a photo): the check goes to the employee
    to sign; with `propose_level`, a failure proposes that penalty (spec §23)."""
    locked = _lock(check)
    workflows.check_transition(locked, CheckStatus.SUBMITTED, by=by)
    items = list(locked.items.all())
    errors: dict[str, list[ValidationError]] = {}
    checked: dict[int, Any] = {}
    for item in items:
        field = f"item-{item.pk}"
        given = results.get(item.pk)
        if given is None or given.result not in Result.values:
            errors.setdefault(field, []).append(
                ValidationError(_("Tick pass or fail."), code="required")
            )
            continue
        try:
            note = text(given.note, field, 500)
        except ValidationError as exc:
            errors.setdefault(field, []).extend(exc.error_dict[field])
            note = ""
        if given.photo is not None:
            try:
                checked[item.pk] = _photo(locked, field, given.photo)
            except ValidationError as exc:
                errors.setdefault(field, []).extend(exc.error_dict[field])
        if given.result == Result.FAIL and not note and given.photo is None and not item.photo:
            errors.setdefault(field, []).append(
                ValidationError(_("Say what failed: a note or a photo."), code="evidence")
            )
    unknown = set(results) - {item.pk for item in items}
    if unknown:
        errors.setdefault("items", []).append(
            ValidationError(_("An item is not part of this check."), code="unknown_item")
        )
    failures = sum(1 for i in items if i.pk in results and results[i.pk].result == Result.FAIL)
    if propose_level is not None:
        if propose_level.company_id != locked.community.company_id or (
            propose_level.kind != RecordKind.PENALTY
        ):
            errors.setdefault("propose_level", []).append(
                ValidationError(_("Choose a penalty level."), code="invalid")
            )
        elif not failures:
            errors.setdefault("propose_level", []).append(
                ValidationError(_("A check without a failure proposes no penalty."), "no_failure")
            )
    if errors:
        raise ValidationError(errors)
    for item in items:
        given = results[item.pk]
        item.result, item.note = given.result, text(given.note, f"item-{item.pk}", 500)
        item.updated_at = timezone.now()
        if item.pk in checked:  # a photo is stored one at a time (it is a file)
            item.photo = checked[item.pk].file
            item.original_name = checked[item.pk].original_name
            item.save()
    SpotCheckItem.objects.bulk_update(
        [i for i in items if i.pk not in checked], ["result", "note", "updated_at"]
    )
    workflows.transition(
        locked,
        CheckStatus.SUBMITTED,
        by=by,
        action="submitted",
        note=_("%(failed)s of %(total)s items failed.") % {"failed": failures, "total": len(items)},
        failures=failures,
        submitted_at=timezone.now(),
    )
    if propose_level is not None:
        from .records import Evidence, propose_record

        propose_record(
            community=locked.community,
            employee=locked.employee,
            level=propose_level,
            facts=facts.strip() or failed_items_text(locked),
            event_date=timezone.localdate(),
            evidence=Evidence(source=Source.SPOT_CHECK, spot_check=locked),
            by=by,
        )
    return back(check, locked)


def failed_items_text(check: SpotCheck) -> str:
    """The facts of a penalty proposed from a check: its failed items and their notes."""
    lines = [
        f"{item.text}：{item.note}" if item.note else item.text
        for item in check.items.filter(result=Result.FAIL)
    ]
    head = _("Spot check %(number)s failed:") % {"number": check.number}
    return "\n".join([head, *lines])[:2000]


@transaction.atomic
def acknowledge_check(*, check: SpotCheck, by: User, statement: str = "") -> SpotCheck:
    """The employee signs the check (only the employee: nobody signs for someone else)."""
    locked = _lock(check)
    if by.pk != locked.employee_id:
        raise PermissionDenied(_("Only the employee checked signs the check."))
    note = text(statement, "statement", 500)
    workflows.transition(
        locked,
        CheckStatus.ACKNOWLEDGED,
        by=by,
        action="acknowledged",
        note=note,
        statement=note,
        signed_at=timezone.now(),
    )
    return back(check, locked)


@transaction.atomic
def refuse_check(*, check: SpotCheck, by: User, statement: str) -> SpotCheck:
    """The employee refuses to sign: by the employee, or noted by an inspector, with what the
    employee said (spec §23: the refusal is recorded)."""
    locked = _lock(check)
    note = text(statement, "statement", 500, required=_("Write what the employee said."))
    noted_by = None if by.pk == locked.employee_id else by
    workflows.transition(
        locked,
        CheckStatus.REFUSED,
        by=by,
        action="refused",
        note=note,
        statement=note,
        signed_at=timezone.now(),
        refusal_noted_by=noted_by,
    )
    return back(check, locked)


@transaction.atomic
def cancel_check(*, check: SpotCheck, by: User, note: str) -> SpotCheck:
    """A check opened by mistake (the inspector only, before it is submitted)."""
    locked = _lock(check)
    reason = text(note, "note", 500, required=_("Say why the check is cancelled."))
    workflows.transition(locked, CheckStatus.CANCELLED, by=by, action="cancelled", note=reason)
    return back(check, locked)

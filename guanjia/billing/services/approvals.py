"""Approving fee standards and rate versions (spec §26: the cashier or finance proposes,
finance approves with the approval reference, 文号, and never the proposer). Billing runs use
approved standards and approved rates only; `note_unapproved` tells a preview what waits."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guanjia.accounts.models import User
from guanjia.accounts.services import ensure_different_people, register_separation_rule
from guanjia.core.access import has_perm_in
from guanjia.core.notifications.registry import StrOrPromise
from guanjia.core.notifications.services import notify

from ..models import APPROVAL_MOVES, ApprovalStatus, FeeStandard, FeeStandardVersion
from ..models.standards import Approval
from ..notifications import standard_approvers
from .calculation import covered_months, month_end

if TYPE_CHECKING:
    from .runs import Preview

APPROVE_PERM = "billing.approve_standard"
Row = TypeVar("Row", FeeStandard, FeeStandardVersion)

register_separation_rule(
    "fee_standard_approval",
    gettext_lazy("The person who proposed a fee standard or rate cannot approve or reject it."),
)


def describe(row: FeeStandard | FeeStandardVersion) -> str:
    """How a notification names the row: the standard, or the standard and the new rate."""
    if isinstance(row, FeeStandardVersion):
        return f"{row.standard.name} · {row.rate} ({row.effective_from:%Y-%m-%d} →)"
    return row.name


def mark_proposed(row: Approval, *, by: User) -> None:
    """Put a row (back) to awaiting approval, proposed by `by` now; the caller saves it."""
    row.approval_status = ApprovalStatus.PROPOSED
    row.proposed_by, row.proposed_at = by, timezone.now()
    row.decided_by, row.decided_at, row.rejection_reason = None, None, ""


def tell_approvers(row: FeeStandard | FeeStandardVersion, *, by: User) -> None:
    """Every finance user of the community (the proposer left out) gets an inbox message."""
    standard = row.standard if isinstance(row, FeeStandardVersion) else row
    context = {
        "what": describe(row),
        "proposed_by": by.display_name,
        "community": standard.community.name,
    }
    link = reverse("billing:standard-detail", args=[standard.pk])
    for user in standard_approvers(standard.community, proposer=by):
        notify(user, "billing.standard_proposed", context, community=standard.community, link=link)


def _tell_proposer(
    row: FeeStandard | FeeStandardVersion,
    standard: FeeStandard,
    *,
    decision: StrOrPromise | None = None,
    note: str | None = None,
) -> None:
    """The proposer learns the decision (by default the row's state and its reference or
    reason; a rejected change to an approved standard passes its own)."""
    if row.proposed_by is None or row.decided_by is None:
        return
    context = {
        "what": describe(row),
        "decided_by": row.decided_by.display_name,
        "community": standard.community.name,
        "decision": decision or ApprovalStatus(row.approval_status).label,
        "note": note
        if note is not None
        else row.rejection_reason or getattr(row, "approval_ref", ""),
    }
    link = reverse("billing:standard-detail", args=[standard.pk])
    notify(
        row.proposed_by,
        "billing.standard_decided",
        context,
        community=standard.community,
        link=link,
    )


def _check_decider(row: Approval, standard: FeeStandard, *, by: User, to: str) -> None:
    if not has_perm_in(by, APPROVE_PERM, standard.community_id):
        raise PermissionDenied(_("Only finance may approve or reject fee standards and rates."))
    if to not in APPROVAL_MOVES[row.approval_status]:
        raise ValidationError(
            _("This has already been approved or rejected."), code="already_decided"
        )
    ensure_different_people(actor=by, other=row.proposed_by, rule="fee_standard_approval")


def _decide(row: Row, standard: FeeStandard, *, by: User, to: str, note: str) -> Row:
    row.approval_status, row.decided_by, row.decided_at = to, by, timezone.now()
    row._change_reason = note[:100]  # type: ignore[attr-defined]  # simple-history's reason
    row.save()
    _tell_proposer(row, standard)
    return row


def _clean_ref(approval_ref: str, current: str) -> str:
    ref = (approval_ref or current or "").strip()
    if not ref:
        raise ValidationError(
            _("Give the approval reference (price-authority filing or owners' assembly decision)."),
            code="approval_ref_required",
        )
    if len(ref) > 60:
        raise ValidationError(
            _("An approval reference has at most 60 characters."), code="approval_ref_too_long"
        )
    return ref


def _clean_reason(reason: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise ValidationError(_("Give a reason for the rejection."), code="reason_required")
    if len(text) > 200:
        raise ValidationError(_("A reason has at most 200 characters."), code="reason_too_long")
    return text


@transaction.atomic
def approve_standard(*, standard: FeeStandard, by: User, approval_ref: str = "") -> FeeStandard:
    """Finance approves a proposed standard, or the change awaiting approval of an approved
    one (its values then replace the billed ones), with the approval reference."""
    locked = FeeStandard.objects.select_for_update().select_related("community").get(pk=standard.pk)
    if locked.pending_change:
        return _approve_change(locked, by=by, approval_ref=approval_ref)
    _check_decider(locked, locked, by=by, to=ApprovalStatus.APPROVED)
    locked.approval_ref = _clean_ref(approval_ref, locked.approval_ref)
    locked.rejection_reason = ""
    return _decide(locked, locked, by=by, to=ApprovalStatus.APPROVED, note=locked.approval_ref)


@transaction.atomic
def reject_standard(*, standard: FeeStandard, by: User, reason: str) -> FeeStandard:
    """Finance rejects a proposed standard (not billed until proposed again), or the change
    awaiting approval of an approved one (dropped: the approved values stay billed)."""
    locked = FeeStandard.objects.select_for_update().select_related("community").get(pk=standard.pk)
    if locked.pending_change:
        return _reject_change(locked, by=by, reason=reason)
    _check_decider(locked, locked, by=by, to=ApprovalStatus.REJECTED)
    locked.rejection_reason = _clean_reason(reason)
    return _decide(locked, locked, by=by, to=ApprovalStatus.REJECTED, note=locked.rejection_reason)


def _check_change_decider(standard: FeeStandard, *, by: User) -> None:
    if not has_perm_in(by, APPROVE_PERM, standard.community_id):
        raise PermissionDenied(_("Only finance may approve or reject fee standards and rates."))
    ensure_different_people(actor=by, other=standard.proposed_by, rule="fee_standard_approval")


def _approve_change(standard: FeeStandard, *, by: User, approval_ref: str) -> FeeStandard:
    _check_change_decider(standard, by=by)
    ref = _clean_ref(approval_ref, "")
    for name, value in standard.pending_change.items():
        setattr(standard, "common_meter_id" if name == "common_meter" else name, value)
    standard.pending_change = {}
    standard.approval_ref, standard.rejection_reason = ref, ""
    standard.full_clean()
    return _decide(standard, standard, by=by, to=ApprovalStatus.APPROVED, note=ref)


def _reject_change(standard: FeeStandard, *, by: User, reason: str) -> FeeStandard:
    _check_change_decider(standard, by=by)
    text = _clean_reason(reason)
    standard.pending_change = {}
    standard.decided_by, standard.decided_at = by, timezone.now()
    standard._change_reason = (_("Change rejected: %(reason)s") % {"reason": text})[:100]  # type: ignore[attr-defined]
    standard.save()
    _tell_proposer(standard, standard, decision=ApprovalStatus.REJECTED.label, note=text)
    return standard


def _end_open_versions(version: FeeStandardVersion) -> None:
    """An approved rate from a date ends the approved open rate before it the day before."""
    earlier = version.standard.versions.filter(
        approval_status=ApprovalStatus.APPROVED,
        effective_to__isnull=True,
        effective_from__lt=version.effective_from,
    )
    for old in earlier:
        old.effective_to = version.effective_from - dt.timedelta(days=1)
        old._change_reason = _("Ended by the rate from %(day)s") % {  # type: ignore[attr-defined]
            "day": f"{version.effective_from:%Y-%m-%d}"
        }
        old.save(update_fields=["effective_to", "updated_at"])


def _check_no_approved_overlap(version: FeeStandardVersion) -> None:
    from .standards import overlapping_versions

    found = overlapping_versions(
        version.standard, version.effective_from, version.effective_to, exclude=[version.pk]
    ).filter(approval_status=ApprovalStatus.APPROVED)
    if found.exists():
        raise ValidationError(
            _("This rate overlaps an approved rate of the standard: end that one first."),
            code="overlapping_versions",
        )


@transaction.atomic
def approve_version(
    *, version: FeeStandardVersion, by: User, approval_ref: str = ""
) -> FeeStandardVersion:
    """Finance approves a proposed rate with its approval reference; an open approved rate
    that starts before it ends the day before (as `change_rate` proposed)."""
    standard = FeeStandard.objects.select_for_update().select_related("community")
    locked_standard = standard.get(pk=version.standard_id)
    locked = FeeStandardVersion.objects.select_related("standard").get(pk=version.pk)
    _check_decider(locked, locked_standard, by=by, to=ApprovalStatus.APPROVED)
    locked.approval_ref = _clean_ref(approval_ref, locked.approval_ref)
    _end_open_versions(locked)
    _check_no_approved_overlap(locked)
    return _decide(
        locked, locked_standard, by=by, to=ApprovalStatus.APPROVED, note=locked.approval_ref
    )


@transaction.atomic
def reject_version(*, version: FeeStandardVersion, by: User, reason: str) -> FeeStandardVersion:
    """Finance rejects a proposed rate: it is never billed and no longer blocks other dates."""
    standard = FeeStandard.objects.select_for_update().select_related("community")
    locked_standard = standard.get(pk=version.standard_id)
    locked = FeeStandardVersion.objects.select_related("standard").get(pk=version.pk)
    _check_decider(locked, locked_standard, by=by, to=ApprovalStatus.REJECTED)
    locked.rejection_reason = _clean_reason(reason)
    return _decide(
        locked, locked_standard, by=by, to=ApprovalStatus.REJECTED, note=locked.rejection_reason
    )


def note_unapproved(preview: Preview) -> None:
    """Tell a billing-run preview what waits: a standard not approved is an error naming it
    (nothing posts); a proposed rate inside the months billed is a warning (it is ignored)."""
    standards = FeeStandard.objects.filter(
        community=preview.community, fee_item=preview.fee_item, is_active=True
    )
    for standard in standards.exclude(approval_status=ApprovalStatus.APPROVED):
        if standard.approval_status == ApprovalStatus.PROPOSED:
            message = _("Standard “%(name)s” awaits approval: it is not billed until approved.")
        else:
            message = _(
                "Standard “%(name)s” was rejected: change it to propose it again, "
                "or make it inactive."
            )
        preview.errors.append(message % {"name": standard.name})
    for name in (
        standards.filter(approval_status=ApprovalStatus.APPROVED)
        .exclude(pending_change={})
        .values_list("name", flat=True)
    ):
        preview.warnings.append(
            _("A change to “%(name)s” awaits approval: its approved terms are billed.")
            % {"name": name}
        )
    waiting = FeeStandardVersion.objects.filter(
        standard__in=standards.filter(approval_status=ApprovalStatus.APPROVED),
        approval_status=ApprovalStatus.PROPOSED,
    ).select_related("standard")
    for version in waiting.order_by("standard__name", "effective_from"):
        months = covered_months(preview.period, version.standard.cycle, version.standard.billed_in)
        if (
            months
            and version.effective_from <= month_end(months[-1])
            and (version.effective_to is None or version.effective_to >= months[0])
        ):
            preview.warnings.append(
                _("%(name)s: the rate from %(day)s awaits approval and is not used.")
                % {"name": version.standard.name, "day": f"{version.effective_from:%Y-%m-%d}"}
            )

"""Approving fee standards and rate versions (spec §26: the cashier or finance proposes,
finance approves with the approval reference, 文号, and never the proposer). Billing runs use
approved standards and approved rates only; `note_unapproved` tells a preview what waits.

The states move through core.workflows (docs/workflows.md): a proposal is
`workflows.request_approval` (or the creation event of a new row), a decision
`workflows.decide`, each an event row (FeeStandardEvent, FeeStandardVersionEvent). A change to
an approved standard waits in `pending_change` while the standard stays approved and billed;
its request and decision are events of the standard (`change_requested`, `change_approved`,
`change_rejected`) checked by the same rules. Refusals speak `workflows.Code`, with billing's
own wording of the message."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guanjia.accounts.models import User
from guanjia.accounts.services import register_separation_rule
from guanjia.core import workflows
from guanjia.core.notifications.registry import StrOrPromise
from guanjia.core.notifications.services import notify
from guanjia.core.workflows import Code, WorkflowDenied, WorkflowError

from ..models import ApprovalStatus, FeeStandard, FeeStandardVersion
from ..models.standards import may_approve_standard
from ..notifications import standard_approvers
from .calculation import covered_months, month_end

if TYPE_CHECKING:
    from .runs import Preview

APPROVE_PERM = "billing.approve_standard"
Row = TypeVar("Row", FeeStandard, FeeStandardVersion)

OWN_REQUEST = gettext_lazy(
    "The person who proposed a fee standard or rate cannot approve or reject it."
)
register_separation_rule("fee_standard_approval", OWN_REQUEST)

# Billing's wording of the mechanism's refusals (the codes stay the mechanism's).
_WORDS: dict[str, Any] = {
    Code.OWN_REQUEST: OWN_REQUEST,
    Code.NOT_PERMITTED: gettext_lazy("Only finance may approve or reject fee standards and rates."),
    Code.ALREADY_DECIDED: gettext_lazy("This has already been approved or rejected."),
    Code.REASON_REQUIRED: gettext_lazy("Give a reason for the rejection."),
    Code.REFERENCE_REQUIRED: gettext_lazy(
        "Give the approval reference (price-authority filing or owners' assembly decision)."
    ),
}
_REFERENCE_TOO_LONG = gettext_lazy("An approval reference has at most 60 characters.")
_REASON_TOO_LONG = gettext_lazy("A reason has at most 200 characters.")


@contextmanager
def _billing_words(*, approve: bool) -> Iterator[None]:
    """Re-raise a workflow refusal with the same code and billing's message."""
    try:
        yield
    except WorkflowDenied as exc:
        raise WorkflowDenied(exc.code, _WORDS.get(exc.code, str(exc))) from exc
    except WorkflowError as exc:
        code = exc.code or ""
        if code == Code.TOO_LONG:
            raise WorkflowError(code, _REFERENCE_TOO_LONG if approve else _REASON_TOO_LONG) from exc
        if code in _WORDS:
            raise WorkflowError(code, _WORDS[code]) from exc
        raise


def describe(row: FeeStandard | FeeStandardVersion) -> str:
    """How a notification names the row: the standard, or the standard and the new rate."""
    if isinstance(row, FeeStandardVersion):
        return f"{row.standard.name} · {row.rate} ({row.effective_from:%Y-%m-%d} →)"
    return row.name


def start_proposal(row: FeeStandard | FeeStandardVersion, *, by: User) -> None:
    """A new row (created awaiting approval, its initial state) is proposed by `by` now; the
    caller saves it and then calls `record_proposal`."""
    row.proposed_by, row.proposed_at = by, timezone.now()


def record_proposal(row: FeeStandard | FeeStandardVersion, *, by: User) -> None:
    """The first event of a new proposed row."""
    workflows.record_creation(row, by=by, action="requested")


def propose_again(
    row: FeeStandard | FeeStandardVersion, *, by: User, note: str = "", **fields: Any
) -> None:
    """Put a locked row (`workflows.lock`) back to awaiting approval, proposed by `by` now,
    with `fields` applied: a move from approved or rejected, or a new proposer of a row that
    awaits approval already (the last decision's columns cleared, its event kept)."""
    if row.approval_status != ApprovalStatus.PROPOSED:
        workflows.request_approval(row, by=by, note=note, **fields)
        return
    for name, value in fields.items():
        setattr(row, name, value)
    row.proposed_by, row.proposed_at = by, timezone.now()
    row.decided_by, row.decided_at, row.rejection_reason = None, None, ""
    row.save()
    workflows.record_event(row, by=by, action="requested", note=note)


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


def _decide(row: Row, *, by: User, approve: bool, text: str) -> Row:
    """`workflows.decide` on a locked row, with its simple-history reason."""
    row._change_reason = text.strip()[:100]  # type: ignore[attr-defined]  # simple-history's
    with _billing_words(approve=approve):
        if approve:
            workflows.decide(row, True, by=by, reference=text)
        else:
            workflows.decide(row, False, by=by, reason=text)
    return row


def _locked_standard(pk: int) -> FeeStandard:
    locked: FeeStandard = workflows.lock(FeeStandard(pk=pk))
    locked.community  # noqa: B018  # the community for the rules and the notifications
    return locked


@transaction.atomic
def approve_standard(*, standard: FeeStandard, by: User, approval_ref: str = "") -> FeeStandard:
    """Finance approves a proposed standard, or the change awaiting approval of an approved
    one (its values then replace the billed ones), with the approval reference."""
    locked = _locked_standard(standard.pk)
    if locked.pending_change:
        return _approve_change(locked, by=by, approval_ref=approval_ref)
    _decide(locked, by=by, approve=True, text=approval_ref or locked.approval_ref or "")
    _tell_proposer(locked, locked)
    return locked


@transaction.atomic
def reject_standard(*, standard: FeeStandard, by: User, reason: str) -> FeeStandard:
    """Finance rejects a proposed standard (not billed until proposed again), or the change
    awaiting approval of an approved one (dropped: the approved values stay billed)."""
    locked = _locked_standard(standard.pk)
    if locked.pending_change:
        return _reject_change(locked, by=by, reason=reason)
    _decide(locked, by=by, approve=False, text=reason or "")
    _tell_proposer(locked, locked)
    return locked


def _check_change_decider(standard: FeeStandard, *, by: User) -> None:
    """The decision on a change: the rules of the standard's approval (core.workflows)."""
    if standard.proposed_by_id is not None and standard.proposed_by_id == by.pk:
        raise WorkflowDenied(Code.OWN_REQUEST, OWN_REQUEST)
    if not may_approve_standard(by, standard):
        raise WorkflowDenied(Code.NOT_PERMITTED, _WORDS[Code.NOT_PERMITTED])


def _clean_text(text: str, *, approve: bool, limit: int) -> str:
    cleaned = (text or "").strip()
    if not cleaned:
        code = Code.REFERENCE_REQUIRED if approve else Code.REASON_REQUIRED
        raise WorkflowError(code, _WORDS[code])
    if len(cleaned) > limit:
        raise WorkflowError(Code.TOO_LONG, _REFERENCE_TOO_LONG if approve else _REASON_TOO_LONG)
    return cleaned


def _approve_change(standard: FeeStandard, *, by: User, approval_ref: str) -> FeeStandard:
    _check_change_decider(standard, by=by)
    ref = _clean_text(approval_ref, approve=True, limit=60)
    change = dict(standard.pending_change)
    for name, value in change.items():
        setattr(standard, "common_meter_id" if name == "common_meter" else name, value)
    standard.pending_change = {}
    standard.approval_ref, standard.rejection_reason = ref, ""
    standard.decided_by, standard.decided_at = by, timezone.now()
    standard.full_clean()
    standard._change_reason = ref[:100]  # type: ignore[attr-defined]
    standard.save()
    workflows.record_event(
        standard,
        by=by,
        action="change_approved",
        note=ref,
        data={"decision": "approved", "reference": ref, "change": change},
    )
    _tell_proposer(standard, standard)
    return standard


def _reject_change(standard: FeeStandard, *, by: User, reason: str) -> FeeStandard:
    _check_change_decider(standard, by=by)
    text = _clean_text(reason, approve=False, limit=200)
    change = dict(standard.pending_change)
    standard.pending_change = {}
    standard.decided_by, standard.decided_at = by, timezone.now()
    standard._change_reason = (_("Change rejected: %(reason)s") % {"reason": text})[:100]  # type: ignore[attr-defined]
    standard.save()
    workflows.record_event(
        standard,
        by=by,
        action="change_rejected",
        note=text,
        data={"decision": "rejected", "change": change},
    )
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


def _locked_version(version: FeeStandardVersion) -> tuple[FeeStandardVersion, FeeStandard]:
    standard = _locked_standard(version.standard_id)  # serialises the standard's rates
    locked: FeeStandardVersion = workflows.lock(version)
    locked.standard = standard
    return locked, standard


@transaction.atomic
def approve_version(
    *, version: FeeStandardVersion, by: User, approval_ref: str = ""
) -> FeeStandardVersion:
    """Finance approves a proposed rate with its approval reference; an open approved rate
    that starts before it ends the day before (as `change_rate` proposed). An overlap with
    another approved rate undoes the whole decision."""
    locked, standard = _locked_version(version)
    _decide(locked, by=by, approve=True, text=approval_ref or locked.approval_ref or "")
    _end_open_versions(locked)
    _check_no_approved_overlap(locked)
    _tell_proposer(locked, standard)
    return locked


@transaction.atomic
def reject_version(*, version: FeeStandardVersion, by: User, reason: str) -> FeeStandardVersion:
    """Finance rejects a proposed rate: it is never billed and no longer blocks other dates."""
    locked, standard = _locked_version(version)
    _decide(locked, by=by, approve=False, text=reason or "")
    _tell_proposer(locked, standard)
    return locked


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

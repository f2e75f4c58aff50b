"""The deposit refund (spec §16 steps 10-11): requested with the deductions itemised, decided
by someone else than the requester (the director), then paid out by the cashier.

Deductions fall on the contractor's deposit first, then on the owner's; what they do not
cover is charged to the unit (through billing) when the refund is paid. Nothing is deducted
or refunded without the approval; a refund is paid once."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.core import workflows
from guanjia.core.access import User, require_perm

from ..models import Deduction, DepositRefund, FeeKind, RefundStatus, RenoStatus, Renovation
from ._common import lock, refuse, text
from .fees import charge, deposits_held

S = RenoStatus
ZERO = Decimal("0.00")
MAX_LINES = 20


@dataclass(frozen=True)
class DeductionLine:
    item: str
    amount: Decimal | str
    reason: str


@dataclass(frozen=True)
class PendingDeduction:
    """A deduction another record holds against this renovation's deposits (a breach by the
    contractor's worker, spec §19): carried into the refund request; `held` while disputed
    or not yet executed, and the refund waits for it."""

    item: str
    amount: Decimal
    reason: str
    held: bool = False
    link: str = ""


DeductionSource = Callable[[Renovation], Sequence[PendingDeduction]]
_SOURCES: list[DeductionSource] = []


def register_deduction_source(source: DeductionSource) -> None:
    """An app of a higher layer declares the deductions it holds (called in its `ready()`):
    this app never imports it."""
    if source not in _SOURCES:
        _SOURCES.append(source)


def pending_deductions(renovation: Renovation) -> list[PendingDeduction]:
    """Every deduction the registered sources hold against `renovation`."""
    return [line for source in _SOURCES for line in source(renovation)]


def _carried(renovation: Renovation) -> list[DeductionLine]:
    lines = pending_deductions(renovation)
    held = [line.item for line in lines if line.held]
    if held:
        raise refuse(
            "deductions",
            _("A deduction is not settled yet (%(items)s): the refund waits for its decision.")
            % {"items": ", ".join(held)},
            "deduction_held",
        )
    return [DeductionLine(item=line.item, amount=line.amount, reason=line.reason) for line in lines]


@dataclass(frozen=True)
class Split:
    held_contractor: Decimal
    held_owner: Decimal
    deducted: Decimal
    refund_contractor: Decimal
    refund_owner: Decimal
    shortfall: Decimal


def split(held_contractor: Decimal, held_owner: Decimal, deducted: Decimal) -> Split:
    """Deductions from the contractor's deposit first, then the owner's; the rest a shortfall."""
    from_contractor = min(held_contractor, deducted)
    from_owner = min(held_owner, deducted - from_contractor)
    return Split(
        held_contractor=held_contractor,
        held_owner=held_owner,
        deducted=deducted,
        refund_contractor=held_contractor - from_contractor,
        refund_owner=held_owner - from_owner,
        shortfall=deducted - from_contractor - from_owner,
    )


def _amount(value: Decimal | str, index: int) -> Decimal:
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        amount = Decimal("NaN")
    if not amount.is_finite() or amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        raise refuse(
            "deductions",
            _("Line %(n)s: enter a positive amount in yuan with at most two decimals.")
            % {"n": index},
            "bad_amount",
        )
    if amount > Decimal("1000000"):
        raise refuse(
            "deductions", _("Line %(n)s: the amount is too large.") % {"n": index}, "bad_amount"
        )
    return amount


def _lines(lines: Sequence[DeductionLine]) -> list[Deduction]:
    if len(lines) > MAX_LINES:
        raise refuse(
            "deductions", _("At most %(n)s deduction lines.") % {"n": MAX_LINES}, "too_many"
        )
    rows = []
    for index, line in enumerate(lines, start=1):
        rows.append(
            Deduction(
                item=text(line.item, "deductions", 100, required=True),
                amount=_amount(line.amount, index),
                reason=text(line.reason, "deductions", 500, required=True),
            )
        )
    return rows


@transaction.atomic
def request_refund(
    *, renovation: Renovation, payee: str, by: User, deductions: Sequence[DeductionLine] = ()
) -> DepositRefund:
    """Ask for the refund after the final acceptance, with the deductions itemised; the
    deductions other records hold (`pending_deductions`) are added to them, and a held one
    refuses the request until it is settled."""
    locked = lock(renovation)
    require_perm(by, "renovation.request_refund", locked.community)
    if locked.status != S.FINAL_ACCEPTED:
        raise ValidationError(
            _("The deposit is refunded after the final acceptance."), code="not_accepted"
        )
    payee = text(payee, "payee", 100, required=True)
    rows = _lines([*deductions, *_carried(locked)])
    held = deposits_held(locked)
    total = sum((row.amount for row in rows), ZERO)
    parts = split(held[FeeKind.DEPOSIT_CONTRACTOR], held[FeeKind.DEPOSIT_OWNER], total)
    values: dict[str, Any] = {
        "held_contractor": parts.held_contractor,
        "held_owner": parts.held_owner,
        "deducted": parts.deducted,
        "refund_contractor": parts.refund_contractor,
        "refund_owner": parts.refund_owner,
        "shortfall": parts.shortfall,
        "payee": payee,
    }
    refund = DepositRefund.objects.filter(renovation=locked).first()
    amount = parts.refund_contractor + parts.refund_owner
    if refund is None:
        refund = DepositRefund.objects.create(
            community=locked.community,
            renovation=locked,
            requested_by=by,
            requested_at=timezone.now(),
            amount=amount,
            **values,
        )
        workflows.record_creation(refund, by=by, action="requested")
    else:
        refund = workflows.lock(refund)
        if refund.status != RefundStatus.REJECTED:
            raise ValidationError(
                _("A refund is already requested for this renovation."), code="already_requested"
            )
        refund.deductions.all().delete()
        workflows.request_approval(refund, by=by, amount=amount, **values)
    for row in rows:
        row.refund = refund
    Deduction.objects.bulk_create(rows)
    return refund


@transaction.atomic
def decide_refund(
    *, refund: DepositRefund, approve: bool, by: User, reason: str = ""
) -> DepositRefund:
    """The director approves the refund and its deductions, or sends it back with a reason;
    never the person who asked."""
    workflows.decide(refund, approve, by=by, reason=reason)
    return refund


@transaction.atomic
def pay_refund(*, refund: DepositRefund, reference: str, by: User) -> DepositRefund:
    """The cashier pays the approved refund to the payer against the original receipt: the
    shortfall is charged to the unit, the renovation moves to refunded (or deducted) and
    is closed. A refund not approved, or already paid, is refused."""
    locked: DepositRefund = workflows.lock(refund)
    reference = text(reference, "reference", 60, required=True)
    workflows.check_transition(locked, RefundStatus.PAID, by=by)
    renovation = lock(locked.renovation)
    workflows.transition(
        locked,
        RefundStatus.PAID,
        by=by,
        note=reference,
        action="paid",
        paid_reference=reference,
        paid_by=by,
        paid_at=timezone.now(),
    )
    if locked.shortfall > 0:
        charge(renovation, FeeKind.SHORTFALL, locked.shortfall, by)
    target = S.DEDUCTION if locked.deducted > 0 else S.DEPOSIT_REFUNDED
    amount = locked.refund_contractor + locked.refund_owner
    workflows.transition(
        renovation,
        target,
        by=by,
        note=reference,
        data={"refund": f"{amount:.2f}", "deducted": f"{locked.deducted:.2f}"},
    )
    workflows.transition(renovation, S.CLOSED, by=by)
    refund.refresh_from_db()
    return locked


@transaction.atomic
def record_appeal(*, refund: DepositRefund, text_: str, by: User) -> DepositRefund:
    """The owner disputes a deduction: the appeal and the director's answer are recorded."""
    require_perm(by, "renovation.decide_refund", refund.community)
    locked: DepositRefund = workflows.lock(refund)
    words = text(text_, "appeal", 1000, required=True)
    stamp = timezone.localdate().isoformat()
    locked.appeal = f"{locked.appeal}\n{stamp} {words}".strip()[:2000]
    locked.save(update_fields=["appeal", "updated_at"])
    workflows.record_event(locked, by=by, action="appeal", note=words)
    return locked

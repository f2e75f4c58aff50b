"""Deposits (押金): received at the counter into the cashier's open day with a receipt, held,
settled on a request that a different person approves (deductions itemised, the director up
to `approval.deduction_dir_max`, finance above), then paid out by the cashier to the payer
only, against the original receipt (spec §05, §16, §20, §26).

Other apps (renovation, passes) take and settle deposits through these functions, naming
their record in `source_ref` ("renovation:12"); the deposit register is the cashier's."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.billing.models import EntryKind, FeeCategory, FeeItem
from guanjia.billing.services import Posting, one_off_fee_item, open_period, post_entries
from guanjia.core import workflows
from guanjia.core.access import User, has_perm_in, require_perm
from guanjia.core.db import advisory_lock
from guanjia.core.models import Company
from guanjia.estates.models import Person, Unit
from guanjia.estates.models.identity import field_error

from ..models import (
    METHODS_WITH_REFERENCE,
    Deposit,
    DepositDeduction,
    DepositKind,
    DepositStatus,
    LineKind,
    Payment,
    PaymentLine,
    PaymentMethod,
)
from .payments import KEY_RE, MAX_AMOUNT, ZERO, _amount, find_payment
from .receipts import issue_receipt
from .sessions import todays_session

DEPOSIT_CODE = "deposit_{kind}"  # the company's fee item of a deposit type
DEDUCTION_CODE = "deposit_deduction"  # the company's fee item of deductions kept
MAX_DEDUCTIONS = 20


def deposit_fee_item(company: Company, kind: str, by: User) -> FeeItem:
    """The company's fee item of one deposit type (category deposit), made on first use."""
    return one_off_fee_item(
        company=company,
        code=DEPOSIT_CODE.format(kind=kind),
        name=str(DepositKind(kind).label),
        category=FeeCategory.DEPOSIT,
        by=by,
    )


def _method(method: str, reference: str) -> None:
    if method not in PaymentMethod.values:
        raise field_error("method", _("Choose a payment method."), "bad_method")
    if method in METHODS_WITH_REFERENCE and not reference.strip():
        raise field_error(
            "reference", _("This payment method needs its reference."), "reference_missing"
        )


@transaction.atomic
def take_deposit(
    *,
    unit: Unit,
    kind: str,
    amount: Decimal | str,
    method: str,
    idempotency_key: str,
    by: User,
    reference: str = "",
    payer: Person | None = None,
    payer_name: str = "",
    purpose: str = "",
    source_ref: str = "",
) -> Deposit:
    """Receive a deposit into the cashier's open day: a payment with its receipt, a
    `deposit_in` ledger entry, the deposit held. The same key again returns the same
    deposit (a second click, a retry)."""
    community = unit.community
    require_perm(by, "cashier.add_deposit", community)
    if kind not in DepositKind.values:
        raise field_error("kind", _("Choose a deposit type."), "bad_kind")
    value = _amount(amount, "amount")
    if value <= 0 or value > MAX_AMOUNT:
        raise field_error(
            "amount", _("A deposit must be above zero and below ten million yuan."), "bad_amount"
        )
    _method(method, reference)
    if not KEY_RE.match(idempotency_key or ""):
        raise ValidationError(
            _("The form is out of date: reload the page and enter the deposit again."),
            code="bad_key",
        )
    name = (payer_name or (payer.name if payer else "")).strip()
    if not name:
        raise field_error(
            "payer_name", _("Who pays the deposit? It is refunded to them only."), "payer_missing"
        )
    if payer is not None and payer.community_id != community.pk:
        raise field_error("payer", _("Choose a person of this community."), "other_community")
    advisory_lock(f"cashier.key:{community.pk}:{idempotency_key}")
    found = find_payment(community.pk, idempotency_key)
    if found is not None:
        deposit = Deposit.objects.filter(payment=found).first()
        if deposit is None or deposit.amount != value or deposit.kind != kind:
            raise ValidationError(
                _("This form was already used for another payment: reload the page."),
                code="key_reused",
            )
        return deposit
    session = todays_session(community, by)
    item = deposit_fee_item(community.company, kind, by)
    period = open_period(community, session.business_day)
    memo = _("Deposit %(key)s") % {"key": idempotency_key}
    [entry] = post_entries(
        community=community,
        postings=[
            Posting(
                unit_id=unit.pk,
                fee_item_id=item.pk,
                period=period,
                kind=EntryKind.DEPOSIT_IN,
                amount=-value,
                payer_id=payer.pk if payer else None,
                memo=memo[:200],
                explanation={"method": method, "deposit": kind},
            )
        ],
        by=by,
    )
    payment = Payment.objects.create(
        community=community,
        unit=unit,
        session=session,
        method=method,
        reference=reference.strip(),
        amount=value,
        payer=payer,
        payer_name=name[:100],
        idempotency_key=idempotency_key,
        fingerprint=f"deposit:{kind}:{unit.pk}:{value}",
        created_by=by,
    )
    PaymentLine.objects.create(
        payment=payment,
        entry=entry,
        kind=LineKind.DEPOSIT,
        fee_item=item,
        amount=value,
        position=1,
    )
    issue_receipt(payment=payment, by=by)
    deposit = Deposit.objects.create(
        community=community,
        unit=unit,
        kind=kind,
        purpose=purpose.strip()[:200],
        source_ref=source_ref.strip()[:60],
        payment=payment,
        payer=payer,
        payer_name=name[:100],
        amount=value,
    )
    workflows.record_creation(deposit, by=by, note=purpose.strip()[:200])
    return deposit


def _deductions(
    lines: Sequence[tuple[str, Decimal | str]], held: Decimal
) -> list[tuple[str, Decimal]]:
    if len(lines) > MAX_DEDUCTIONS:
        raise field_error(
            "deductions", _("At most %(count)s deductions.") % {"count": MAX_DEDUCTIONS}, "too_many"
        )
    checked: list[tuple[str, Decimal]] = []
    for position, (item, amount) in enumerate(lines, 1):
        text = str(item or "").strip()
        if not text:
            raise field_error(
                "deductions",
                _("Line %(n)s: say what it is deducted for.") % {"n": position},
                "deduction_item_missing",
            )
        value = _amount(amount, "deductions")
        if value <= 0:
            raise field_error(
                "deductions",
                _("Line %(n)s: a deduction is above zero.") % {"n": position},
                "bad_amount",
            )
        checked.append((text[:100], value))
    total = sum((value for _text, value in checked), ZERO)
    if total > held:
        raise field_error(
            "deductions",
            _("The deductions (%(total)s) are more than the deposit held (%(held)s).")
            % {"total": total, "held": held},
            "deduction_above_held",
        )
    return checked


@transaction.atomic
def request_settlement(
    *,
    deposit: Deposit,
    deductions: Sequence[tuple[str, Decimal | str]] = (),
    note: str,
    by: User,
) -> Deposit:
    """Ask for the deposit to be settled: refunded less the itemised deductions (扣款清单).
    A different person decides; the list replaces any list asked for before."""
    deposit = workflows.lock(deposit)
    if not note.strip():
        raise field_error("note", _("Say why the deposit is settled now."), "required")
    checked = _deductions(deductions, deposit.amount)
    total = sum((value for _text, value in checked), ZERO)
    DepositDeduction.objects.filter(deposit=deposit).delete()
    DepositDeduction.objects.bulk_create(
        DepositDeduction(deposit=deposit, position=position, item=text, amount=value)
        for position, (text, value) in enumerate(checked, 1)
    )
    workflows.request_approval(
        deposit,
        by=by,
        note=note.strip()[:500],
        amount=total,
        settle_note=note.strip()[:500],
    )
    return deposit


@transaction.atomic
def decide_settlement(
    *, deposit: Deposit, approve: bool, by: User, reason: str = "", reference: str = ""
) -> Deposit:
    """Approve the settlement asked for (the cashier then pays it out) or reject it (the
    deposit is held again); never by the person who asked."""
    deposit = workflows.lock(deposit)
    workflows.decide(deposit, approve, by=by, reason=reason, reference=reference)
    return deposit


@transaction.atomic
def pay_out(
    *,
    deposit: Deposit,
    receipt_number: str,
    method: str,
    by: User,
    reference: str = "",
    now: dt.datetime | None = None,
) -> Deposit:
    """Pay an approved settlement out of the cashier's open day, to the payer only, against
    the original receipt: the whole deposit leaves the deposit column (`deposit_out`), each
    deduction becomes a charge paid from it (the office's income), the rest is refunded."""
    deposit = workflows.lock(deposit)
    if not has_perm_in(by, "cashier.add_payment", deposit.community_id):
        raise PermissionDenied(_("Only the cashier pays a deposit out."))
    if deposit.status != DepositStatus.APPROVED:
        raise ValidationError(
            _("Only an approved settlement is paid out."), code="move_not_allowed"
        )
    receipt = deposit.payment.receipt
    if receipt_number.strip().upper() != receipt.number.upper():
        raise ValidationError(
            {
                "receipt_number": [
                    _(
                        "This is not the deposit's receipt: refunds go to the payer against "
                        "the original receipt (%(payer)s)."
                    )
                    % {"payer": deposit.payer_name}
                ]
            },
            code="wrong_receipt",
        )
    _method(method, reference)
    community = deposit.community
    session = todays_session(community, by)
    period = open_period(community, session.business_day)
    held_item = deposit.payment.lines.get().fee_item
    deductions = list(deposit.deductions.all())
    kept = one_off_fee_item(
        company=community.company, code=DEDUCTION_CODE, name=_("Deposit deductions"), by=by
    )
    memo = (_("Deposit settled %(receipt)s") % {"receipt": receipt.number})[:200]
    postings = [
        Posting(
            unit_id=deposit.unit_id,
            fee_item_id=held_item.pk,
            period=period,
            kind=EntryKind.DEPOSIT_OUT,
            amount=deposit.amount,
            payer_id=deposit.payer_id,
            memo=memo,
            explanation={"deposit": deposit.pk, "receipt": receipt.number},
        )
    ]
    for line in deductions:
        ref = f"deposit:{deposit.pk}:{line.position}"
        explanation = {"deposit": deposit.pk, "deduction": line.item}
        postings += [
            Posting(
                unit_id=deposit.unit_id,
                fee_item_id=kept.pk,
                period=period,
                kind=EntryKind.CHARGE,
                amount=line.amount,
                line_no=line.position,
                bill_ref=ref,
                memo=line.item,
                explanation=explanation,
            ),
            Posting(
                unit_id=deposit.unit_id,
                fee_item_id=kept.pk,
                period=period,
                kind=EntryKind.PAYMENT,
                amount=-line.amount,
                payer_id=deposit.payer_id,
                line_no=line.position,
                bill_ref=ref,
                memo=memo,
                explanation={**explanation, "method": "deposit"},
            ),
        ]
    post_entries(community=community, postings=postings, by=by)
    refund = deposit.amount - sum((line.amount for line in deductions), ZERO)
    workflows.transition(
        deposit,
        DepositStatus.SETTLED,
        by=by,
        note=_("Refunded %(refund)s to %(payer)s, deductions %(kept)s")
        % {"refund": refund, "payer": deposit.payer_name, "kept": deposit.amount - refund},
        refund_amount=refund,
        refund_method=method if refund else "",
        refund_reference=reference.strip(),
        refund_session=session,
        refunded_by=by,
        refunded_at=now or timezone.now(),
    )
    return deposit

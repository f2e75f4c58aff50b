"""Taking a payment: checked, allocated by the community's policy, posted to billing's ledger,
receipted, once per idempotency key.

Concurrency (PostgreSQL): the key's advisory lock makes a repeated submission wait for the
first and then return it; the unit's advisory lock makes two cashiers paying the same unit
allocate one after the other, each against what the other left owing; the session row is
locked so a count or close cannot pass a payment half-way. SQLite has one writer at a time."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guanjia.billing.models import EntryKind, FeeItem
from guanjia.billing.services import (
    Posting,
    accrue_unit_late_fees,
    one_off_fee_item,
    open_period,
    post_entries,
)
from guanjia.billing.services.late_fees import BILL, LATE
from guanjia.core.access import User, require_perm
from guanjia.core.db import advisory_lock
from guanjia.core.money import to_fen
from guanjia.core.policies.selectors import policy
from guanjia.estates.models import Person, Unit
from guanjia.estates.models.identity import field_error

from ..models import (
    METHODS_WITH_REFERENCE,
    LineKind,
    Payment,
    PaymentLine,
    PaymentMethod,
)
from ..policies import ALLOCATION_ORDER, PREPAYMENT
from ..selectors.account import Account, unit_account
from .allocation import Allocation, allocate
from .receipts import issue_receipt
from .sessions import todays_session

ZERO = Decimal("0.00")
MONEY_MESSAGE = gettext_lazy("Enter an amount in yuan with at most two decimals (fen).")
MAX_AMOUNT = Decimal("10000000.00")  # ten million yuan: above it is a typing slip
KEY_RE = re.compile(r"^[A-Za-z0-9_.:-]{8,64}$")
GENERAL_PREPAYMENT_CODE = "prepaid"  # the company's fee item of a general prepaid balance


@dataclass(frozen=True)
class PaymentRequest:
    """What the cashier asks for: the same request with the same key is one payment."""

    unit: Unit
    amount: Decimal
    method: str
    idempotency_key: str
    reference: str = ""
    tendered: Decimal | None = None  # cash handed over (change = tendered - amount)
    payer: Person | None = None
    payer_name: str = ""
    prepay_item: FeeItem | None = None  # per-item prepayment: the item the rest goes to
    expected_owed: str = ""  # the account's fingerprint the cashier saw (optional)

    def fingerprint(self) -> str:
        parts = [
            self.unit.pk,
            self.amount,
            self.method,
            self.reference.strip(),
            self.tendered,
            self.payer.pk if self.payer else None,
            self.payer_name.strip(),
            self.prepay_item.pk if self.prepay_item else None,
        ]
        return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()


@dataclass(frozen=True)
class Preview:
    """Where a payment would go, before it is confirmed."""

    account: Account
    allocation: Allocation
    prepayment_to: str  # "general", "per_item" or "" (no rest)
    change: Decimal | None


def _amount(value: object, field: str) -> Decimal:
    try:
        amount = Decimal(str(value).strip()) if not isinstance(value, Decimal) else value
        to_fen(amount)
    except (InvalidOperation, ValueError, TypeError, ValidationError):
        raise field_error(
            field, _("Enter an amount in yuan with at most two decimals (fen)."), "bad_amount"
        ) from None
    if not amount.is_finite() or amount <= 0:
        raise field_error(field, _("The amount must be above zero."), "bad_amount")
    if amount > MAX_AMOUNT:
        raise field_error(
            field, _("At most %(max)s yuan in one payment.") % {"max": MAX_AMOUNT}, "too_large"
        )
    return amount.quantize(Decimal("0.01"))


def check_request(request: PaymentRequest) -> PaymentRequest:
    """The request as the service will record it, or a ValidationError naming the field."""
    amount = _amount(request.amount, "amount")
    if request.method not in PaymentMethod.values:
        raise field_error("method", _("Choose a payment method."), "bad_method")
    reference = (request.reference or "").strip()
    if request.method in METHODS_WITH_REFERENCE and not reference:
        raise field_error(
            "reference", _("Enter the reference of this payment method."), "reference_required"
        )
    if len(reference) > 64:
        raise field_error("reference", _("At most 64 characters."), "too_long")
    tendered = request.tendered
    if request.method == PaymentMethod.CASH and tendered is not None:
        tendered = _amount(tendered, "tendered")
        if tendered < amount:
            raise field_error(
                "tendered",
                _("The cash handed over is less than the amount."),
                "tendered_too_little",
            )
    elif tendered is not None:
        raise field_error("tendered", _("Cash handed over is for cash payments only."), "not_cash")
    if not KEY_RE.match(request.idempotency_key or ""):
        raise field_error(
            "idempotency_key",
            _("The idempotency key is 8 to 64 letters, digits or -_.:"),
            "bad_key",
        )
    payer_name = (request.payer_name or "").strip()
    if len(payer_name) > 100:
        raise field_error("payer_name", _("At most 100 characters."), "too_long")
    unit = request.unit
    if request.payer is not None and request.payer.community_id != unit.community_id:
        raise field_error(
            "payer", _("The payer is not a person of this community."), "other_community"
        )
    if request.prepay_item is not None and request.prepay_item.company_id != (
        unit.community.company_id
    ):
        raise field_error(
            "prepay_item", _("This fee item is not one of the company's."), "other_company"
        )
    return PaymentRequest(
        unit=unit,
        amount=amount,
        method=request.method,
        idempotency_key=request.idempotency_key,
        reference=reference,
        tendered=tendered,
        payer=request.payer,
        payer_name=payer_name,
        prepay_item=request.prepay_item,
        expected_owed=request.expected_owed,
    )


def _split(account: Account, request: PaymentRequest) -> Preview:
    community = account.unit.community
    allocation = allocate(account.lines, request.amount, policy(community, ALLOCATION_ORDER))
    target = ""
    if allocation.rest > 0:
        target = policy(community, PREPAYMENT)
        if target == "refused":
            raise field_error(
                "amount",
                _(
                    "This is %(rest)s more than the unit owes (%(owed)s), and this "
                    "community takes no prepayments."
                )
                % {"rest": allocation.rest, "owed": account.total},
                "overpayment",
            )
        if target == "per_item" and request.prepay_item is None:
            raise field_error(
                "prepay_item",
                _("%(rest)s is more than owed: choose the fee item it is prepaid for.")
                % {"rest": allocation.rest},
                "prepay_item_required",
            )
    change = None
    if request.method == PaymentMethod.CASH and request.tendered is not None:
        change = request.tendered - request.amount
    return Preview(account=account, allocation=allocation, prepayment_to=target, change=change)


def preview_payment(*, request: PaymentRequest, by: User, day: dt.date | None = None) -> Preview:
    """Where every fen of the payment would go today (nothing is written)."""
    require_perm(by, "cashier.add_payment", request.unit.community)
    checked = check_request(request)
    account = unit_account(checked.unit, day=day or timezone.localdate())
    return _split(account, checked)


def find_payment(community_id: int, key: str) -> Payment | None:
    return (
        Payment.objects.filter(community_id=community_id, idempotency_key=key)
        .select_related("receipt")
        .first()
    )


def _replay(found: Payment, request: PaymentRequest) -> Payment:
    if found.fingerprint != request.fingerprint():
        raise field_error(
            "idempotency_key",
            _(
                "This key was used for a different payment (%(receipt)s): a new payment "
                "needs a new key."
            )
            % {"receipt": getattr(getattr(found, "receipt", None), "number", found.pk)},
            "key_reused",
        )
    found.replayed = True  # type: ignore[attr-defined]
    return found


def take_payment(*, request: PaymentRequest, by: User) -> Payment:
    """Record the payment of `request` once: a request repeated with its key (a second click,
    a retried API call, sixteen at once) returns the first payment (`payment.replayed`)."""
    community = request.unit.community
    require_perm(by, "cashier.add_payment", community)
    checked = check_request(request)
    found = find_payment(community.pk, checked.idempotency_key)
    if found is not None:
        return _replay(found, checked)
    try:
        return _record(checked, by)
    except IntegrityError:
        # The key's unique constraint: a concurrent twin committed first (SQLite, or a lock
        # that was not held); it is the payment.
        found = find_payment(community.pk, checked.idempotency_key)
        if found is None:
            raise
        return _replay(found, checked)


@transaction.atomic
def _record(request: PaymentRequest, by: User) -> Payment:
    unit = request.unit
    community = unit.community
    advisory_lock(f"cashier.key:{community.pk}:{request.idempotency_key}")
    found = find_payment(community.pk, request.idempotency_key)
    if found is not None:
        return _replay(found, request)
    advisory_lock(f"cashier.unit:{unit.pk}")
    session = todays_session(community, by)
    today = session.business_day
    accrue_unit_late_fees(unit=unit, day=today, by=by)
    account = unit_account(unit, day=today, with_unposted=False)
    if request.expected_owed and request.expected_owed != account.fingerprint:
        raise ValidationError(
            _("What the unit owes changed since the screen was shown: check it again."),
            code="owed_changed",
        )
    split = _split(account, request)
    period = open_period(community, today)
    payer_name = request.payer_name or (request.payer.name if request.payer else "")
    payer_name = payer_name or account.owner_name or unit.label
    postings, kinds = _postings(split, request, period, by)
    entries = post_entries(community=community, postings=postings, by=by)
    payment = Payment.objects.create(
        community=community,
        unit=unit,
        session=session,
        method=request.method,
        reference=request.reference,
        amount=request.amount,
        tendered=request.tendered,
        change=split.change,
        payer=request.payer,
        payer_name=payer_name[:100],
        owner_name=account.owner_name[:200],
        idempotency_key=request.idempotency_key,
        fingerprint=request.fingerprint(),
        created_by=by,
    )
    PaymentLine.objects.bulk_create(
        PaymentLine(
            payment=payment,
            entry=entry,
            kind=kind,
            fee_item_id=entry.fee_item_id,
            bill_month=month,
            amount=-entry.amount,
            position=position,
        )
        for position, (entry, (kind, month)) in enumerate(zip(entries, kinds, strict=True), 1)
    )
    issue_receipt(payment=payment, by=by)
    payment.replayed = False  # type: ignore[attr-defined]
    return payment


def _postings(
    split: Preview, request: PaymentRequest, period: dt.date, by: User
) -> tuple[list[Posting], list[tuple[str, dt.date | None]]]:
    unit = request.unit
    memo = _("Payment %(key)s") % {"key": request.idempotency_key}
    postings: list[Posting] = []
    kinds: list[tuple[str, dt.date | None]] = []
    for part in split.allocation.parts:
        line = part.line
        month = f"{line.bill_month:%Y-%m}"
        ref = f"{LATE}{month}:paid" if line.kind == LineKind.LATE_FEE else f"{BILL}{month}"
        postings.append(
            Posting(
                unit_id=unit.pk,
                fee_item_id=line.fee_item_id,
                period=period,
                kind=EntryKind.PAYMENT,
                amount=-part.amount,
                payer_id=request.payer.pk if request.payer else None,
                bill_ref=ref,
                memo=memo[:200],
                explanation={"method": request.method, "bill_month": month, "line": line.kind},
            )
        )
        kinds.append((line.kind, line.bill_month))
    if split.allocation.rest > 0:
        item = request.prepay_item
        if split.prepayment_to == "general" or item is None:
            item = one_off_fee_item(
                company=unit.community.company,
                code=GENERAL_PREPAYMENT_CODE,
                name=_("Prepaid balance"),
                by=by,
            )
        postings.append(
            Posting(
                unit_id=unit.pk,
                fee_item_id=item.pk,
                period=period,
                kind=EntryKind.PREPAYMENT,
                amount=-split.allocation.rest,
                payer_id=request.payer.pk if request.payer else None,
                memo=memo[:200],
                explanation={"method": request.method, "prepayment": split.prepayment_to},
            )
        )
        kinds.append((LineKind.PREPAYMENT, None))
    return postings, kinds

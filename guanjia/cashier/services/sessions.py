"""The cashier's day: open with a float, count the cash by denomination, finance closes it
(or sends it back for a recount). Every move goes through `core.workflows`."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guanjia.core import workflows
from guanjia.core.access import User, require_perm
from guanjia.core.models import Community
from guanjia.core.money import to_fen
from guanjia.core.policies.selectors import policy
from guanjia.estates.models.identity import field_error

from ..models import (
    DENOMINATIONS,
    CashierSession,
    PaymentMethod,
    ReceiptStatus,
    SessionStatus,
)
from ..policies import MAX_CASH_OVERNIGHT

ZERO = Decimal("0.00")
MONEY_MESSAGE = gettext_lazy("Enter an amount in yuan with at most two decimals (fen).")
MAX_FLOAT = Decimal("100000.00")  # 备用金 is change, not a safe
MAX_PIECES = 100_000  # of one denomination: a typing slip, not a drawer


def _money(value: Decimal | str | int, field: str, *, allow_zero: bool = True) -> Decimal:
    try:
        amount = Decimal(value) if not isinstance(value, Decimal) else value
        to_fen(amount)
    except (ArithmeticError, ValueError, TypeError, ValidationError):
        raise field_error(
            field, _("Enter an amount in yuan with at most two decimals (fen)."), "bad_amount"
        ) from None
    if amount < 0 or (amount == 0 and not allow_zero):
        raise field_error(field, _("The amount cannot be negative."), "bad_amount")
    if amount > MAX_FLOAT:
        raise field_error(
            field, _("A float is at most %(max)s yuan.") % {"max": MAX_FLOAT}, "too_large"
        )
    return amount.quantize(Decimal("0.01"))


def open_session_of(community: Community, cashier: User) -> CashierSession | None:
    """The cashier's day that is open now in `community` (None when there is none)."""
    return CashierSession.objects.filter(
        community=community, cashier=cashier, status=SessionStatus.OPEN
    ).first()


def todays_session(community: Community, cashier: User) -> CashierSession:
    """The cashier's open day, locked until the transaction ends (a count or a close waits
    for a payment half-way): refused when none is open, or when the open one is of an
    earlier day (日清: a day is counted the day it is worked)."""
    session = (
        CashierSession.objects.select_for_update()
        .filter(community=community, cashier=cashier, status=SessionStatus.OPEN)
        .first()
    )
    if session is None:
        raise ValidationError(
            _("Open your cashier's day first: payments go into an open day."),
            code="no_open_session",
        )
    if session.business_day != timezone.localdate():
        raise ValidationError(
            _("Your day of %(day)s is still open: count it, and finance closes it, first.")
            % {"day": f"{session.business_day:%Y-%m-%d}"},
            code="day_not_today",
        )
    return session


@transaction.atomic
def open_session(*, community: Community, float_amount: Decimal, by: User) -> CashierSession:
    """Open the cashier's day with the float (备用金) counted into the drawer."""
    require_perm(by, "cashier.add_cashiersession", community)
    amount = _money(float_amount, "float_amount")
    if (
        CashierSession.objects.filter(community=community, cashier=by)
        .exclude(status=SessionStatus.CLOSED)
        .exists()
    ):
        raise ValidationError(
            _("Your previous day is not closed yet: finance closes it first."),
            code="session_not_closed",
        )
    try:
        with transaction.atomic():
            session = CashierSession.objects.create(
                community=community,
                cashier=by,
                business_day=timezone.localdate(),
                float_amount=amount,
            )
    except IntegrityError:  # a second click at the same moment
        raise ValidationError(
            _("Your previous day is not closed yet: finance closes it first."),
            code="session_not_closed",
        ) from None
    workflows.record_creation(session, by=by, note=_("Float %(amount)s") % {"amount": amount})
    return session


def expected_cash(session: CashierSession) -> Decimal:
    """Float plus the cash of the day's payments whose receipts are valid, less the deposits
    refunded in cash (two queries)."""
    from ..models import Payment

    taken = Payment.objects.filter(
        session=session, method=PaymentMethod.CASH, receipt__status=ReceiptStatus.VALID
    ).aggregate(total=Sum("amount"))["total"]
    refunded = session.deposit_refunds.filter(refund_method=PaymentMethod.CASH).aggregate(
        total=Sum("refund_amount")
    )["total"]
    held: Decimal = session.float_amount + (taken or ZERO) - (refunded or ZERO)
    return held


def parse_denominations(counts: dict[str, object]) -> dict[str, int]:
    """Pieces per denomination: whole numbers from 0, only the renminbi's denominations."""
    unknown = sorted(set(counts) - set(DENOMINATIONS))
    if unknown:
        raise field_error(
            "denominations",
            _("Unknown denomination: %(names)s.") % {"names": ", ".join(unknown)},
            "bad_denomination",
        )
    pieces: dict[str, int] = {}
    for name in DENOMINATIONS:
        raw = counts.get(name, 0)
        text = str(raw).strip() if raw is not None else "0"
        if isinstance(raw, bool) or not text.isdigit() or int(text) > MAX_PIECES:
            raise field_error(
                "denominations",
                _("Count %(name)s yuan as a whole number from 0 to %(max)s.")
                % {"name": name, "max": MAX_PIECES},
                "bad_count",
            )
        pieces[name] = int(text)
    return pieces


def counted_total(pieces: dict[str, int]) -> Decimal:
    return sum((Decimal(name) * count for name, count in pieces.items()), ZERO).quantize(
        Decimal("0.01")
    )


@transaction.atomic
def count_session(
    *, session: CashierSession, denominations: dict[str, object], explanation: str, by: User
) -> CashierSession:
    """The cashier counts the drawer: over or short (长短款) is recorded with its explanation;
    cash above `cashier.max_cash_overnight` is flagged. No payment posts after the count."""
    pieces = parse_denominations(denominations)
    explanation = (explanation or "").strip()
    if len(explanation) > 500:
        raise field_error("explanation", _("At most 500 characters."), "too_long")
    locked = workflows.lock(session)
    counted = counted_total(pieces)
    expected = expected_cash(locked)
    over_short = counted - expected
    if over_short and not explanation:
        raise field_error(
            "explanation",
            _("The cash is %(diff)s over or short: explain it (长短款 are recorded honestly).")
            % {"diff": over_short},
            "explanation_required",
        )
    limit = Decimal(str(policy(locked.community, MAX_CASH_OVERNIGHT)))
    workflows.transition(
        locked,
        SessionStatus.COUNTED,
        by=by,
        note=explanation,
        data={"counted": str(counted), "expected": str(expected), "over_short": str(over_short)},
        denominations={name: count for name, count in pieces.items() if count},
        counted_cash=counted,
        expected_cash=expected,
        over_short=over_short,
        explanation=explanation,
        counted_at=timezone.now(),
        cash_over_limit=counted > limit,
    )
    _copy(locked, session)
    return session


@transaction.atomic
def close_session(*, session: CashierSession, note: str, by: User) -> CashierSession:
    """Finance has checked the day (cash, receipts, the system's totals) and closes it."""
    workflows.transition(
        session,
        SessionStatus.CLOSED,
        by=by,
        note=(note or "").strip()[:500],
        closed_by=by,
        closed_at=timezone.now(),
    )
    return session


@transaction.atomic
def return_session(*, session: CashierSession, reason: str, by: User) -> CashierSession:
    """Finance sends a counted day back to the cashier to recount (with the reason)."""
    reason = (reason or "").strip()
    if not reason:
        raise field_error("reason", _("Say why the day is sent back."), "reason_required")
    if len(reason) > 500:
        raise field_error("reason", _("At most 500 characters."), "too_long")
    workflows.transition(session, SessionStatus.OPEN, by=by, note=reason, action="returned")
    return session


def _copy(source: CashierSession, target: CashierSession) -> None:
    if source is not target:
        for field in CashierSession._meta.concrete_fields:
            setattr(target, field.attname, getattr(source, field.attname))

"""Every write of the cashier app; import from here (`from guanjia.cashier import services`)."""

from .allocation import Allocated, Allocation, allocate
from .deposits import (
    decide_settlement,
    deposit_fee_item,
    pay_out,
    request_settlement,
    take_deposit,
)
from .payments import (
    PaymentRequest,
    Preview,
    check_request,
    find_payment,
    preview_payment,
    take_payment,
)
from .receipts import amount_in_words, issue_receipt, record_print, void_receipt
from .reversals import decide_reversal, request_reversal
from .sessions import (
    close_session,
    count_session,
    expected_cash,
    open_session,
    open_session_of,
    return_session,
    todays_session,
)

__all__ = [
    "Allocated",
    "Allocation",
    "PaymentRequest",
    "Preview",
    "allocate",
    "amount_in_words",
    "check_request",
    "close_session",
    "count_session",
    "decide_reversal",
    "decide_settlement",
    "deposit_fee_item",
    "expected_cash",
    "find_payment",
    "issue_receipt",
    "open_session",
    "open_session_of",
    "pay_out",
    "preview_payment",
    "record_print",
    "request_reversal",
    "request_settlement",
    "return_session",
    "take_deposit",
    "take_payment",
    "todays_session",
    "void_receipt",
]

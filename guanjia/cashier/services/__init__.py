"""Every write of the cashier app; import from here (`from guanjia.cashier import services`)."""

from .allocation import Allocated, Allocation, allocate
from .payments import (
    PaymentRequest,
    Preview,
    check_request,
    find_payment,
    preview_payment,
    take_payment,
)
from .receipts import amount_in_words, issue_receipt, record_print, void_receipt
from .sessions import (
    close_session,
    count_session,
    expected_cash,
    open_session,
    open_session_of,
    return_session,
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
    "expected_cash",
    "find_payment",
    "issue_receipt",
    "open_session",
    "open_session_of",
    "preview_payment",
    "record_print",
    "return_session",
    "take_payment",
    "void_receipt",
]

"""The cashier's models: sessions (the day), payments with their lines, receipts."""

from .payments import METHODS_WITH_REFERENCE, LineKind, Payment, PaymentLine, PaymentMethod
from .receipts import RECEIPT_KIND, RECEIPT_MOVES, Receipt, ReceiptEvent, ReceiptStatus
from .sessions import (
    DENOMINATIONS,
    SESSION_MOVES,
    CashierSession,
    CashierSessionEvent,
    SessionStatus,
)

__all__ = [
    "DENOMINATIONS",
    "METHODS_WITH_REFERENCE",
    "RECEIPT_KIND",
    "RECEIPT_MOVES",
    "SESSION_MOVES",
    "CashierSession",
    "CashierSessionEvent",
    "LineKind",
    "Payment",
    "PaymentLine",
    "PaymentMethod",
    "Receipt",
    "ReceiptEvent",
    "ReceiptStatus",
    "SessionStatus",
]

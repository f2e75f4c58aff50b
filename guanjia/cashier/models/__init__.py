"""The cashier's models: sessions (the day), payments with their lines, receipts, deposits."""

from .deposits import (
    DEPOSIT_MOVES,
    Deposit,
    DepositDeduction,
    DepositEvent,
    DepositKind,
    DepositStatus,
)
from .payments import METHODS_WITH_REFERENCE, LineKind, Payment, PaymentLine, PaymentMethod
from .receipts import RECEIPT_KIND, RECEIPT_MOVES, Receipt, ReceiptEvent, ReceiptStatus
from .reversals import (
    REVERSAL_MOVES,
    PaymentReversal,
    PaymentReversalEvent,
    ReversalCause,
    ReversalStatus,
)
from .sessions import (
    DENOMINATIONS,
    SESSION_MOVES,
    CashierSession,
    CashierSessionEvent,
    SessionStatus,
)

__all__ = [
    "DENOMINATIONS",
    "DEPOSIT_MOVES",
    "METHODS_WITH_REFERENCE",
    "RECEIPT_KIND",
    "RECEIPT_MOVES",
    "REVERSAL_MOVES",
    "SESSION_MOVES",
    "CashierSession",
    "CashierSessionEvent",
    "Deposit",
    "DepositDeduction",
    "DepositEvent",
    "DepositKind",
    "DepositStatus",
    "LineKind",
    "Payment",
    "PaymentLine",
    "PaymentMethod",
    "PaymentReversal",
    "PaymentReversalEvent",
    "Receipt",
    "ReceiptEvent",
    "ReceiptStatus",
    "ReversalCause",
    "ReversalStatus",
    "SessionStatus",
]

"""The front desk's records: keys, mail and parcels, shift handovers."""

from .handovers import (
    HANDOVER_MOVES,
    Finding,
    Handover,
    HandoverEvent,
    HandoverItem,
    HandoverStatus,
    Instruction,
    Post,
    PostKind,
    Shift,
)
from .keys import Key, KeyCollector, KeyHolding, KeyKind, KeyLoan
from .lostfound import FoundItem
from .notices import NOTICE_MOVES, Notice, NoticeEvent, NoticeKind, NoticeStatus
from .parcels import Parcel, ParcelKind

__all__ = [
    "HANDOVER_MOVES",
    "NOTICE_MOVES",
    "Finding",
    "FoundItem",
    "Handover",
    "HandoverEvent",
    "HandoverItem",
    "HandoverStatus",
    "Instruction",
    "Key",
    "KeyCollector",
    "KeyHolding",
    "KeyKind",
    "KeyLoan",
    "Notice",
    "NoticeEvent",
    "NoticeKind",
    "NoticeStatus",
    "Parcel",
    "ParcelKind",
    "Post",
    "PostKind",
    "Shift",
]  # fmt: skip

"""出入证 (spec §20): pass groups, passes and their gate checks, goods pass-out slips."""

from .groups import GROUP_MOVES, GroupKind, GroupStatus, PassGroup, PassGroupEvent
from .passes import (
    BLACKLISTED,
    DEPOSIT_HELD,
    PASS_MOVES,
    WORKER_KINDS,
    GateCheck,
    GateResult,
    Pass,
    PassEvent,
    PassKind,
    PassQuerySet,
    PassStatus,
)
from .slips import (
    OPEN_SLIP,
    SLIP_MOVES,
    ApplicantRole,
    ReleaseSlip,
    SlipEvent,
    SlipItem,
    SlipStatus,
)

__all__ = [
    "BLACKLISTED",
    "DEPOSIT_HELD",
    "GROUP_MOVES",
    "OPEN_SLIP",
    "PASS_MOVES",
    "SLIP_MOVES",
    "WORKER_KINDS",
    "ApplicantRole",
    "GateCheck",
    "GateResult",
    "GroupKind",
    "GroupStatus",
    "Pass",
    "PassEvent",
    "PassGroup",
    "PassGroupEvent",
    "PassKind",
    "PassQuerySet",
    "PassStatus",
    "ReleaseSlip",
    "SlipEvent",
    "SlipItem",
    "SlipStatus",
]

"""Service standards, spot checks, rewards and penalties (spec §07, §23)."""

from .checks import (
    CHECK_MOVES,
    Cadence,
    CheckStatus,
    Result,
    SpotCheck,
    SpotCheckEvent,
    SpotCheckItem,
)
from .records import (
    IN_FORCE,
    RECORD_MOVES,
    Authority,
    ConductRecord,
    ConductRecordEvent,
    RecordKind,
    RecordLevel,
    RecordStatus,
    Source,
)
from .standards import CHECKED_KINDS, DEFAULTS, StandardItem, StandardKind

__all__ = [
    "CHECKED_KINDS",
    "CHECK_MOVES",
    "DEFAULTS",
    "IN_FORCE",
    "RECORD_MOVES",
    "Authority",
    "Cadence",
    "CheckStatus",
    "ConductRecord",
    "ConductRecordEvent",
    "RecordKind",
    "RecordLevel",
    "RecordStatus",
    "Result",
    "Source",
    "SpotCheck",
    "SpotCheckEvent",
    "SpotCheckItem",
    "StandardItem",
    "StandardKind",
]

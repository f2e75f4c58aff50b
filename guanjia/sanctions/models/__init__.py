"""The sanctions models: the community's sanction table and the breach records."""

from .breaches import (
    BREACH_MOVES,
    HELD_STATUSES,
    OPEN_STATUSES,
    AppealDecision,
    Breach,
    BreachEvent,
    BreachNotice,
    BreachPhoto,
    BreachQuerySet,
    BreachStatus,
    Party,
    PersonKind,
    Source,
)
from .table import MEASURES, MeasureFields, SanctionType, SanctionTypeQuerySet

__all__ = [
    "BREACH_MOVES",
    "HELD_STATUSES",
    "MEASURES",
    "OPEN_STATUSES",
    "AppealDecision",
    "Breach",
    "BreachEvent",
    "BreachNotice",
    "BreachPhoto",
    "BreachQuerySet",
    "BreachStatus",
    "MeasureFields",
    "Party",
    "PersonKind",
    "SanctionType",
    "SanctionTypeQuerySet",
    "Source",
]

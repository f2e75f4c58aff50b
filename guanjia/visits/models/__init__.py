"""Follow-up visits (回访, spec §14): one row per visit owed, its attempts and its answers."""

from .visits import (
    OPEN_STATUSES,
    VISIT_MOVES,
    Answer,
    AttemptOutcome,
    Method,
    Visit,
    VisitAttempt,
    VisitEvent,
    VisitKind,
    VisitQuerySet,
    VisitStatus,
)

__all__ = [
    "OPEN_STATUSES",
    "VISIT_MOVES",
    "Answer",
    "AttemptOutcome",
    "Method",
    "Visit",
    "VisitAttempt",
    "VisitEvent",
    "VisitKind",
    "VisitQuerySet",
    "VisitStatus",
]

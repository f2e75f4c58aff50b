"""Follow-up visits (回访, spec §14): one row per visit owed, its attempts and its answers."""

from .plans import RoutinePlan
from .surveys import (
    Channel,
    Questionnaire,
    SurveyAnswer,
    SurveyInvite,
    SurveyQuestion,
    SurveyResponse,
)
from .visits import (
    OPEN_STATUSES,
    PLANNED_KINDS,
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
    "PLANNED_KINDS",
    "VISIT_MOVES",
    "Answer",
    "AttemptOutcome",
    "Channel",
    "Method",
    "Questionnaire",
    "RoutinePlan",
    "SurveyAnswer",
    "SurveyInvite",
    "SurveyQuestion",
    "SurveyResponse",
    "Visit",
    "VisitAttempt",
    "VisitEvent",
    "VisitKind",
    "VisitQuerySet",
    "VisitStatus",
]

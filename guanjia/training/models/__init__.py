"""Staff training (spec §21): plans, sessions with sign-in, assessments, inductions."""

from .assessments import (
    Assessment,
    AssessmentKind,
    AssessmentResult,
    Induction,
    InductionDay,
    Question,
)
from .plans import PLAN_MOVES, PlanKind, PlanStatus, TrainingPlan, TrainingPlanEvent
from .sessions import (
    MANUAL,
    MANUAL_CODES,
    SESSION_MOVES,
    SessionKind,
    SessionMaterial,
    SessionStatus,
    SignInSheetScan,
    SignMethod,
    TrainingAttendance,
    TrainingSession,
    TrainingSessionEvent,
)

__all__ = [
    "MANUAL",
    "MANUAL_CODES",
    "PLAN_MOVES",
    "SESSION_MOVES",
    "Assessment",
    "AssessmentKind",
    "AssessmentResult",
    "Induction",
    "InductionDay",
    "PlanKind",
    "PlanStatus",
    "Question",
    "SessionKind",
    "SessionMaterial",
    "SessionStatus",
    "SignInSheetScan",
    "SignMethod",
    "TrainingAttendance",
    "TrainingPlan",
    "TrainingPlanEvent",
    "TrainingSession",
    "TrainingSessionEvent",
]

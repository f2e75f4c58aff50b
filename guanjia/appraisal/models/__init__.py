"""员工考核 (spec §24): monthly scores computed from the work with evidence, quarterly and
annual appraisal, grades."""

from .appraisals import (
    APPRAISAL_MOVES,
    GRADED,
    Appraisal,
    AppraisalEvent,
    Kind,
    ProbationOutcome,
    Status,
)
from .scores import Grade, MonthlyScore, ScoreAdjustment, ScoreLine

__all__ = [
    "APPRAISAL_MOVES",
    "GRADED",
    "Appraisal",
    "AppraisalEvent",
    "Grade",
    "Kind",
    "MonthlyScore",
    "ProbationOutcome",
    "ScoreAdjustment",
    "ScoreLine",
    "Status",
]

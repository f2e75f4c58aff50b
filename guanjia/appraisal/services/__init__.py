"""Every write of the appraisal app (docs/appraisal.md)."""

from .appraisals import (
    appeal,
    close,
    close_expired,
    confirm,
    declare_dispute,
    open_period,
    open_probation,
    publish,
    rate,
    resolve_appeal,
    review,
    self_assess,
)
from .compute import compute_month, grade_for
from .scores import adjust_score, start_month

__all__ = [
    "adjust_score",
    "appeal",
    "close",
    "close_expired",
    "compute_month",
    "confirm",
    "declare_dispute",
    "grade_for",
    "open_period",
    "open_probation",
    "publish",
    "rate",
    "resolve_appeal",
    "review",
    "self_assess",
    "start_month",
]

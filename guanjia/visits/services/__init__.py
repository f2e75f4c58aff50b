"""Every write of the visits app."""

from .generation import generate_all, generate_for_community, generate_visits, in_sample
from .planning import Planned, create_routine_plan, plan_progress, plan_visit
from .recording import Answers, record_attempt, record_declined, record_visit, review_visit

__all__ = [
    "Answers",
    "Planned",
    "create_routine_plan",
    "generate_all",
    "generate_for_community",
    "generate_visits",
    "in_sample",
    "plan_progress",
    "plan_visit",
    "record_attempt",
    "record_declined",
    "record_visit",
    "review_visit",
]

"""Every write of the visits app."""

from .generation import generate_all, generate_for_community, generate_visits, in_sample
from .recording import Answers, record_attempt, record_declined, record_visit, review_visit

__all__ = [
    "Answers",
    "generate_all",
    "generate_for_community",
    "generate_visits",
    "in_sample",
    "record_attempt",
    "record_declined",
    "record_visit",
    "review_visit",
]

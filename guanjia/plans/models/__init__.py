"""助理工作 (spec §02): work plans, weekly meetings and their action items, case studies, the
daily check and the monthly summary."""

from .cases import CaseStudy
from .meetings import ActionItem, ActionItemQuerySet, Attendance, Meeting, MeetingKind
from .plans import (
    COUNTED_STATUSES,
    EDITABLE_STATUSES,
    PLAN_MOVES,
    PROGRESS_STATUSES,
    PlanEvent,
    PlanItem,
    PlanKind,
    PlanStatus,
    WorkPlan,
    WorkPlanQuerySet,
)
from .summaries import SUMMARY_MOVES, DailyCheck, MonthlySummary, SummaryEvent, SummaryStatus

__all__ = [
    "COUNTED_STATUSES",
    "EDITABLE_STATUSES",
    "PLAN_MOVES",
    "PROGRESS_STATUSES",
    "SUMMARY_MOVES",
    "ActionItem",
    "ActionItemQuerySet",
    "Attendance",
    "CaseStudy",
    "DailyCheck",
    "Meeting",
    "MeetingKind",
    "MonthlySummary",
    "PlanEvent",
    "PlanItem",
    "PlanKind",
    "PlanStatus",
    "SummaryEvent",
    "SummaryStatus",
    "WorkPlan",
    "WorkPlanQuerySet",
]

"""Every read of the plans app that spans models; other apps import from here.

The interface for other apps (docs/supervisor.md): `plan_completion(community, start, end)
-> (done_items, planned_items)` and `plan_completion_by_owner(...)`."""

from .cases import CaseCount, cases_in_month
from .completion import PlanProgress, plan_completion, plan_completion_by_owner, plan_progress
from .daily import CheckLine, CheckSection, daily_check, missing_count
from .dues import annual_plan_due, month_end, monthly_plan_due, next_month, summary_due
from .figures import month_figures

__all__ = [
    "CaseCount",
    "CheckLine",
    "CheckSection",
    "PlanProgress",
    "annual_plan_due",
    "cases_in_month",
    "daily_check",
    "missing_count",
    "month_end",
    "month_figures",
    "monthly_plan_due",
    "next_month",
    "plan_completion",
    "plan_completion_by_owner",
    "plan_progress",
    "summary_due",
]

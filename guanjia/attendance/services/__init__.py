"""Every write of attendance: rosters and swaps, punches, leave, the computation, the sheet."""

from .compute import compute, compute_month_job, compute_nightly, recompute_day
from .leave import annual_balance, decide_leave, leave_days, request_leave, set_allowance
from .punches import (
    add_punches,
    decide_missing_punch,
    record_punch,
    request_missing_punch,
    save_punch_columns,
)
from .rosters import (
    decide_swap,
    on_post,
    plan_roster,
    relief_refusal,
    remove_entry,
    request_swap,
)
from .sheets import reopen_sheet, sheet_for, submit_sheet

__all__ = [
    "add_punches",
    "annual_balance",
    "compute",
    "compute_month_job",
    "compute_nightly",
    "decide_leave",
    "decide_missing_punch",
    "decide_swap",
    "leave_days",
    "on_post",
    "plan_roster",
    "recompute_day",
    "record_punch",
    "relief_refusal",
    "remove_entry",
    "reopen_sheet",
    "request_leave",
    "request_missing_punch",
    "request_swap",
    "save_punch_columns",
    "set_allowance",
    "sheet_for",
    "submit_sheet",
]

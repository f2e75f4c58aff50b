"""Every write of the plans app (spec §02)."""

from .cases import CaseText, update_case, write_case
from .meetings import add_action, close_action, record_meeting, sign_in, update_minutes
from .plans import (
    add_item,
    approve_plan,
    archive_plan,
    create_plan,
    record_progress,
    remove_item,
    return_plan,
    start_plan,
    submit_plan,
    summarise_plan,
    update_plan,
)
from .reminders import remind_daily, send_reminders
from .summaries import (
    acknowledge_summary,
    edit_summary,
    prepare_summary,
    refresh_figures,
    return_summary,
    send_summary,
    sign_off_check,
)

__all__ = [
    "CaseText",
    "acknowledge_summary",
    "add_action",
    "add_item",
    "approve_plan",
    "archive_plan",
    "close_action",
    "create_plan",
    "edit_summary",
    "prepare_summary",
    "record_meeting",
    "record_progress",
    "refresh_figures",
    "remind_daily",
    "remove_item",
    "return_plan",
    "return_summary",
    "send_reminders",
    "send_summary",
    "sign_in",
    "sign_off_check",
    "start_plan",
    "submit_plan",
    "summarise_plan",
    "update_case",
    "update_minutes",
    "update_plan",
    "write_case",
]

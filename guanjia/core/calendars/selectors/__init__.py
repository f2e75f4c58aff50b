"""Reads of the working calendar, and the clock API other apps call:

    deadline(start, duration, *, clock, community, pauses=()) -> datetime
    elapsed(start, end, *, clock, community, pauses=()) -> timedelta
    add_working_days(day, n, *, community) -> date
    is_working_day(day, *, community) -> bool

`days.py` reads which days work; `clock.py` does the arithmetic.
"""

from ..models import Clock
from .clock import ClockStoppedError, add_working_days, deadline, elapsed, is_working_day
from .days import (
    CALENDAR_TZ,
    CalendarPage,
    CommunityCalendar,
    Day,
    Schedule,
    calendar_days,
    calendar_page,
    holiday_changes,
    schedule_for,
)

__all__ = [
    "CALENDAR_TZ",
    "CalendarPage",
    "Clock",
    "ClockStoppedError",
    "CommunityCalendar",
    "Day",
    "Schedule",
    "add_working_days",
    "calendar_days",
    "calendar_page",
    "deadline",
    "elapsed",
    "holiday_changes",
    "is_working_day",
    "schedule_for",
]

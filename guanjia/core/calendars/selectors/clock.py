"""Deadlines and elapsed time on a calendar or a working clock, with pauses.

Definitions (docs/calendars.md has the worked examples):

- Calendar clock: every second counts, day or night, weekday or holiday.
- Working clock: only office hours of the community's working days count (by default Mon–Fri
  08:30–12:00 and 13:30–17:30, 7.5 hours a day, less public holidays, plus make-up working
  days). A duration on this clock is office time: 7.5 hours of working time is one full
  working day. Limits stated as "N working days" use `add_working_days` instead.
- Pauses (waiting for the resident, for parts) are intervals that do not count on either
  clock. They may be unsorted and overlap; an open pause (end None) stops the clock for good.
- `deadline` is the earliest instant by which `duration` of counted time has passed; a zero
  duration gives `start` itself; a positive working duration always ends inside office hours
  (at most at a closing time, never at an opening time).
- Every datetime must be aware; results are in Beijing time (Asia/Shanghai).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterator, Sequence
from typing import ParamSpec, TypeVar

from django.utils.translation import gettext as _

from guanjia.core.models import Community

from ..models import Clock
from .days import CALENDAR_TZ, CommunityCalendar

Pause = tuple[dt.datetime, dt.datetime | None]
Segment = tuple[dt.datetime, dt.datetime | None]  # counted time; end None: no end

# No limit in the manual is longer than a year or two; this bounds any walk over days.
HORIZON = dt.timedelta(days=366 * 30)


P = ParamSpec("P")
R = TypeVar("R")


def _bounded(function: Callable[P, R]) -> Callable[P, R]:
    """Dates past the year 9999 are bad input, not a crash."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return function(*args, **kwargs)
        except OverflowError:
            raise ValueError(_("The date is too far away.")) from None

    return wrapper


class ClockStoppedError(Exception):
    """The deadline is not reached because an open pause stopped the clock first.

    `paused_at` is when the clock stopped and `remaining` the counted time still owed; the
    deadline is known again when the pause ends (call `deadline` with its end)."""

    def __init__(self, paused_at: dt.datetime, remaining: dt.timedelta) -> None:
        super().__init__(_("The clock is paused; the deadline is not known until it resumes."))
        self.paused_at = paused_at
        self.remaining = remaining


@_bounded
def deadline(
    start: dt.datetime,
    duration: dt.timedelta,
    *,
    clock: Clock | str,
    community: Community,
    pauses: Sequence[Pause] = (),
) -> dt.datetime:
    """The instant by which `duration` of counted time has passed since `start`.

    Raises ValueError on a naive datetime, a negative duration or an unknown clock, and
    ClockStoppedError when an open pause stops the clock before the duration is used up."""
    start = _utc(start)
    if not isinstance(duration, dt.timedelta) or duration < dt.timedelta():
        raise ValueError(_("The duration must be zero or more."))
    stops = _normalise(pauses)
    segments = _counted(start, _clock(clock), community, stops)
    remaining = duration
    if not remaining:
        return start.astimezone(CALENDAR_TZ)
    for seg_start, seg_end in segments:
        if seg_end is None or seg_end - seg_start >= remaining:
            return (seg_start + remaining).astimezone(CALENDAR_TZ)
        remaining -= seg_end - seg_start
    # Only an open pause ends the counted time: it is the last of the merged pauses.
    raise ClockStoppedError(max(start, stops[-1][0]).astimezone(CALENDAR_TZ), remaining)


@_bounded
def elapsed(
    start: dt.datetime,
    end: dt.datetime,
    *,
    clock: Clock | str,
    community: Community,
    pauses: Sequence[Pause] = (),
) -> dt.timedelta:
    """Counted time between `start` and `end` (not before `start`), less every pause."""
    start, end = _utc(start), _utc(end)
    if end < start:
        raise ValueError(_("The end must not be before the start."))
    clock = _clock(clock)
    calendar = CommunityCalendar(community)
    if clock == Clock.WORKING:
        calendar.load(_local_date(start), _local_date(end))
    total = dt.timedelta()
    segments = _counted(start, clock, calendar, _normalise(pauses), until=_local_date(end))
    for seg_start, seg_end in segments:
        if seg_start >= end:
            break
        total += (end if seg_end is None else min(seg_end, end)) - seg_start
    return total


@_bounded
def add_working_days(day: dt.date, n: int, *, community: Community) -> dt.date:
    """The n-th working day after `day` (before it, for negative n); `day` itself never
    counts, and n = 0 gives `day`. For limits stated as "within N working days"."""
    _date(day)
    if not isinstance(n, int) or isinstance(n, bool):
        raise ValueError(_("The number of working days must be a whole number."))
    if abs(n) > HORIZON.days:
        raise ValueError(_("The date is too far away."))
    calendar = CommunityCalendar(community)
    step = dt.timedelta(days=1 if n >= 0 else -1)
    week = max(len(calendar.schedule.weekdays), 1)
    span = dt.timedelta(days=abs(n) * 7 // week + 31)
    calendar.load(min(day, day + step * span.days), max(day, day + step * span.days))
    current, left = day, abs(n)
    while left:
        current += step
        if abs(current - day) > HORIZON:
            raise ValueError(_("The date is too far away."))
        if calendar.is_working(current):
            left -= 1
    return current


@_bounded
def is_working_day(day: dt.date, *, community: Community) -> bool:
    """Whether the community works on `day`: its working week, the official schedule and the
    company's and community's own exceptions, the most specific winning."""
    _date(day)
    calendar = CommunityCalendar(community)
    calendar.load(day, day)
    return calendar.is_working(day)


# ---- internals ---------------------------------------------------------------------------


def _utc(value: object) -> dt.datetime:
    if not isinstance(value, dt.datetime):
        raise ValueError(_("A date and time is expected."))
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(_("A date and time must carry a time zone."))
    return value.astimezone(dt.UTC)


def _date(value: object) -> None:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise ValueError(_("A date without a time is expected."))


def _clock(value: Clock | str) -> Clock:
    try:
        return Clock(value)
    except ValueError:
        raise ValueError(_("Unknown clock: %(clock)s.") % {"clock": value}) from None


def _local_date(at: dt.datetime) -> dt.date:
    return at.astimezone(CALENDAR_TZ).date()


def _normalise(pauses: Sequence[Pause]) -> list[Pause]:
    """Pauses sorted and merged, so that they are disjoint and in order."""
    cleaned: list[Pause] = []
    for pause in pauses:
        try:
            begin, finish = pause
        except (TypeError, ValueError):
            raise ValueError(_("A pause is a (start, end) pair.")) from None
        begin = _utc(begin)
        finish = None if finish is None else _utc(finish)
        if finish is not None and finish < begin:
            raise ValueError(_("A pause must not end before it starts."))
        cleaned.append((begin, finish))
    cleaned.sort(key=lambda pause: pause[0])
    merged: list[Pause] = []
    for begin, finish in cleaned:
        if merged and (merged[-1][1] is None or begin <= merged[-1][1]):
            last_begin, last_finish = merged[-1]
            longer = None if finish is None or last_finish is None else max(finish, last_finish)
            merged[-1] = (last_begin, longer)
        else:
            merged.append((begin, finish))
    return merged


def _counted(
    start: dt.datetime,
    clock: Clock,
    calendar: Community | CommunityCalendar,
    pauses: list[Pause],
    until: dt.date | None = None,
) -> Iterator[Segment]:
    """Counted time from `start` on (to the end of the day `until`), in order, disjoint."""
    if clock == Clock.CALENDAR:
        base: Iterator[Segment] = iter([(start, None)])
    else:
        if isinstance(calendar, Community):
            calendar = CommunityCalendar(calendar)
        base = _office_hours(start, calendar, until)
    return _without_pauses(base, pauses)


def _office_hours(
    start: dt.datetime, calendar: CommunityCalendar, until: dt.date | None
) -> Iterator[Segment]:
    first = day = _local_date(start)
    while day - first <= HORIZON:
        if until is not None and day > until:
            return
        for opens, closes in calendar.office_periods(day):
            if closes > start:
                yield max(opens, start), closes
        day += dt.timedelta(days=1)
    raise ValueError(_("The date is too far away."))


def _without_pauses(segments: Iterator[Segment], pauses: list[Pause]) -> Iterator[Segment]:
    """The segments less the (sorted, disjoint) pauses; ends at an open pause."""
    index = 0
    for seg_start, seg_end in segments:
        cursor = seg_start
        while seg_end is None or cursor < seg_end:
            while index < len(pauses) and _ends_by(pauses[index], cursor):
                index += 1
            if index == len(pauses) or (seg_end is not None and pauses[index][0] >= seg_end):
                yield cursor, seg_end
                break
            pause_start, pause_end = pauses[index]
            if pause_start > cursor:
                yield cursor, pause_start
            if pause_end is None:
                return
            cursor = pause_end


def _ends_by(pause: Pause, moment: dt.datetime) -> bool:
    return pause[1] is not None and pause[1] <= moment

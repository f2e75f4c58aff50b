"""Which days of a community work, read with a fixed number of queries.

A `CommunityCalendar` reads the working schedule once and the dated exceptions (the official
schedule and the company's and community's own, together in one UNION query) once per window
of dates, then answers every day from memory.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from zoneinfo import ZoneInfo

from django.db.models import BooleanField, Case, IntegerField, Q, Value, When

from guanjia.core.models import Community

from ..models import DayType, ExceptionKind, Holiday, OfficialHoliday, Source, WorkingSchedule

# Every community is in mainland China: office hours are Beijing time, which has no DST.
CALENDAR_TZ = ZoneInfo("Asia/Shanghai")
DEFAULT_WEEKDAYS = frozenset({1, 2, 3, 4, 5})
ISO_WEEKDAYS = {
    code: n for n, code in enumerate(("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"), 1)
}
DEFAULT_PERIODS: tuple[tuple[dt.time, dt.time], ...] = (
    (dt.time(8, 30), dt.time(12, 0)),
    (dt.time(13, 30), dt.time(17, 30)),
)
WINDOW_DAYS = 366  # exceptions are read a window at a time, never a day at a time
_LEVELS = {0: Source.OFFICIAL, 1: Source.COMPANY, 2: Source.COMMUNITY}
_PRECEDENCE = {Source.WEEK: 0, Source.OFFICIAL: 1, Source.COMPANY: 2, Source.COMMUNITY: 3}
_ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Schedule:
    """The working week and office hours in force for a community, and where they come from."""

    weekdays: frozenset[int]
    periods: tuple[tuple[dt.time, dt.time], ...]
    source: str  # Source.COMMUNITY, Source.COMPANY, or "default" (no row at all)
    row_id: int | None = None

    @property
    def day_length(self) -> dt.timedelta:
        """Office time in one working day (independent of the date: Beijing has no DST)."""
        return sum(
            (
                dt.datetime.combine(dt.date.min, closes) - dt.datetime.combine(dt.date.min, opens)
                for opens, closes in self.periods
            ),
            dt.timedelta(),
        )


def policy_weekdays(community: Community) -> frozenset[int]:
    """The working days of the policy `calendar.workdays` as ISO numbers (Monday 1)."""
    from guanjia.core.policies.selectors import policy

    codes = policy(community, "calendar.workdays") or []
    days = frozenset(ISO_WEEKDAYS[code] for code in codes if code in ISO_WEEKDAYS)
    return days or DEFAULT_WEEKDAYS


@dataclass(frozen=True)
class Rule:
    """One dated exception read from the database (official, company-wide or community)."""

    date: dt.date
    kind: str
    name: str
    is_confirmed: bool
    source: Source
    holiday_id: int | None


@dataclass(frozen=True)
class Day:
    """One date of a community's calendar after every rule is applied."""

    date: dt.date
    type: DayType
    name: str = ""
    source: Source = Source.WEEK
    is_confirmed: bool = True
    holiday_id: int | None = None

    @property
    def is_working(self) -> bool:
        return self.type in (DayType.WORKDAY, DayType.MAKEUP)

    @property
    def is_special(self) -> bool:
        return self.source != Source.WEEK


def schedule_for(community: Community) -> Schedule:
    """The community's own schedule, else its company's default, else the working days of
    the policy `calendar.workdays` (Mon–Fri unless changed) with 08:30–12:00, 13:30–17:30."""
    rows = {row.community_id: row for row in WorkingSchedule.objects.for_community(community)}
    row = rows.get(community.pk) or rows.get(None)
    if row is None:
        return Schedule(policy_weekdays(community), DEFAULT_PERIODS, "default")
    source = Source.COMMUNITY if row.community_id else Source.COMPANY
    return Schedule(row.weekdays, row.periods, source, row.pk)


def _read_rules(community: Community, first: dt.date, last: dt.date) -> Iterable[Rule]:
    """Official days and the company's and community's exceptions in one UNION query."""
    official = (
        OfficialHoliday.objects.filter(date__range=(first, last))
        .values_list(
            "date",
            "kind",
            "name",
            "is_confirmed",
            Value(0, output_field=IntegerField()),
            Value(None, output_field=IntegerField()),
        )
        .order_by()
    )
    own = (
        Holiday.objects.for_community(community)
        .filter(date__range=(first, last))
        .values_list(
            "date",
            "kind",
            "name",
            Value(True, output_field=BooleanField()),
            Case(When(community__isnull=True, then=Value(1)), default=Value(2)),
            "pk",
        )
        .order_by()
    )
    for date, kind, name, confirmed, level, pk in official.union(own, all=True):
        yield Rule(date, kind, name, bool(confirmed), _LEVELS[level], pk)


class CommunityCalendar:
    """A community's calendar for the length of one call: the schedule is read once and the
    exceptions once per window of dates, then every day is answered from memory."""

    def __init__(self, community: Community) -> None:
        self.community = community
        self._rules: dict[dt.date, Rule] = {}
        self._first: dt.date | None = None
        self._last: dt.date | None = None

    @cached_property
    def schedule(self) -> Schedule:
        return schedule_for(self.community)

    def load(self, first: dt.date, last: dt.date) -> None:
        """Make sure every date from `first` to `last` is in memory (one query per gap)."""
        if self._first is None or self._last is None:
            self._read(first, last)
            self._first, self._last = first, last
            return
        if first < self._first:
            self._read(first, self._first - _ONE_DAY)
            self._first = first
        if last > self._last:
            self._read(self._last + _ONE_DAY, last)
            self._last = last

    def _read(self, first: dt.date, last: dt.date) -> None:
        for rule in _read_rules(self.community, first, last):
            known = self._rules.get(rule.date)
            if known is None or _PRECEDENCE[rule.source] > _PRECEDENCE[known.source]:
                self._rules[rule.date] = rule

    def _ensure(self, day: dt.date) -> None:
        if self._first is None or self._last is None:
            self.load(day, day + dt.timedelta(days=WINDOW_DAYS))
        elif day > self._last:
            self.load(self._first, max(day, self._last + dt.timedelta(days=WINDOW_DAYS)))
        elif day < self._first:
            self.load(min(day, self._first - dt.timedelta(days=WINDOW_DAYS)), self._last)

    def day(self, day: dt.date) -> Day:
        self._ensure(day)
        in_week = day.isoweekday() in self.schedule.weekdays
        rule = self._rules.get(day)
        if rule is None:
            return Day(day, DayType.WORKDAY if in_week else DayType.REST)
        if rule.kind == ExceptionKind.HOLIDAY:
            kind = DayType.HOLIDAY
        else:
            kind = DayType.WORKDAY if in_week else DayType.MAKEUP
        return Day(day, kind, rule.name, rule.source, rule.is_confirmed, rule.holiday_id)

    def days(self, first: dt.date, last: dt.date) -> list[Day]:
        self.load(first, last)
        count = (last - first).days + 1
        return [self.day(first + dt.timedelta(days=i)) for i in range(count)]

    def is_working(self, day: dt.date) -> bool:
        return self.day(day).is_working

    def office_periods(self, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
        """The day's office hours as aware UTC intervals; none on a day that does not work."""
        if not self.is_working(day):
            return []
        return [
            (
                dt.datetime.combine(day, opens, CALENDAR_TZ).astimezone(dt.UTC),
                dt.datetime.combine(day, closes, CALENDAR_TZ).astimezone(dt.UTC),
            )
            for opens, closes in self.schedule.periods
        ]


# ---- Pages and API -----------------------------------------------------------------------


@dataclass(frozen=True)
class GridCell:
    day: Day
    in_month: bool


@dataclass(frozen=True)
class MonthGrid:
    """One month as weeks of seven cells, Monday first, padded with the neighbouring days."""

    first: dt.date
    weeks: list[list[GridCell]]

    @property
    def special_days(self) -> list[Day]:
        return [c.day for w in self.weeks for c in w if c.in_month and c.day.is_special]


@dataclass(frozen=True)
class CalendarPage:
    """What a month or year page shows."""

    community: Community
    schedule: Schedule
    months: list[MonthGrid]
    special_days: list[Day]
    unconfirmed: bool  # some official days are statutory dates awaiting the State Council


def _month_grid(calendar: CommunityCalendar, first: dt.date) -> MonthGrid:
    start = first - dt.timedelta(days=first.weekday())
    next_month = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    end = next_month + dt.timedelta(days=(7 - next_month.weekday()) % 7 - 1)  # a Sunday
    days = calendar.days(start, end)
    cells = [GridCell(day, day.date.month == first.month) for day in days]
    return MonthGrid(first, [cells[i : i + 7] for i in range(0, len(cells), 7)])


def calendar_page(community: Community, year: int, month: int | None = None) -> CalendarPage:
    """A month (or, with month None, a whole year) of a community's calendar: two queries."""
    calendar = CommunityCalendar(community)
    firsts = [dt.date(year, m, 1) for m in ([month] if month else range(1, 13))]
    after_last = (firsts[-1].replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    calendar.load(firsts[0] - dt.timedelta(days=7), after_last + dt.timedelta(days=6))
    months = [_month_grid(calendar, first) for first in firsts]
    special = [day for grid in months for day in grid.special_days]
    return CalendarPage(
        community=community,
        schedule=calendar.schedule,
        months=months,
        special_days=special,
        unconfirmed=any(not day.is_confirmed for day in special),
    )


def calendar_days(community: Community, first: dt.date, last: dt.date) -> list[Day]:
    """Every day from `first` to `last` (inclusive) as the community's calendar sees it."""
    return CommunityCalendar(community).days(first, last)


def holiday_changes(community: Community) -> Q:
    """Filter for the history rows of the exceptions that apply to `community`."""
    return Q(community_id=community.pk) | Q(community__isnull=True, company_id=community.company_id)

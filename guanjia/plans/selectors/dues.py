"""When the supervisor's papers are due (spec §02), from the policies: next month's plan by
`supervisor.monthly_plan_due_day`, the month's summary by `supervisor.monthly_report_due_day`
(−1 the last working day, 0 the last day, 1–28 that day of the next month), next year's plan
by `supervisor.annual_plan_due_month`/`_day`."""

from __future__ import annotations

import calendar
import datetime as dt

from guanjia.core.calendars.selectors import add_working_days, is_working_day
from guanjia.core.models import Community
from guanjia.core.policies.selectors import policy


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(day: dt.date) -> dt.date:
    first = day.replace(day=1)
    return (first + dt.timedelta(days=32)).replace(day=1)


def month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _clamped(year: int, month: int, day: int) -> dt.date:
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def monthly_plan_due(community: Community, month: dt.date) -> dt.date:
    """The plan of `month` is due in the month before, on the policy's day."""
    before = month_start(month) - dt.timedelta(days=1)
    day = int(policy(community, "supervisor.monthly_plan_due_day"))
    return _clamped(before.year, before.month, day)


def annual_plan_due(community: Community, year: int) -> dt.date:
    """The plan of `year` is due in the year before."""
    month = int(policy(community, "supervisor.annual_plan_due_month"))
    day = int(policy(community, "supervisor.annual_plan_due_day"))
    return _clamped(year - 1, month, day)


def summary_due(community: Community, month: dt.date) -> dt.date:
    """The summary of `month`: its last working day (−1), its last day (0), or that day of
    the next month (1–28)."""
    setting = int(policy(community, "supervisor.monthly_report_due_day"))
    last = month_end(month)
    if setting > 0:
        after = next_month(month)
        return _clamped(after.year, after.month, setting)
    if setting == 0 or is_working_day(last, community=community):
        return last
    return add_working_days(last, -1, community=community)

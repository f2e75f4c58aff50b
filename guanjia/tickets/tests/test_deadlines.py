"""Deadline arithmetic of the desk: calendar clock for service limits, working days for the
explanation of an invalid complaint, across weekends, holidays, make-up days and pauses."""

import datetime as dt

import pytest
import time_machine

from guanjia.tickets import services

from .factories import complaint, repair

BEIJING = dt.timezone(dt.timedelta(hours=8))


def _at(*args):
    return dt.datetime(*args, tzinfo=BEIJING)


@pytest.mark.parametrize(
    ("received", "due"),
    [
        # Friday 16:00 + 24 calendar hours: Saturday 16:00 (weekends do not stop a service limit).
        (_at(2026, 3, 6, 16, 0), _at(2026, 3, 7, 16, 0)),
        # 30 September + 24 h: 1 October, inside the National Day holiday.
        (_at(2026, 9, 30, 10, 0), _at(2026, 10, 1, 10, 0)),
    ],
)
def test_the_first_reply_is_due_24_calendar_hours_after_receipt(world, received, due):
    with time_machine.travel(received, tick=False):
        complaint_record = complaint(world, world.a)
    assert complaint_record.first_reply_due == due


@pytest.mark.parametrize(
    ("received", "due_day"),
    [
        # Friday 6 March + 2 working days: Tuesday 10 March.
        (_at(2026, 3, 6, 9, 0), dt.date(2026, 3, 10)),
        # Wednesday 30 September + 2 working days: 1-7 October off, so 8 and 9 October.
        (_at(2026, 9, 30, 9, 0), dt.date(2026, 10, 9)),
        # Friday 9 October + 2: Saturday 10 October is a make-up working day, then Monday 12.
        (_at(2026, 10, 9, 9, 0), dt.date(2026, 10, 12)),
    ],
)
def test_an_invalid_complaint_is_explained_within_two_working_days(world, received, due_day):
    with time_machine.travel(received, tick=False):
        complaint_record = complaint(world, world.a, "invalid")
    local = complaint_record.resolve_due.astimezone(BEIJING)
    assert local.date() == due_day
    assert local.time() == dt.time(23, 59, 59)


def test_a_pause_for_parts_pushes_the_completion_deadline_by_exactly_its_length(world):
    start = _at(2026, 12, 11, 17, 0)  # a Friday
    with time_machine.travel(start, tick=False):
        order = repair(world, world.a, "on_site")
    tech = world.user("technician")
    with time_machine.travel(_at(2026, 12, 12, 8, 0), tick=False):
        order = services.wait_for_parts(order=order, promised_on=dt.date(2026, 12, 14), by=tech)
    with time_machine.travel(_at(2026, 12, 14, 10, 30), tick=False):
        order = services.resume_repair(order=order, by=tech)
    # 2 days from Friday 17:00, plus the 50.5 hours paused.
    assert order.complete_due == _at(2026, 12, 13, 17, 0) + dt.timedelta(hours=50, minutes=30)

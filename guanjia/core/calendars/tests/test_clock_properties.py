"""Properties of the clock arithmetic, over 2026–2027 (official holidays seeded by migration)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guanjia.core.calendars.selectors import (
    ClockStoppedError,
    CommunityCalendar,
    deadline,
    elapsed,
)
from guanjia.core.calendars.tests.factories import HolidayFactory
from guanjia.core.tests.factories import CommunityFactory

BJ = ZoneInfo("Asia/Shanghai")
CLOCKS = st.sampled_from(["calendar", "working"])
# Whole seconds from 1 Dec 2025 to 31 Dec 2027, in Beijing time.
STARTS = st.integers(0, 760 * 86400).map(
    lambda s: dt.datetime(2025, 12, 1, tzinfo=BJ) + dt.timedelta(seconds=s)
)
DURATIONS = st.integers(0, 60 * 24 * 20).map(lambda m: dt.timedelta(minutes=m))
POSITIVE = st.integers(1, 60 * 24 * 20).map(lambda m: dt.timedelta(minutes=m))
PAUSE = st.tuples(st.integers(-3000, 30000), st.integers(0, 6000))  # offset, length (minutes)
PROPERTY = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture
def community(db):
    community = CommunityFactory()
    HolidayFactory(community=community, date=dt.date(2026, 3, 10))  # a local exception too
    return community


def _pauses(start, spec):
    return [
        (start + dt.timedelta(minutes=offset), start + dt.timedelta(minutes=offset + length))
        for offset, length in spec
    ]


@PROPERTY
@given(start=STARTS, duration=DURATIONS, clock=CLOCKS, spec=st.lists(PAUSE, max_size=3))
def test_the_elapsed_time_until_a_deadline_is_its_duration(community, start, duration, clock, spec):
    pauses = _pauses(start, spec)
    due = deadline(start, duration, clock=clock, community=community, pauses=pauses)
    assert elapsed(start, due, clock=clock, community=community, pauses=pauses) == duration


@PROPERTY
@given(start=STARTS, a=DURATIONS, b=DURATIONS, clock=CLOCKS)
def test_a_longer_duration_never_gives_an_earlier_deadline(community, start, a, b, clock):
    shorter, longer = sorted([a, b])
    first = deadline(start, shorter, clock=clock, community=community)
    assert first <= deadline(start, longer, clock=clock, community=community)


@PROPERTY
@given(
    start=STARTS,
    duration=DURATIONS,
    clock=CLOCKS,
    spec=st.lists(PAUSE, min_size=1, max_size=3),
    open_last=st.booleans(),
)
def test_pausing_never_makes_a_deadline_earlier(community, start, duration, clock, spec, open_last):
    pauses: list = _pauses(start, spec)
    if open_last:
        pauses[-1] = (pauses[-1][0], None)
    plain = deadline(start, duration, clock=clock, community=community)
    try:
        paused = deadline(start, duration, clock=clock, community=community, pauses=pauses)
    except ClockStoppedError as stopped:
        remaining = stopped.remaining  # stopped for good: the deadline is never reached
        paused = None
    if paused is None:
        assert remaining > dt.timedelta(0)
    else:
        assert paused >= plain


@PROPERTY
@given(start=STARTS, duration=POSITIVE)
def test_a_working_deadline_lands_inside_office_hours(community, start, duration):
    due = deadline(start, duration, clock="working", community=community)
    periods = CommunityCalendar(community).office_periods(due.date())
    assert any(opens < due <= closes for opens, closes in periods)


@PROPERTY
@given(start=STARTS, a=DURATIONS, b=DURATIONS, clock=CLOCKS)
def test_elapsed_time_adds_up_over_consecutive_intervals(community, start, a, b, clock):
    middle = start + a
    end = middle + b
    whole = elapsed(start, end, clock=clock, community=community)
    parts = elapsed(start, middle, clock=clock, community=community) + elapsed(
        middle, end, clock=clock, community=community
    )
    assert whole == parts


@PROPERTY
@given(start=STARTS, duration=DURATIONS)
def test_working_time_never_runs_faster_than_calendar_time(community, start, duration):
    on_calendar = deadline(start, duration, clock="calendar", community=community)
    assert deadline(start, duration, clock="working", community=community) >= on_calendar

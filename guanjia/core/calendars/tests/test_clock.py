"""Exact deadlines and elapsed times on the official 2026 calendar (seeded by migration).

Default schedule: Mon–Fri 08:30–12:00 and 13:30–17:30 (7.5 office hours a day).
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from guanjia.core.calendars.models import ExceptionKind
from guanjia.core.calendars.selectors import (
    Clock,
    ClockStoppedError,
    add_working_days,
    deadline,
    elapsed,
    is_working_day,
)
from guanjia.core.calendars.tests.factories import HolidayFactory, WorkingScheduleFactory
from guanjia.core.policies.selectors import policy
from guanjia.core.tests.factories import CommunityFactory

BJ = ZoneInfo("Asia/Shanghai")
H = dt.timedelta(hours=1)
M = dt.timedelta(minutes=1)


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=BJ)


@pytest.fixture
def community(db):
    return CommunityFactory()


def working(start, duration, community, pauses=()):
    return deadline(at(start), duration, clock="working", community=community, pauses=pauses)


# ---- calendar clock ---------------------------------------------------------------------


def test_a_calendar_deadline_runs_through_the_national_day_holiday(community):
    due = deadline(at("2026-09-30 17:00"), 72 * H, clock=Clock.CALENDAR, community=community)
    assert due == at("2026-10-03 17:00")


def test_a_calendar_deadline_crosses_the_year_end(community):
    due = deadline(at("2026-12-31 23:00"), 2 * H, clock="calendar", community=community)
    assert due == at("2027-01-01 01:00")


def test_a_calendar_deadline_needs_no_query(community, django_assert_num_queries):
    with django_assert_num_queries(0):
        deadline(at("2026-03-01 08:00"), 30 * 24 * H, clock="calendar", community=community)


def test_a_deadline_is_given_in_beijing_time_for_a_start_in_utc(community):
    start = dt.datetime(2026, 3, 9, 1, 0, tzinfo=dt.UTC)  # 09:00 in Beijing
    due = working("2026-03-09 09:00", H, community)
    assert deadline(start, H, clock="working", community=community) == due == at("2026-03-09 10:00")
    assert due.tzinfo == BJ


def test_beijing_time_has_no_daylight_saving_so_a_day_is_always_24_hours(community):
    # 1 March to 1 November spans the dates other zones move their clocks.
    due = deadline(at("2026-03-01 12:00"), 245 * 24 * H, clock="calendar", community=community)
    assert due == at("2026-11-01 12:00")


# ---- working clock ----------------------------------------------------------------------


def test_a_working_deadline_skips_the_weekend(community):
    assert working("2026-03-06 16:30", 2 * H, community) == at("2026-03-09 09:30")


def test_a_working_deadline_skips_the_lunch_break(community):
    assert working("2026-03-09 11:30", H, community) == at("2026-03-09 14:00")


def test_a_working_deadline_that_uses_the_whole_day_ends_at_closing_time(community):
    assert working("2026-03-09 08:30", 7 * H + 30 * M, community) == at("2026-03-09 17:30")


def test_a_working_clock_started_before_opening_starts_counting_at_opening(community):
    assert working("2026-03-09 07:00", 30 * M, community) == at("2026-03-09 09:00")
    assert working("2026-03-09 20:00", 30 * M, community) == at("2026-03-10 09:00")


def test_a_working_deadline_skips_the_national_day_week(community):
    # 1.5 h on 30 September, 1–7 October off, then 2.5 h on Thursday 8 October.
    assert working("2026-09-30 16:00", 4 * H, community) == at("2026-10-08 11:00")


def test_a_make_up_saturday_counts_as_a_working_day(community):
    assert working("2026-10-09 17:00", H, community) == at("2026-10-10 09:00")


def test_a_make_up_sunday_before_national_day_counts(community):
    assert working("2026-09-19 10:00", H, community) == at("2026-09-20 09:30")


def test_spring_festival_make_up_days_and_nine_days_off(community):
    assert working("2026-02-13 17:00", H, community) == at("2026-02-14 09:00")
    assert working("2026-02-14 17:00", H, community) == at("2026-02-24 09:00")


def test_a_working_deadline_at_a_month_end_uses_the_make_up_saturday(community):
    assert working("2026-02-27 17:00", H, community) == at("2026-02-28 09:00")


def test_a_working_deadline_across_labour_day_and_the_month_end(community):
    assert working("2026-04-30 17:00", H, community) == at("2026-05-06 09:00")


def test_a_working_deadline_across_the_year_end_skips_new_year(community):
    assert working("2026-12-31 17:00", H, community) == at("2027-01-04 09:00")


def test_a_zero_duration_gives_the_start(community):
    assert working("2026-10-03 10:00", dt.timedelta(0), community) == at("2026-10-03 10:00")


def test_a_community_schedule_changes_the_working_clock(community):
    WorkingScheduleFactory(
        community=community,
        saturday=True,
        morning_opens=dt.time(9),
        morning_closes=dt.time(18),
        afternoon_opens=None,
        afternoon_closes=None,
    )
    assert working("2026-03-06 17:00", 2 * H, community) == at("2026-03-07 10:00")


def test_a_company_default_schedule_applies_to_communities_without_their_own(community):
    WorkingScheduleFactory(community=None, company=community.company, saturday=True)
    assert working("2026-03-06 17:00", H, community) == at("2026-03-07 09:00")


def test_a_community_holiday_stops_the_working_clock_for_that_community_only(community):
    HolidayFactory(community=community, date=dt.date(2026, 3, 10))
    other = CommunityFactory(company=community.company)
    assert working("2026-03-09 17:00", H, community) == at("2026-03-11 09:00")
    assert working("2026-03-09 17:00", H, other) == at("2026-03-10 09:00")


def test_a_working_deadline_reads_the_calendar_in_two_queries(community, django_assert_num_queries):
    policy(community, "calendar.workdays")  # policies load once per request, for every key
    with django_assert_num_queries(2):  # schedule; official + company + community exceptions
        working("2026-01-01 08:00", 600 * H, community)  # 80 working days


# ---- pauses -----------------------------------------------------------------------------


def test_an_open_pause_stops_the_clock(community):
    start = at("2026-03-09 10:00")
    pauses = [(at("2026-03-09 11:00"), None)]
    with pytest.raises(ClockStoppedError) as caught:
        deadline(start, 2 * H, clock="calendar", community=community, pauses=pauses)
    assert caught.value.paused_at == at("2026-03-09 11:00")
    assert caught.value.remaining == H
    end = at("2026-03-20 15:00")
    assert elapsed(start, end, clock="calendar", community=community, pauses=pauses) == H


def test_a_deadline_reached_before_an_open_pause_is_unaffected(community):
    pauses = [(at("2026-03-09 11:00"), None)]
    due = deadline(
        at("2026-03-09 10:00"), 30 * M, clock="calendar", community=community, pauses=pauses
    )
    assert due == at("2026-03-09 10:30")


def test_overlapping_unsorted_pauses_count_once(community):
    pauses = [
        (at("2026-03-09 10:00"), at("2026-03-09 12:00")),
        (at("2026-03-09 09:00"), at("2026-03-09 11:00")),
    ]
    due = deadline(
        at("2026-03-09 08:00"), 4 * H, clock="calendar", community=community, pauses=pauses
    )
    assert due == at("2026-03-09 15:00")


def test_a_pause_spanning_the_national_day_holiday(community):
    pauses = [(at("2026-09-30 10:00"), at("2026-10-09 10:00"))]
    assert working("2026-09-30 09:00", 4 * H, community, pauses) == at("2026-10-09 14:30")


def test_a_pause_begun_before_the_start_only_counts_from_the_start(community):
    pauses = [(at("2026-03-09 08:00"), at("2026-03-09 11:00"))]
    due = deadline(at("2026-03-09 10:00"), H, clock="calendar", community=community, pauses=pauses)
    assert due == at("2026-03-09 12:00")


def test_a_pause_outside_office_hours_does_not_move_a_working_deadline(community):
    pauses = [(at("2026-03-09 18:00"), at("2026-03-10 08:00"))]
    assert working("2026-03-09 17:00", H, community, pauses) == at("2026-03-10 09:00")


def test_an_open_pause_on_the_working_clock_reports_what_remains(community):
    pauses = [(at("2026-03-09 15:00"), None)]
    with pytest.raises(ClockStoppedError) as caught:
        working("2026-03-09 14:00", 3 * H, community, pauses)
    assert caught.value.remaining == 2 * H


# ---- elapsed ----------------------------------------------------------------------------


def test_elapsed_working_time_over_the_national_day_week(community):
    spent = elapsed(
        at("2026-09-30 16:00"), at("2026-10-08 11:00"), clock="working", community=community
    )
    assert spent == 4 * H


def test_elapsed_working_time_reads_the_calendar_in_two_queries(
    community, django_assert_num_queries
):
    policy(community, "calendar.workdays")  # policies load once per request, for every key
    with django_assert_num_queries(2):
        elapsed(
            at("2026-01-01 00:00"), at("2026-12-31 23:00"), clock="working", community=community
        )


def test_elapsed_calendar_time_less_a_pause(community):
    pauses = [(at("2026-03-09 12:00"), at("2026-03-09 13:00"))]
    spent = elapsed(
        at("2026-03-09 10:00"),
        at("2026-03-09 15:00"),
        clock="calendar",
        community=community,
        pauses=pauses,
    )
    assert spent == 4 * H


# ---- working days -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "n", "expected"),
    [
        ("2026-09-30", 1, "2026-10-08"),  # National Day week off
        ("2026-10-09", 1, "2026-10-10"),  # make-up Saturday
        ("2026-10-09", 2, "2026-10-12"),
        ("2026-10-08", -1, "2026-09-30"),
        ("2026-10-03", 0, "2026-10-03"),
        ("2026-12-31", 1, "2027-01-04"),  # New Year, then the weekend
        ("2026-03-06", 5, "2026-03-13"),  # a letter received Friday: the next Friday
    ],
)
def test_add_working_days(community, day, n, expected):
    result = add_working_days(dt.date.fromisoformat(day), n, community=community)
    assert result == dt.date.fromisoformat(expected)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2026-10-10", True),  # make-up Saturday
        ("2026-10-05", False),  # National Day holiday
        ("2026-10-17", False),  # ordinary Saturday
        ("2026-10-16", True),  # ordinary Friday
        ("2026-01-04", True),  # make-up Sunday after New Year
    ],
)
def test_is_working_day_follows_the_official_schedule(community, day, expected):
    assert is_working_day(dt.date.fromisoformat(day), community=community) is expected


def test_the_most_specific_exception_wins(community):
    company = community.company
    HolidayFactory(community=None, company=company, date=dt.date(2026, 3, 10))
    HolidayFactory(community=community, date=dt.date(2026, 3, 10), kind=ExceptionKind.WORKDAY)
    HolidayFactory(community=community, date=dt.date(2026, 10, 10), kind=ExceptionKind.HOLIDAY)
    other = CommunityFactory(company=company)
    assert is_working_day(dt.date(2026, 3, 10), community=community) is True
    assert is_working_day(dt.date(2026, 3, 10), community=other) is False
    assert is_working_day(dt.date(2026, 10, 10), community=community) is False
    assert is_working_day(dt.date(2026, 10, 10), community=other) is True


def test_another_companys_exceptions_do_not_apply(community):
    stranger = CommunityFactory()
    HolidayFactory(community=None, company=stranger.company, date=dt.date(2026, 3, 10))
    assert is_working_day(dt.date(2026, 3, 10), community=community) is True


# ---- bad input --------------------------------------------------------------------------


def test_a_naive_start_is_refused(community):
    with pytest.raises(ValueError, match="time zone"):
        deadline(
            dt.datetime(2026, 3, 9, 9),  # noqa: DTZ001  # naive on purpose
            H,
            clock="calendar",
            community=community,
        )


def test_a_naive_pause_is_refused(community):
    with pytest.raises(ValueError, match="time zone"):
        elapsed(
            at("2026-03-09 09:00"),
            at("2026-03-09 12:00"),
            clock="calendar",
            community=community,
            pauses=[(dt.datetime(2026, 3, 9, 10), None)],  # noqa: DTZ001  # naive on purpose
        )


def test_a_negative_duration_is_refused(community):
    with pytest.raises(ValueError, match="zero or more"):
        deadline(at("2026-03-09 09:00"), -M, clock="working", community=community)


def test_an_unknown_clock_is_refused(community):
    with pytest.raises(ValueError, match="Unknown clock"):
        deadline(at("2026-03-09 09:00"), H, clock="lunar", community=community)


def test_a_pause_ending_before_it_starts_is_refused(community):
    with pytest.raises(ValueError, match="must not end before"):
        deadline(
            at("2026-03-09 09:00"),
            H,
            clock="calendar",
            community=community,
            pauses=[(at("2026-03-09 11:00"), at("2026-03-09 10:00"))],
        )


def test_an_end_before_the_start_is_refused(community):
    with pytest.raises(ValueError, match="must not be before"):
        elapsed(
            at("2026-03-09 09:00"), at("2026-03-09 08:00"), clock="calendar", community=community
        )


def test_a_datetime_is_refused_where_a_date_is_expected(community):
    with pytest.raises(ValueError, match="date without a time"):
        is_working_day(at("2026-03-09 09:00"), community=community)


def test_a_deadline_past_the_year_9999_is_refused(community):
    with pytest.raises(ValueError, match="too far"):
        deadline(at("9999-12-30 00:00"), 48 * H, clock="calendar", community=community)


def test_too_many_working_days_are_refused(community):
    with pytest.raises(ValueError, match="too far"):
        add_working_days(dt.date(2026, 3, 9), 10**9, community=community)

"""The seeded official schedule and the calendar pages' data."""

import datetime as dt

import pytest
import time_machine

from guanjia.core.calendars.models import DayType, OfficialHoliday, Source
from guanjia.core.calendars.selectors import calendar_days, calendar_page
from guanjia.core.calendars.tests.factories import HolidayFactory
from guanjia.core.policies.selectors import policy
from guanjia.core.tests.factories import CommunityFactory


@pytest.fixture
def community(db):
    return CommunityFactory()


@pytest.mark.parametrize(
    ("first", "last", "name", "kind"),
    [
        ("2026-01-01", "2026-01-03", "元旦", "holiday"),
        ("2026-01-04", "2026-01-04", "元旦", "workday"),
        ("2026-02-15", "2026-02-23", "春节", "holiday"),
        ("2026-04-04", "2026-04-06", "清明节", "holiday"),
        ("2026-05-01", "2026-05-05", "劳动节", "holiday"),
        ("2026-06-19", "2026-06-21", "端午节", "holiday"),
        ("2026-09-25", "2026-09-27", "中秋节", "holiday"),
        ("2026-10-01", "2026-10-07", "国庆节", "holiday"),
    ],
)
def test_the_2026_official_arrangement_is_seeded(db, first, last, name, kind):
    days = OfficialHoliday.objects.filter(date__range=(first, last))
    expected = (dt.date.fromisoformat(last) - dt.date.fromisoformat(first)).days + 1
    assert days.count() == expected
    assert {(d.name, d.kind, d.is_confirmed) for d in days} == {(name, kind, True)}


def test_the_2026_make_up_working_days_are_seeded(db):
    workdays = OfficialHoliday.objects.filter(date__year=2026, kind="workday")
    assert sorted(d.isoformat() for d in workdays.values_list("date", flat=True)) == [
        "2026-01-04",
        "2026-02-14",
        "2026-02-28",
        "2026-05-09",
        "2026-09-20",
        "2026-10-10",
    ]


def test_the_2027_statutory_holidays_are_seeded_as_unconfirmed(db):
    days = OfficialHoliday.objects.filter(date__year=2027)
    assert days.count() == 13  # 1 + 4 + 1 + 2 + 1 + 1 + 3
    assert not days.filter(is_confirmed=True).exists()
    assert days.filter(date=dt.date(2027, 2, 5), name="春节").exists()  # 除夕


def test_a_month_grid_has_whole_weeks_starting_on_monday(community):
    page = calendar_page(community, 2026, 10)
    grid = page.months[0]
    assert grid.weeks[0][0].day.date == dt.date(2026, 9, 28)
    assert grid.weeks[-1][-1].day.date == dt.date(2026, 11, 1)
    assert all(len(week) == 7 for week in grid.weeks)


def test_a_month_shows_holidays_make_up_days_and_weekends(community):
    days = {
        cell.day.date: cell.day
        for week in calendar_page(community, 2026, 10).months[0].weeks
        for cell in week
    }
    assert days[dt.date(2026, 10, 1)].type == DayType.HOLIDAY
    assert days[dt.date(2026, 10, 1)].name == "国庆节"
    assert days[dt.date(2026, 10, 10)].type == DayType.MAKEUP
    assert days[dt.date(2026, 10, 17)].type == DayType.REST
    assert days[dt.date(2026, 10, 16)].type == DayType.WORKDAY


def test_a_year_page_reads_the_calendar_in_two_queries(community, django_assert_num_queries):
    HolidayFactory(community=community, date=dt.date(2026, 3, 10))
    policy(community, "calendar.workdays")  # policies load once per request, for every key
    with django_assert_num_queries(2):
        page = calendar_page(community, 2026)
    assert len(page.months) == 12
    assert [d.date for d in page.special_days if d.source == Source.COMMUNITY] == [
        dt.date(2026, 3, 10)
    ]
    assert not page.unconfirmed


def test_a_2027_page_says_the_arrangement_is_unconfirmed(community):
    assert calendar_page(community, 2027, 2).unconfirmed is True


def test_calendar_days_lists_every_day_of_the_range(community):
    days = calendar_days(community, dt.date(2026, 9, 30), dt.date(2026, 10, 10))
    assert len(days) == 11
    assert [d.is_working for d in days] == [True] + [False] * 7 + [True, True, True]


PLAIN_SATURDAY = dt.date(2026, 3, 7)  # no holiday, no make-up working day


@time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))))
def test_without_a_working_schedule_the_policy_gives_the_working_week(world):
    from guanjia.core.calendars.selectors import is_working_day
    from guanjia.core.policies.selectors import clear_policy_cache
    from guanjia.core.policies.services import set_policy

    assert not is_working_day(PLAIN_SATURDAY, community=world.a)
    set_policy(key="calendar.workdays", value=["MON", "TUE", "WED", "THU", "FRI", "SAT"],
               community=world.a, reason="周六值班", by=world.user("director"))  # fmt: skip
    clear_policy_cache()
    assert is_working_day(PLAIN_SATURDAY, community=world.a)
    assert not is_working_day(PLAIN_SATURDAY, community=world.b)  # the override is A's only


@time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))))
def test_a_working_schedule_wins_over_the_policy(world):
    from guanjia.core.calendars.selectors import is_working_day
    from guanjia.core.calendars.services import OfficeHours, save_working_schedule
    from guanjia.core.policies.selectors import clear_policy_cache
    from guanjia.core.policies.services import set_policy

    set_policy(key="calendar.workdays", value=["MON", "TUE", "WED", "THU", "FRI", "SAT"],
               community=world.a, reason="周六值班", by=world.user("director"))  # fmt: skip
    clear_policy_cache()
    hours = OfficeHours(dt.time(8, 30), dt.time(12, 0), dt.time(13, 30), dt.time(17, 30))
    save_working_schedule(
        owner=world.a, weekdays={1, 2, 3, 4, 5}, hours=hours, by=world.user("director")
    )
    assert not is_working_day(PLAIN_SATURDAY, community=world.a)

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from guanjia.accounts.tests.factories import UserFactory
from guanjia.core.calendars import services
from guanjia.core.calendars.models import ExceptionKind, Holiday, WorkingSchedule
from guanjia.core.calendars.selectors import is_working_day, schedule_for
from guanjia.core.calendars.services import OfficeHours
from guanjia.core.tests.factories import CommunityFactory

HOURS = OfficeHours(dt.time(8), dt.time(12), dt.time(14), dt.time(18))


@pytest.fixture
def community(db):
    return CommunityFactory()


@pytest.fixture
def director(db):
    return UserFactory()


def test_a_community_holiday_is_created_with_its_author_in_the_history(community, director):
    holiday = services.create_holiday(
        owner=community, date=dt.date(2026, 3, 10), kind="holiday", name=" 停电 ", by=director
    )
    assert (holiday.company, holiday.community, holiday.name) == (
        community.company,
        community,
        "停电",
    )
    assert holiday.history.get().history_user == director
    assert is_working_day(dt.date(2026, 3, 10), community=community) is False


def test_a_company_wide_exception_has_no_community(community, director):
    holiday = services.create_holiday(
        owner=community.company, date=dt.date(2026, 3, 10), kind="holiday", name="司庆", by=director
    )
    assert holiday.community is None
    assert is_working_day(dt.date(2026, 3, 10), community=community) is False


def test_a_second_exception_on_the_same_day_is_refused_and_nothing_changes(community, director):
    services.create_holiday(
        owner=community, date=dt.date(2026, 3, 10), kind="holiday", name="停电", by=director
    )
    with pytest.raises(ValidationError) as caught:
        services.create_holiday(
            owner=community, date=dt.date(2026, 3, 10), kind="workday", name="加班", by=director
        )
    assert "already has an exception" in str(caught.value)
    assert Holiday.objects.count() == 1


def test_the_same_day_may_have_a_company_and_a_community_exception(community, director):
    for owner in (community, community.company):
        services.create_holiday(
            owner=owner, date=dt.date(2026, 3, 10), kind="holiday", name="停电", by=director
        )
    assert Holiday.objects.count() == 2


def test_an_unknown_kind_is_refused(community, director):
    with pytest.raises(ValidationError):
        services.create_holiday(
            owner=community, date=dt.date(2026, 3, 10), kind="party", name="x", by=director
        )
    assert not Holiday.objects.exists()


def test_updating_an_exception_keeps_the_old_version(community, director):
    holiday = services.create_holiday(
        owner=community, date=dt.date(2026, 3, 10), kind="holiday", name="停电", by=director
    )
    services.update_holiday(
        holiday=holiday,
        date=dt.date(2026, 3, 11),
        kind=ExceptionKind.WORKDAY,
        name="补班",
        by=director,
    )
    holiday.refresh_from_db()
    assert (holiday.date, holiday.kind) == (dt.date(2026, 3, 11), "workday")
    assert [h.date for h in holiday.history.order_by("history_id")] == [
        dt.date(2026, 3, 10),
        dt.date(2026, 3, 11),
    ]


def test_a_removed_exception_stays_in_the_history(community, director):
    holiday = services.create_holiday(
        owner=community, date=dt.date(2026, 3, 10), kind="holiday", name="停电", by=director
    )
    services.delete_holiday(holiday=holiday, by=director)
    assert not Holiday.objects.exists()
    removal = Holiday.history.filter(id=holiday.pk).latest("history_id")
    assert (removal.history_type, removal.history_user, removal.name) == ("-", director, "停电")
    assert is_working_day(dt.date(2026, 3, 10), community=community) is True


def test_a_community_schedule_is_saved_and_replaced(community, director):
    services.save_working_schedule(
        owner=community, weekdays={1, 2, 3, 4, 5, 6}, hours=HOURS, by=director
    )
    services.save_working_schedule(owner=community, weekdays=[1, 2, 3], hours=HOURS, by=director)
    row = WorkingSchedule.objects.get()
    assert row.weekdays == frozenset({1, 2, 3})
    assert row.periods == ((dt.time(8), dt.time(12)), (dt.time(14), dt.time(18)))
    assert row.history.count() == 2


def test_a_schedule_without_working_days_is_refused(community, director):
    with pytest.raises(ValidationError, match="at least one working day"):
        services.save_working_schedule(owner=community, weekdays=[], hours=HOURS, by=director)
    assert not WorkingSchedule.objects.exists()


def test_a_schedule_with_an_afternoon_before_the_morning_is_refused(community, director):
    bad = OfficeHours(dt.time(8), dt.time(12), dt.time(11), dt.time(18))
    with pytest.raises(ValidationError, match="afternoon must open after"):
        services.save_working_schedule(owner=community, weekdays=[1], hours=bad, by=director)
    assert not WorkingSchedule.objects.exists()


def test_a_half_given_afternoon_is_refused(community, director):
    bad = OfficeHours(dt.time(8), dt.time(12), dt.time(13), None)
    with pytest.raises(ValidationError):
        services.save_working_schedule(owner=community, weekdays=[1], hours=bad, by=director)
    assert not WorkingSchedule.objects.exists()


def test_resetting_a_community_schedule_falls_back_to_the_company_default(community, director):
    services.save_working_schedule(
        owner=community.company, weekdays=[1, 2, 3, 4, 5, 6], hours=HOURS, by=director
    )
    services.save_working_schedule(owner=community, weekdays=[1], hours=HOURS, by=director)
    assert schedule_for(community).weekdays == frozenset({1})
    services.reset_working_schedule(community=community, by=director)
    schedule = schedule_for(community)
    assert (schedule.source, schedule.weekdays) == ("company", frozenset({1, 2, 3, 4, 5, 6}))


def test_without_any_schedule_the_standard_hours_apply(community):
    schedule = schedule_for(community)
    assert schedule.source == "default"
    assert schedule.day_length == dt.timedelta(hours=7, minutes=30)

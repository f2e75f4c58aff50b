import datetime as dt

import pytest
from django.urls import reverse

from guanjia.core.calendars.models import Holiday, WorkingSchedule
from guanjia.core.calendars.tests.factories import HolidayFactory


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"  # assert on the English message ids


def _month(community, year=2026, month=10):
    return reverse("calendars:month", args=[community.pk, year, month])


def test_the_calendar_index_opens_the_current_month_of_the_current_community(world):
    response = world.client("technician").get(reverse("calendars:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(f"/calendar/{world.a.pk}/")


def test_the_month_page_colours_holidays_and_make_up_days(world):
    response = world.client("technician").get(_month(world.a))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-date="2026-10-01" data-type="holiday"' in html
    assert 'data-date="2026-10-10" data-type="makeup"' in html
    assert 'data-date="2026-10-17" data-type="rest"' in html
    assert "国庆节" in html
    assert "Add an exception" not in html  # a technician only reads


def test_an_editor_sees_the_edit_actions(world):
    HolidayFactory(community=world.a, date=dt.date(2026, 10, 20), name="消防演练")
    html = world.client("supervisor").get(_month(world.a)).content.decode()
    holiday = Holiday.objects.get()
    assert reverse("calendars:holiday-update", args=[holiday.pk]) in html
    assert reverse("calendars:schedule", args=[world.a.pk]) in html


def test_the_month_page_answers_htmx_with_the_month_only(world):
    response = world.client("technician").get(_month(world.a), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="calendar-month">')
    assert "<html" not in html


def test_the_year_page_warns_that_2027_is_unconfirmed(world):
    response = world.client("cashier").get(reverse("calendars:year", args=[world.a.pk, 2027]))
    assert "has not yet published" in response.content.decode()


@pytest.mark.parametrize("url_args", [(2026, 13), (2026, 0), (1800, 1)])
def test_a_month_that_does_not_exist_is_404(world, url_args):
    response = world.client("technician").get(
        reverse("calendars:month", args=[world.a.pk, *url_args])
    )
    assert response.status_code == 404


def test_the_year_page_query_count_does_not_grow_with_exceptions(
    world, django_assert_max_num_queries
):
    client = world.client("cashier")
    url = reverse("calendars:year", args=[world.a.pk, 2026])
    client.get(url)
    for day in range(1, 25):
        HolidayFactory(community=world.a, date=dt.date(2026, 3, day))
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200


def test_a_supervisor_adds_a_community_exception(world):
    response = world.client("supervisor").post(
        reverse("calendars:holiday-create", args=[world.a.pk]),
        {"date": "2026-03-10", "kind": "holiday", "name": "停水", "scope": "community"},
    )
    assert response.status_code == 302
    holiday = Holiday.objects.get()
    assert (holiday.community, holiday.history.get().history_user) == (
        world.a,
        world.user("supervisor"),
    )


def test_a_community_role_cannot_add_a_company_wide_exception(world):
    response = world.client("director").post(
        reverse("calendars:holiday-create", args=[world.a.pk]),
        {"date": "2026-03-10", "kind": "holiday", "name": "停水", "scope": "company"},
    )
    assert response.status_code == 200
    assert "is not one of the available choices" in response.content.decode()
    assert not Holiday.objects.exists()


def test_an_administrator_adds_a_company_wide_exception(world):
    world.client("admin").post(
        reverse("calendars:holiday-create", args=[world.a.pk]),
        {"date": "2026-03-10", "kind": "holiday", "name": "司庆", "scope": "company"},
    )
    holiday = Holiday.objects.get()
    assert (holiday.company, holiday.community) == (world.company, None)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"date": "2026-02-30", "kind": "holiday", "name": "x"}, "Enter a valid date."),
        (
            {"date": "1999-12-31", "kind": "holiday", "name": "x"},
            "Choose a date between 2000 and 2100.",
        ),
        ({"date": "2026-03-10", "kind": "party", "name": "x"}, "Select a valid choice."),
        ({"date": "2026-03-10", "kind": "holiday", "name": "   "}, "This field is required."),
        ({"date": "2026-03-10", "kind": "holiday", "name": "x" * 31}, "at most 30 characters"),
    ],
)
def test_a_bad_exception_is_refused_with_a_message_and_nothing_changes(world, data, message):
    response = world.client("supervisor").post(
        reverse("calendars:holiday-create", args=[world.a.pk]), {**data, "scope": "community"}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Holiday.objects.exists()


def test_a_duplicate_exception_is_refused_on_the_form(world):
    HolidayFactory(community=world.a, date=dt.date(2026, 3, 10))
    response = world.client("supervisor").post(
        reverse("calendars:holiday-create", args=[world.a.pk]),
        {"date": "2026-03-10", "kind": "workday", "name": "加班", "scope": "community"},
    )
    assert "already has an exception that day" in response.content.decode()
    assert Holiday.objects.count() == 1


def test_the_create_form_takes_the_date_from_the_link(world):
    url = reverse("calendars:holiday-create", args=[world.a.pk])
    assert (
        'value="2026-03-10"'
        in world.client("supervisor").get(url + "?date=2026-03-10").content.decode()
    )
    response = world.client("supervisor").get(url + "?date=2026-13-45")
    assert "The date in the link is not valid" in response.content.decode()


def test_an_exception_is_edited(world):
    holiday = HolidayFactory(community=world.a, date=dt.date(2026, 3, 10))
    response = world.client("director").post(
        reverse("calendars:holiday-update", args=[holiday.pk]),
        {"date": "2026-03-14", "kind": "workday", "name": "补班"},
    )
    assert response.status_code == 302
    holiday.refresh_from_db()
    assert (holiday.date, holiday.kind, holiday.name) == (dt.date(2026, 3, 14), "workday", "补班")


def test_a_company_wide_exception_is_not_editable_by_a_community_role(world):
    holiday = HolidayFactory(community=None, company=world.company, date=dt.date(2026, 3, 10))
    client = world.client("director")
    assert client.get(reverse("calendars:holiday-update", args=[holiday.pk])).status_code == 403
    assert client.post(reverse("calendars:holiday-delete", args=[holiday.pk])).status_code == 403
    assert Holiday.objects.filter(pk=holiday.pk).exists()


def test_removing_an_exception_keeps_it_in_the_history_page(world):
    holiday = HolidayFactory(community=world.a, date=dt.date(2026, 3, 10), name="消防演练")
    client = world.client("director")
    response = client.post(reverse("calendars:holiday-delete", args=[holiday.pk]))
    assert response.status_code == 302
    assert not Holiday.objects.exists()
    html = client.get(reverse("calendars:changes", args=[world.a.pk])).content.decode()
    assert "消防演练" in html
    assert "removed" in html


def test_the_history_page_query_count_does_not_grow(world, django_assert_max_num_queries):
    client = world.client("receptionist")
    url = reverse("calendars:changes", args=[world.a.pk])
    client.get(url)
    for day in range(1, 20):
        HolidayFactory(community=world.a, date=dt.date(2026, 3, day))
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200


def test_a_director_sets_the_communitys_working_week(world):
    response = world.client("director").post(
        reverse("calendars:schedule", args=[world.a.pk]),
        {
            "weekdays": ["1", "2", "3", "4", "5", "6"],
            "morning_opens": "08:00",
            "morning_closes": "12:00",
            "afternoon_opens": "14:00",
            "afternoon_closes": "18:00",
        },
    )
    assert response.status_code == 302
    row = WorkingSchedule.objects.get(community=world.a)
    assert row.saturday
    assert not row.sunday
    assert row.afternoon_closes == dt.time(18)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"morning_opens": "08:00", "morning_closes": "12:00"}, "Choose at least one working day."),
        (
            {"weekdays": ["8"], "morning_opens": "08:00", "morning_closes": "12:00"},
            "Select a valid choice.",
        ),
        (
            {"weekdays": ["1"], "morning_opens": "12:00", "morning_closes": "08:00"},
            "The morning must close after it opens.",
        ),
        (
            {"weekdays": ["1"], "morning_opens": "25:00", "morning_closes": "12:00"},
            "Enter a valid time.",
        ),
        (
            {
                "weekdays": ["1"],
                "morning_opens": "08:00",
                "morning_closes": "12:00",
                "afternoon_opens": "13:00",
            },
            "Give both afternoon times, or leave both empty.",
        ),
        (
            {
                "weekdays": ["1"],
                "morning_opens": "08:00",
                "morning_closes": "12:00",
                "afternoon_opens": "11:00",
                "afternoon_closes": "17:00",
            },
            "The afternoon must open after the morning.",
        ),
    ],
)
def test_a_bad_working_week_is_refused_with_a_message(world, data, message):
    response = world.client("director").post(reverse("calendars:schedule", args=[world.a.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not WorkingSchedule.objects.exists()


def test_a_community_goes_back_to_the_company_working_week(world):
    client = world.client("director")
    url = reverse("calendars:schedule", args=[world.a.pk])
    client.post(url, {"weekdays": ["1"], "morning_opens": "08:00", "morning_closes": "12:00"})
    assert "Use the company's working week" in client.get(url).content.decode()
    client.post(url, {"reset": "1"})
    assert not WorkingSchedule.objects.exists()


def test_an_administrator_sets_the_company_default(world):
    response = world.client("admin").post(
        reverse("calendars:company-schedule"),
        {
            "weekdays": ["1", "2", "3", "4", "5"],
            "morning_opens": "09:00",
            "morning_closes": "17:00",
        },
    )
    assert response.status_code == 302
    row = WorkingSchedule.objects.get()
    assert (row.company, row.community, row.afternoon_opens) == (world.company, None, None)


def test_the_calendar_is_in_the_navigation_of_every_role(world):
    html = world.client("security").get(reverse("core:home")).content.decode()
    assert reverse("calendars:index") in html

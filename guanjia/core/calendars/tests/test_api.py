import pytest
from django.urls import reverse

from guanjia.core.calendars.tests.factories import HolidayFactory


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"  # assert on the English message ids


def _days(community, query):
    return reverse("calendars-api:days", args=[community.pk]) + "?" + query


def _deadline(community, query):
    return reverse("calendars-api:deadline", args=[community.pk]) + "?" + query


def test_the_days_api_lists_each_day_with_its_working_flag_and_name(world):
    response = world.client("cashier").get(_days(world.a, "from=2026-09-30&to=2026-10-10"))
    assert response.status_code == 200
    days = response.json()["days"]
    assert len(days) == 11
    assert days[0] == {
        "date": "2026-09-30",
        "is_working": True,
        "type": "workday",
        "name": "",
        "source": "week",
        "confirmed": True,
    }
    assert days[1]["name"] == "国庆节"
    assert (days[1]["is_working"], days[1]["source"]) == (False, "official")
    assert (days[10]["type"], days[10]["is_working"]) == ("makeup", True)


def test_the_days_api_shows_community_exceptions(world):
    HolidayFactory(community=world.a, date="2026-03-10", name="停电")
    days = (
        world.client("cashier").get(_days(world.a, "from=2026-03-10&to=2026-03-10")).json()["days"]
    )
    assert (days[0]["name"], days[0]["source"], days[0]["is_working"]) == (
        "停电",
        "community",
        False,
    )


def test_the_days_api_answers_in_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    client = world.client("cashier")
    client.get(_days(world.a, "from=2026-01-01&to=2026-01-02"))
    with django_assert_max_num_queries(10):
        assert client.get(_days(world.a, "from=2026-01-01&to=2026-12-31")).status_code == 200


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("to=2026-10-10", "from", "This field is required."),
        ("from=2026-02-30&to=2026-03-01", "from", "Date has wrong format."),
        ("from=yesterday&to=2026-03-01", "from", "Date has wrong format."),
        ("from=2026-03-10&to=2026-03-01", "to", "The end date must not be before the start date."),
        ("from=2026-01-01&to=2027-01-02", "to", "Ask for at most 366 days at a time."),
    ],
)
def test_bad_days_parameters_get_a_400_with_a_message(world, query, field, message):
    response = world.client("cashier").get(_days(world.a, query))
    assert response.status_code == 400
    assert message in " ".join(response.json()[field])


def test_the_deadline_api_uses_the_working_clock(world):
    response = world.client("technician").get(
        _deadline(world.a, "start=2026-09-30T16:00:00%2B08:00&minutes=240&clock=working")
    )
    assert response.status_code == 200
    assert response.json() == {
        "start": "2026-09-30T16:00:00+08:00",
        "minutes": 240,
        "clock": "working",
        "deadline": "2026-10-08T11:00:00+08:00",
    }


def test_the_deadline_api_reads_a_start_without_offset_as_beijing_time(world):
    response = world.client("technician").get(
        _deadline(world.a, "start=2026-10-09T17:00&minutes=60&clock=working")
    )
    assert response.json()["deadline"] == "2026-10-10T09:00:00+08:00"


def test_the_deadline_api_defaults_to_the_calendar_clock(world):
    response = world.client("technician").get(
        _deadline(world.a, "start=2026-09-30T16:00:00Z&minutes=60")
    )
    assert response.json()["deadline"] == "2026-10-01T01:00:00+08:00"


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("minutes=60", "start", "This field is required."),
        ("start=tomorrow&minutes=60", "start", "Datetime has wrong format."),
        ("start=2026-10-09T17:00&minutes=-5", "minutes", "greater than or equal to 0"),
        ("start=2026-10-09T17:00&minutes=abc", "minutes", "A valid integer is required."),
        ("start=2026-10-09T17:00&minutes=99999999", "minutes", "less than or equal to"),
        ("start=2026-10-09T17:00&minutes=60&clock=lunar", "clock", "is not a valid choice."),
        ("start=9999-12-31T20:00&minutes=500000", "minutes", "The date is too far away."),
    ],
)
def test_bad_deadline_parameters_get_a_400_with_a_message(world, query, field, message):
    response = world.client("technician").get(_deadline(world.a, query))
    assert response.status_code == 400
    assert message in " ".join(response.json()[field])


def test_another_communitys_calendar_is_404(world):
    response = world.client("technician").get(
        _deadline(world.b, "start=2026-10-09T17:00&minutes=60")
    )
    assert response.status_code == 404


def test_the_api_needs_a_login(world):
    response = world.client(None).get(_days(world.a, "from=2026-10-01&to=2026-10-02"))
    assert response.status_code in (401, 403)

import datetime as dt
from decimal import Decimal

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from guanjia.core.models import Company
from guanjia.core.policies import selectors
from guanjia.core.policies.middleware import PolicyCacheMiddleware
from guanjia.core.policies.registry import all_specs
from guanjia.core.policies.selectors import clear_policy_cache, policy

from .factories import value_row

KEY = "complaint.first_reply_hours"
TODAY = dt.date(2026, 3, 10)


@pytest.fixture
def today():
    import time_machine

    with time_machine.travel(dt.datetime(2026, 3, 10, 9, tzinfo=dt.UTC), tick=False):
        yield TODAY


def test_a_key_never_set_reads_the_manuals_default(world):
    assert policy(world.a, KEY) == 24


def test_the_company_default_applies_to_every_community(world):
    value_row(KEY, 36, company=world.company)
    assert policy(world.a, KEY) == 36
    assert policy(world.b, KEY) == 36


def test_a_community_override_wins_over_the_company_default(world):
    value_row(KEY, 36, company=world.company)
    value_row(KEY, 12, company=world.company, community=world.a)
    assert policy(world.a, KEY) == 12
    assert policy(world.b, KEY) == 36


def test_none_reads_the_company_default_not_an_override(world):
    value_row(KEY, 36, company=world.company)
    value_row(KEY, 12, company=world.company, community=world.a)
    assert policy(None, KEY) == 36


def test_none_without_any_company_reads_the_manuals_default(db):
    assert not Company.objects.exists()
    assert policy(None, "security.idle_timeout_minutes") == 30


def test_a_value_effective_tomorrow_is_not_in_force_today(world, today):
    value_row(KEY, 36, company=world.company, effective_from=TODAY - dt.timedelta(days=5))
    value_row(KEY, 48, company=world.company, effective_from=TODAY + dt.timedelta(days=1))
    assert policy(world.a, KEY) == 36
    assert policy(world.a, KEY, on=TODAY + dt.timedelta(days=1)) == 48


def test_the_latest_effective_date_wins_not_the_latest_row(world, today):
    value_row(KEY, 48, company=world.company, effective_from=TODAY)
    value_row(KEY, 36, company=world.company, effective_from=TODAY - dt.timedelta(days=3))
    assert policy(world.a, KEY) == 48
    assert policy(world.a, KEY, on=TODAY - dt.timedelta(days=1)) == 36


def test_on_a_day_before_any_row_the_manuals_default_applies(world, today):
    value_row(KEY, 36, company=world.company, effective_from=TODAY)
    assert policy(world.a, KEY, on=TODAY - dt.timedelta(days=1)) == 24


def test_an_override_not_yet_in_force_leaves_the_company_default(world, today):
    value_row(KEY, 36, company=world.company, effective_from=TODAY)
    value_row(
        KEY, 12, company=world.company, community=world.a, effective_from=TODAY.replace(day=20)
    )
    assert policy(world.a, KEY) == 36


def test_two_rows_on_the_same_day_the_later_one_wins(world, today):
    value_row(KEY, 36, company=world.company, effective_from=TODAY)
    value_row(KEY, 40, company=world.company, effective_from=TODAY)
    assert policy(world.a, KEY) == 40


def test_a_company_wide_key_ignores_community_rows(world):
    value_row("att.late_threshold_min", 5, company=world.company)
    value_row("att.late_threshold_min", 15, company=world.company, community=world.a)
    assert policy(world.a, "att.late_threshold_min") == 5


def test_values_come_back_typed(world):
    value_row("reno.deposit_owner", "2500", company=world.company)
    value_row("reno.hours", "08:30-12:00", company=world.company)
    assert policy(world.a, "reno.deposit_owner") == Decimal("2500.00")
    assert policy(world.a, "reno.hours") == [(dt.time(8, 30), dt.time(12))]
    assert policy(world.a, "reno.worker_exit_time") == dt.time(18)


def test_changing_a_returned_list_does_not_change_the_next_read(world):
    policy(world.a, "calendar.workdays").append("SAT")
    assert policy(world.a, "calendar.workdays") == ["MON", "TUE", "WED", "THU", "FRI"]


def test_an_unreadable_stored_value_falls_back_to_the_previous_one(world, today):
    value_row(KEY, 36, company=world.company, effective_from=TODAY - dt.timedelta(days=2))
    value_row(KEY, None, company=world.company, effective_from=TODAY, text='"many"')
    assert policy(world.a, KEY) == 36


def test_an_unknown_key_is_a_programming_error(world):
    with pytest.raises(KeyError):
        policy(world.a, "no.such_key")


def test_every_key_of_a_community_costs_one_query(world, django_assert_max_num_queries):
    value_row(KEY, 36, company=world.company)
    with django_assert_max_num_queries(1):
        for spec in all_specs():
            policy(world.a, spec.key)
            policy(world.b, spec.key)


def test_reads_for_the_company_default_cost_at_most_two_queries(
    world, django_assert_max_num_queries
):
    with django_assert_max_num_queries(2):
        for _ in range(50):
            policy(None, "security.idle_timeout_minutes")


def test_many_reads_in_one_request_cost_at_most_two_queries(world, django_assert_max_num_queries):
    value_row(KEY, 36, company=world.company)
    keys = [spec.key for spec in all_specs()]

    def view(request):
        for _ in range(10):
            for key in keys:
                policy(world.a, key)
            policy(None, "security.idle_timeout_minutes")
        return HttpResponse("ok")

    request = RequestFactory().get("/")
    with django_assert_max_num_queries(2):
        PolicyCacheMiddleware(view)(request)


def test_a_request_starts_with_fresh_values(world):
    policy(world.a, KEY)  # loaded before the request, e.g. by an earlier request's thread
    value_row(KEY, 36, company=world.company)
    seen = []

    def view(request):
        seen.append(policy(world.a, KEY))
        return HttpResponse("ok")

    PolicyCacheMiddleware(view)(RequestFactory().get("/"))
    assert seen == [36]


def test_outside_a_request_a_loaded_value_lives_only_for_a_short_time(world, monkeypatch):
    assert policy(world.a, KEY) == 24
    value_row(KEY, 36, company=world.company)  # written by another process
    assert policy(world.a, KEY) == 24  # within the cache's lifetime
    monkeypatch.setattr(selectors, "CACHE_SECONDS", 0.0)
    assert policy(world.a, KEY) == 36


def test_clearing_the_cache_reads_new_values_at_once(world):
    assert policy(world.a, KEY) == 24
    value_row(KEY, 36, company=world.company)
    clear_policy_cache()
    assert policy(world.a, KEY) == 36


def test_who_may_change_names_the_roles_of_spec_26():
    from guanjia.core.policies.registry import get_spec

    assert selectors.who_may_change(get_spec("billing.late_fee_daily_rate")) == {
        "default": "Company finance, Company management, Company administrator",
        "override": "Company finance",
    }
    assert selectors.who_may_change(get_spec(KEY))["override"] == "Office director"
    hr = selectors.who_may_change(get_spec("att.late_threshold_min"))
    assert hr["override"] == "not allowed (company-wide)"


def test_policy_uses_todays_local_date_by_default(world):
    value_row(KEY, 36, company=world.company, effective_from=timezone.localdate())
    assert policy(world.a, KEY) == 36


def test_policy_over_a_span_gives_each_change_of_the_default_and_the_override(
    world, today, django_assert_max_num_queries
):
    day = TODAY - dt.timedelta(days=30)
    value_row(KEY, 36, company=world.company, effective_from=day - dt.timedelta(days=10))
    value_row(KEY, 48, company=world.company, effective_from=day + dt.timedelta(days=5))
    value_row(
        KEY, 12, company=world.company, community=world.a, effective_from=day + dt.timedelta(days=9)
    )
    value_row(KEY, 6, company=world.company, effective_from=day + dt.timedelta(days=40))  # after
    value_row(
        KEY, 8, company=world.company, community=world.b, effective_from=day + dt.timedelta(days=2)
    )
    selectors.policy_over(world.a, KEY, day, TODAY)  # loads the company
    with django_assert_max_num_queries(0):
        over_a = selectors.policy_over(world.a, KEY, day, TODAY)
    assert over_a == [(day, 36), (day + dt.timedelta(days=5), 48), (day + dt.timedelta(days=9), 12)]
    # another community's override is not a change of A's, and community B sees its own
    assert selectors.policy_over(world.b, KEY, day, day + dt.timedelta(days=5)) == [
        (day, 36),
        (day + dt.timedelta(days=2), 8),
        (day + dt.timedelta(days=5), 8),
    ]


def test_policy_over_a_span_without_any_row_is_the_manuals_default(world, today):
    assert selectors.policy_over(world.a, KEY, TODAY, TODAY + dt.timedelta(days=3)) == [(TODAY, 24)]

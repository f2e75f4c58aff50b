"""Inductions for new hires (the daily job, idempotent), the interface for other apps, the
training file and the KPIs."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from guanjia.accounts.tests.factories import UserFactory, grant, staff
from guanjia.training import selectors, services
from guanjia.training.models import Induction

from .factories import plan, session, written_test

pytestmark = pytest.mark.django_db


def _new_hire(world, days_ago=1):
    user = UserFactory(company=world.company)
    grant(
        user, "receptionist", world.a, starts_on=timezone.localdate() - dt.timedelta(days=days_ago)
    )
    return user


def test_the_daily_job_gives_new_hires_an_induction_once(world):
    new = _new_hire(world)
    world.user("cashier")  # hired 30 days ago: no induction
    assert services.assign_new_hires() == 1
    assert services.assign_new_hires() == 0
    induction = Induction.objects.get()
    assert induction.employee == new
    assert induction.ends_on - induction.starts_on == dt.timedelta(days=6)


def test_an_untrained_employee_is_flagged_until_the_induction_test_is_passed(world):
    new = _new_hire(world)
    services.assign_new_hires()
    today = timezone.localdate()
    assert selectors.untrained_employee_ids(world.a, today) == {new.pk}
    assert selectors.untrained_employee_ids(world.b, today) == set()
    assert selectors.untrained_employee_ids(world.company, today) == {new.pk}
    test = written_test(world, world.a, is_induction=True)
    services.take_test(test=test, answers={q.pk: q.answer for q in test.questions.all()}, by=new)
    assert selectors.untrained_employee_ids(world.a, today) == set()


def test_an_induction_is_assigned_by_hand_once(world):
    me = world.user("receptionist")
    first = services.assign_induction(community=world.a, employee=me, by=world.user("supervisor"))
    again = services.assign_induction(community=world.a, employee=me, by=world.user("supervisor"))
    assert first == again


def test_training_hours_count_signed_sessions_not_cancelled_ones(world):
    me, other = world.user("receptionist"), world.user("cashier")
    held = session(world, world.a, invited=[me, other], hours="2")
    services.sign_in(session=held, employee=me, by=me)
    cancelled = session(world, world.a, invited=[me], hours="3")
    services.sign_in(session=cancelled, employee=me, by=me)
    services.cancel_session(session=cancelled, reason="台风", by=world.user("supervisor"))
    today = timezone.localdate()
    assert selectors.training_hours([me.pk, other.pk], today, today) == {
        me.pk: Decimal("2"),
        other.pk: Decimal("0"),
    }


def test_plan_completion_counts_held_sessions_of_a_plan(world):
    approved = plan(world, world.a, "approved")
    one = session(world, world.a, plan_row=approved)
    session(world, world.a, plan_row=approved)
    session(world, world.a)  # not in a plan
    services.hold_session(session=one, by=world.user("supervisor"))
    today = timezone.localdate()
    assert selectors.plan_completion(world.a, today, today) == (1, 2)
    assert selectors.plan_completion(world.company, today, today) == (1, 2)
    assert selectors.plan_completion(world.b, today, today) == (0, 0)


def test_pass_fail_counts_per_employee(world):
    me = world.user("receptionist")
    test = written_test(world, world.a)
    wrong = {q.pk: (q.answer + 1) % len(q.choices) for q in test.questions.all()}
    services.take_test(test=test, answers=wrong, by=me)
    services.take_test(test=test, answers={q.pk: q.answer for q in test.questions.all()}, by=me)
    today = timezone.localdate()
    counts = selectors.pass_fail_counts([me.pk], today, today)[me.pk]
    assert (counts.passed, counts.failed, counts.first_attempts, counts.first_attempt_passed) == (
        1,
        1,
        1,
        0,
    )


def test_the_kpis_give_raw_counts(world):
    me = world.user("receptionist")
    approved = plan(world, world.a, "approved")
    held = session(world, world.a, plan_row=approved, invited=[me, world.user("cashier")])
    services.sign_in(session=held, employee=me, by=me)
    services.hold_session(session=held, by=world.user("supervisor"))
    today = timezone.localdate()
    kpis = selectors.training_kpis(community=world.a, start=today, end=today)
    assert (kpis.completion.done, kpis.completion.total) == (1, 1)
    assert (kpis.attendance.done, kpis.attendance.total) == (1, 2)
    assert kpis.attendance.percent == Decimal("50.0")


def test_the_training_file_sums_hours_of_the_year(world):
    me = world.user("receptionist")
    made = session(world, world.a, hours="1.5")
    services.sign_in(session=made, employee=me, by=me)
    services.assign_induction(community=world.a, employee=me, by=None)
    file = selectors.training_file(world.a, me, timezone.localdate().year)
    assert file.hours_year == Decimal("1.5")
    assert file.probation_hours == Decimal("1.5")
    assert (file.annual_min, file.probation_min) == (70, 20)
    assert file.below_annual
    assert staff("hr", company=world.company)

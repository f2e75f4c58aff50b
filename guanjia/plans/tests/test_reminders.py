"""Reminders before the supervisor's due days (policies), and the pages' refusals."""

import datetime as dt

import pytest
from django.urls import reverse

from guanjia.core.notifications.models import Notification
from guanjia.core.policies.services import set_policy
from guanjia.plans import services
from guanjia.plans.models import ActionItem
from guanjia.plans.selectors import monthly_plan_due, summary_due
from guanjia.plans.services.reminders import due_papers

from .factories import meeting

pytestmark = pytest.mark.django_db


def test_next_months_plan_is_due_on_the_policys_day_of_the_month_before(world):
    assert monthly_plan_due(world.a, dt.date(2027, 3, 1)) == dt.date(2027, 2, 25)
    set_policy(
        key="supervisor.monthly_plan_due_day",
        value=31,
        community=world.a,
        reason="月底",
        by=world.user("director"),
    )
    assert monthly_plan_due(world.a, dt.date(2027, 3, 1)) == dt.date(2027, 2, 28)


def test_the_summary_is_due_on_the_last_working_day_by_default(world):
    due = summary_due(world.a, dt.date(2027, 1, 1))
    assert due.month == 1
    assert due.weekday() < 5


def test_the_supervisor_is_reminded_within_the_window_until_the_plan_is_submitted(world):
    supervisor = world.user("supervisor")
    in_window = dt.date(2027, 2, 23)  # the March plan is due on 25 February
    papers = [event for event, *_ in due_papers(world.a, in_window)]
    assert "plans.monthly_plan_due" in papers
    assert "plans.monthly_plan_due" not in [
        e for e, *_ in due_papers(world.a, dt.date(2027, 2, 10))
    ]
    services.send_reminders(in_window)
    assert Notification.objects.filter(recipient=supervisor).exists()
    assert not Notification.objects.filter(recipient=world.user("receptionist")).exists()


def test_the_page_refuses_an_action_item_without_an_owner(world):
    m = meeting(world, world.a)
    response = world.client("supervisor").post(
        reverse("plans:meeting-action-add", args=[m.pk]),
        {"action-title": "回访", "action-owner": "", "action-due_on": m.held_on.isoformat()},
    )
    assert response.status_code == 400
    assert "会议待办必须指定责任人" in response.content.decode()
    assert ActionItem.objects.count() == 0


def test_the_page_refuses_a_plan_submitted_twice_with_the_message(world):
    from .factories import submitted

    plan = submitted(world, world.a)
    response = world.client("supervisor").post(reverse("plans:plan-submit", args=[plan.pk]))
    assert response.status_code == 400
    assert "此计划已报主任" in response.content.decode()


def test_an_acting_supervisor_is_reminded_and_has_the_tasks_only_during_the_cover(world):
    import time_machine

    from guanjia.accounts.tests.factories import grant
    from guanjia.core.workbench.selectors import workbench

    cover = world.user("area_manager")
    start = dt.date(2027, 2, 20)
    grant(
        cover,
        "supervisor",
        world.a,
        starts_on=start,
        ends_on=start + dt.timedelta(days=4),
        is_acting=True,
    )
    with time_machine.travel(dt.datetime(2027, 2, 23, 9, tzinfo=dt.UTC), tick=False):
        services.send_reminders()
        fresh = type(cover).objects.get(pk=cover.pk)
        codes = {c.kind.code for c in workbench(fresh, world.a).counts}
    assert Notification.objects.filter(recipient=cover, event="plans.monthly_plan_due").exists()
    assert "plans.daily_check" in codes
    with time_machine.travel(dt.datetime(2027, 2, 26, 9, tzinfo=dt.UTC), tick=False):
        fresh = type(cover).objects.get(pk=cover.pk)
        codes = {c.kind.code for c in workbench(fresh, world.a).counts}
    assert "plans.daily_check" not in codes

"""The API's refusals, the workbench tasks and who is told."""

import pytest
from django.urls import reverse

from guanjia.core.notifications.models import Notification
from guanjia.core.workbench.selectors import workbench
from guanjia.plans.models import ActionItem, PlanStatus, WorkPlan

from .factories import actor, draft, meeting, submitted

pytestmark = pytest.mark.django_db


def _api(world, role):
    return world.client(role)


def test_the_api_refuses_an_action_item_without_an_owner(world):
    m = meeting(world, world.a)
    url = reverse("plans-api:meeting-action-add", args=[m.pk])
    response = _api(world, "supervisor").post(
        url,
        {"title": "回访", "owner": None, "due_on": m.held_on.isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "owner" in response.json()
    assert ActionItem.objects.count() == 0


def test_the_api_refuses_a_plan_submitted_twice_and_the_author_approving(world):
    plan = submitted(world, world.a)
    url = reverse("plans-api:plan-submit", args=[plan.pk])
    again = _api(world, "supervisor").post(url, {}, content_type="application/json")
    assert again.status_code == 400
    assert again.json()["code"] == "submitted"
    approve = reverse("plans-api:plan-approve", args=[plan.pk])
    own = _api(world, "supervisor").post(approve, {}, content_type="application/json")
    assert own.status_code == 403
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED


def test_the_api_refuses_a_bad_kind_and_a_plan_of_another_community(world):
    client = _api(world, "supervisor")
    url = reverse("plans-api:plan-list")
    bad = client.post(
        url,
        {"community": world.a.pk, "kind": "weekly", "period": "2026-12-01", "title": "x"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert "kind" in bad.json()
    other = client.post(
        url,
        {"community": world.b.pk, "kind": "monthly", "period": "2026-12-01", "title": "x"},
        content_type="application/json",
    )
    assert other.status_code == 400
    assert WorkPlan.objects.count() == 0


def test_a_bad_filter_value_is_a_400_on_the_api_and_no_rows_on_the_page(world):
    draft(world, world.a)
    response = _api(world, "supervisor").get(reverse("plans-api:plan-list"), {"status": "x"})
    assert response.status_code == 400
    page = world.client("supervisor").get(reverse("plans:plan-list"), {"status": "x"})
    assert page.status_code == 200
    assert page.context["object_list"].count() == 0


def test_the_director_has_the_plan_to_approve_on_the_workbench_and_is_told(
    world, django_capture_on_commit_callbacks
):
    director = world.user("director")
    with django_capture_on_commit_callbacks(execute=True):
        plan = submitted(world, world.a)
    assert Notification.objects.filter(recipient=director, link=plan.get_absolute_url()).exists()
    counts = {c.kind.code: c for c in workbench(director, world.a).counts}
    assert counts["plans.approve"].total == 1
    elsewhere = workbench(actor(world, world.b, "director"), world.b).counts
    assert {c.kind.code: c.total for c in elsewhere}["plans.approve"] == 0
    cashier = workbench(world.user("cashier"), world.a).counts
    assert "plans.approve" not in {c.kind.code for c in cashier}


def test_the_author_is_told_when_the_plan_is_returned(world, django_capture_on_commit_callbacks):
    from guanjia.plans import services

    plan = submitted(world, world.a)
    with django_capture_on_commit_callbacks(execute=True):
        services.return_plan(plan=plan, comments="补充", by=world.user("director"))
    told = Notification.objects.get(recipient=world.user("supervisor"))
    assert told.link == plan.get_absolute_url()


def test_the_weekly_meeting_is_a_task_from_its_weekday_until_recorded(world):
    import datetime as dt

    import time_machine

    supervisor = world.user("supervisor")
    monday = dt.datetime(2027, 3, 1, 10, tzinfo=dt.UTC)  # a Monday, the default weekday

    def due() -> int:
        counts = workbench(supervisor, world.a).counts
        return {c.kind.code: c.total for c in counts}["plans.weekly_meeting"]

    with time_machine.travel(monday, tick=False):
        assert due() == 1
        meeting(world, world.a)
        assert due() == 0

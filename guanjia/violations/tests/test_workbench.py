"""The violations' tasks on the workbench and who is told what (announcements)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from guanjia.core.notifications.models import Notification
from guanjia.core.workbench.selectors import workbench
from guanjia.violations import services

from .factories import actor, days_later, found, managed_unit, noticed


def _codes(user: Any, community: Any) -> dict[str, int]:
    return {c.kind.code: c.total for c in workbench(user, community).counts}


def test_a_recheck_due_reaches_the_zones_manager_and_links_to_the_same_rows(world):
    violation = noticed(world, world.a)
    noticed(world, world.b)
    manager = world.user("area_manager")
    assert _codes(manager, world.a).get("violation.recheck", 0) == 0
    with days_later(7):
        assert _codes(manager, world.a)["violation.recheck"] == 1
        client = world.client("area_manager")
        rows = client.get(reverse("violations:recheck-list") + "?due=true").context["object_list"]
        assert [v.pk for v in rows] == [violation.pk]


def test_another_zones_manager_does_not_see_the_recheck(world):
    from guanjia.accounts.tests.factories import staff

    noticed(world, world.a)
    other = staff("area_manager", world.a, company=world.company)
    with days_later(7):
        assert _codes(other, world.a).get("violation.recheck", 0) == 0


def test_escalation_and_appeal_tasks_reach_the_supervisor_and_the_director(world):
    violation = noticed(world, world.a)
    appealed = noticed(world, world.a)
    services.lodge_appeal(violation=appealed, grounds="不服", by=world.user("area_manager"))
    with days_later(7):
        services.recheck_violation(
            violation=violation, corrected=False, note="未整改", by=world.user("area_manager")
        )
        assert _codes(world.user("supervisor"), world.a)["violation.escalate"] == 1
        assert "violation.appeal" not in _codes(world.user("supervisor"), world.a)
        assert _codes(world.user("director"), world.a)["violation.appeal"] == 1
        assert "violation.escalate" not in _codes(world.user("area_manager"), world.a)


def test_a_violation_found_is_told_to_the_zone_manager_and_the_supervisor(
    world, django_capture_on_commit_callbacks
):
    supervisor, director = world.user("supervisor"), world.user("director")
    b_supervisor = actor(world, world.b, "supervisor")
    receptionist = world.user("receptionist")
    unit = managed_unit(world, world.a)
    with django_capture_on_commit_callbacks(execute=True):
        found(world, world.a, unit=unit, by=receptionist, source="staff")
    told = set(
        Notification.objects.filter(event="violation.found").values_list("recipient", flat=True)
    )
    assert told == {supervisor.pk, director.pk, world.user("area_manager").pk}
    assert b_supervisor.pk not in told


def test_an_appeal_is_told_to_the_director(world, django_capture_on_commit_callbacks):
    director = world.user("director")
    violation = noticed(world, world.a)
    with django_capture_on_commit_callbacks(execute=True):
        services.lodge_appeal(violation=violation, grounds="不服", by=world.user("area_manager"))
    told = Notification.objects.filter(event="violation.appealed").values_list(
        "recipient", flat=True
    )
    assert list(told) == [director.pk]

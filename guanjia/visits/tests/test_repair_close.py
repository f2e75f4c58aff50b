"""Spec §15: where the policy says a repair closes only after its visit, the order waits at
verified until its visit is made (answered, declined, unreachable), through the tickets
app's service; a repair outside the sample owes none and closes at the next run. Otherwise
the visit follows the verification (the close) and the order is never touched."""

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from guanjia.tickets.models import RepairEvent, RepairOrder, RepairStatus
from guanjia.tickets.tests.factories import repair
from guanjia.visits import services
from guanjia.visits.models import Visit

from .factories import answers, repair_visit, set_policy


def _status(order_id):
    return RepairOrder.objects.get(pk=order_id).status


def _wait(world, community):
    set_policy(world, community, "visit.repair_close_after_visit", True)


def test_without_the_policy_the_visit_follows_the_close(world):
    visit = repair_visit(world, world.a)
    services.record_visit(visit=visit, answers=answers(), by=world.user("area_manager"))
    assert _status(visit.repair_id) == RepairStatus.VERIFIED


def test_with_the_policy_the_repair_closes_when_its_visit_is_answered(world):
    _wait(world, world.a)
    visit = repair_visit(world, world.a)
    assert _status(visit.repair_id) == RepairStatus.VERIFIED
    manager = world.user("area_manager")
    services.record_visit(visit=visit, answers=answers(), by=manager)
    assert _status(visit.repair_id) == RepairStatus.CLOSED
    event = RepairEvent.objects.get(order_id=visit.repair_id, action="closed")
    assert (event.from_status, event.actor) == ("verified", manager)


def test_with_the_policy_a_dissatisfied_visit_opens_the_rework_and_closes_the_first(world):
    _wait(world, world.a)
    visit = repair_visit(world, world.a)
    visit = services.record_visit(
        visit=visit, answers=answers("dissatisfied"), by=world.user("area_manager")
    )
    assert visit.rework is not None
    assert visit.rework.rework_of_id == visit.repair_id
    assert _status(visit.repair_id) == RepairStatus.CLOSED


def test_with_the_policy_a_declined_or_unreachable_visit_closes_the_repair(world):
    _wait(world, world.a)
    set_policy(world, world.a, "visit.max_attempts", 1)
    visit = repair_visit(world, world.a)
    services.record_attempt(visit=visit, outcome="no_answer", by=world.user("area_manager"))
    assert _status(visit.repair_id) == RepairStatus.CLOSED
    order = repair(world, world.a, "verified")
    services.generate_for_community(world.a)
    other = Visit.objects.get(repair=order)
    services.record_declined(visit=other, note="不需要回访", by=world.user("area_manager"))
    assert _status(order.pk) == RepairStatus.CLOSED


def test_with_the_policy_a_repair_outside_the_sample_closes_at_the_run(world):
    _wait(world, world.a)
    set_policy(world, world.a, "visit.repair_rate", "0")
    order = repair(world, world.a, "verified")
    counts = services.generate_for_community(world.a)
    assert counts["repair"] == 0
    assert _status(order.pk) == RepairStatus.CLOSED
    assert RepairEvent.objects.get(order=order, action="closed").actor is None
    assert services.generate_for_community(world.a)["repair"] == 0


def test_a_closed_repair_can_still_be_reworked_within_the_window(world):
    from guanjia.tickets import services as tickets

    _wait(world, world.a)
    visit = repair_visit(world, world.a)
    services.record_visit(visit=visit, answers=answers(), by=world.user("area_manager"))
    order = RepairOrder.objects.get(pk=visit.repair_id)
    rework = tickets.open_rework(order=order, note="又漏了", by=world.user("receptionist"))
    assert rework.rework_of_id == order.pk


def test_the_repair_page_says_it_waits_for_its_visit_then_shows_it(world, client):
    _wait(world, world.a)
    visit = repair_visit(world, world.a)
    client.force_login(world.user("supervisor"))
    url = reverse("tickets:repair-detail", args=[visit.repair_id])
    page = client.get(url).content.decode()
    assert "data-waits-for-visit" in page
    with time_machine.travel(timezone.now()):
        services.record_visit(visit=visit, answers=answers(), by=world.user("area_manager"))
    page = client.get(url).content.decode()
    assert "data-waits-for-visit" not in page
    assert 'id="visits"' in page


@pytest.mark.parametrize("state", ["completed"])
def test_a_repair_not_yet_verified_is_not_closed(world, state):
    from guanjia.visits.services.loop import close_verified_repair

    _wait(world, world.a)
    order = repair(world, world.a, state)
    assert close_verified_repair(order, by=None, note="") is False
    assert _status(order.pk) == RepairStatus.COMPLETED

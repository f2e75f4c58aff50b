"""The SLA sweep: warnings once, breaches recorded, complaints escalated, in bulk."""

import datetime as dt

import time_machine
from django.utils import timezone

from guanjia.core.notifications.models import Notification
from guanjia.tickets.models import Complaint, DeadlineAlert, RepairOrder
from guanjia.tickets.services import sweep_deadlines

from .factories import complaint, repair


def test_a_deadline_close_to_breach_warns_the_handler_and_the_supervisor_once(world):
    sup = world.user("supervisor")
    c = complaint(world, world.a, "handling")
    near = c.first_reply_due - dt.timedelta(minutes=30)
    with time_machine.travel(near, tick=False):
        first = sweep_deadlines()
        sent = Notification.objects.filter(recipient=sup, event="ticket.deadline_warning").count()
        again = sweep_deadlines()
    # Minor complaint: first reply and resolution are both due 24 hours after receipt.
    assert first.warnings == 2
    assert again.warnings == 0
    assert sent == 2
    assert Notification.objects.filter(event="ticket.deadline_warning").count() == sent


def test_a_missed_deadline_is_recorded_as_breached(world):
    o = repair(world, world.a, "accepted")
    with time_machine.travel(o.arrive_due + dt.timedelta(minutes=1), tick=False):
        result = sweep_deadlines()
    o.refresh_from_db()
    assert result.breaches >= 1
    assert o.arrive_met is False
    assert DeadlineAlert.objects.filter(ticket_id=o.pk, deadline="arrive_due",
                                        stage="breach").count() == 1  # fmt: skip
    tech = world.user("technician")
    assert Notification.objects.filter(recipient=tech, event="ticket.deadline_breached").exists()


def test_a_met_deadline_is_not_breached(world):
    o = repair(world, world.a, "on_site")
    with time_machine.travel(o.arrive_due + dt.timedelta(hours=1), tick=False):
        sweep_deadlines()
    assert RepairOrder.objects.get(pk=o.pk).arrive_met is True


def test_a_valid_complaint_unresolved_after_the_policy_time_becomes_major(world):
    director = world.user("director")
    c = complaint(world, world.a, "handling")
    with time_machine.travel(c.escalate_at + dt.timedelta(minutes=1), tick=False):
        result = sweep_deadlines()
        again = sweep_deadlines()
    c.refresh_from_db()
    assert (result.escalations, again.escalations) == (1, 0)
    assert c.severity == "major"
    assert c.events.filter(action="escalated").count() == 1
    assert Notification.objects.filter(recipient=director, event="complaint.escalated").exists()


def test_a_paused_repair_is_not_swept_for_completion(world):
    from guanjia.tickets import services as s

    o = repair(world, world.a, "on_site")
    s.wait_for_parts(order=o, promised_on=timezone.localdate(), by=world.user("technician"))
    with time_machine.travel(timezone.now() + dt.timedelta(days=10), tick=False):
        sweep_deadlines()
    assert RepairOrder.objects.get(pk=o.pk).complete_met is None


def test_the_sweep_reads_in_bulk_whatever_the_number_of_quiet_tickets(
    world, django_assert_max_num_queries
):
    for _ in range(5):
        complaint(world, world.a, "handling")
    with django_assert_max_num_queries(12):
        sweep_deadlines()
    assert Complaint.objects.count() == 5

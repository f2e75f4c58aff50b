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
    complaint_record = complaint(world, world.a, "handling")
    near = complaint_record.first_reply_due - dt.timedelta(minutes=30)
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
    order = repair(world, world.a, "accepted")
    with time_machine.travel(order.arrive_due + dt.timedelta(minutes=1), tick=False):
        result = sweep_deadlines()
    order.refresh_from_db()
    assert result.breaches >= 1
    assert order.arrive_met is False
    assert (
        DeadlineAlert.objects.filter(
            ticket_id=order.pk, deadline="arrive_due", stage="breach"
        ).count()
        == 1
    )
    tech = world.user("technician")
    assert Notification.objects.filter(recipient=tech, event="ticket.deadline_breached").exists()


def test_a_met_deadline_is_not_breached(world):
    order = repair(world, world.a, "on_site")
    with time_machine.travel(order.arrive_due + dt.timedelta(hours=1), tick=False):
        sweep_deadlines()
    assert RepairOrder.objects.get(pk=order.pk).arrive_met is True


def test_a_valid_complaint_unresolved_after_the_policy_time_becomes_major(world):
    director = world.user("director")
    complaint_record = complaint(world, world.a, "handling")
    with time_machine.travel(complaint_record.escalate_at + dt.timedelta(minutes=1), tick=False):
        result = sweep_deadlines()
        again = sweep_deadlines()
    complaint_record.refresh_from_db()
    assert (result.escalations, again.escalations) == (1, 0)
    assert complaint_record.severity == "major"
    assert complaint_record.events.filter(action="escalated").count() == 1
    assert Notification.objects.filter(recipient=director, event="complaint.escalated").exists()


def test_a_paused_repair_is_not_swept_for_completion(world):
    from guanjia.tickets import services

    order = repair(world, world.a, "on_site")
    services.wait_for_parts(
        order=order, promised_on=timezone.localdate(), by=world.user("technician")
    )
    with time_machine.travel(timezone.now() + dt.timedelta(days=10), tick=False):
        sweep_deadlines()
    assert RepairOrder.objects.get(pk=order.pk).complete_met is None


def test_the_sweep_reads_in_bulk_whatever_the_number_of_quiet_tickets(
    world, django_assert_max_num_queries
):
    for _ in range(5):
        complaint(world, world.a, "handling")
    with django_assert_max_num_queries(14):  # 4 deadlines x 2 stages, letters x 3 (flag), ...
        sweep_deadlines()
    assert Complaint.objects.count() == 5


def _letter_in(world):
    from .factories import entry

    with time_machine.travel(dt.datetime(2026, 3, 6, 10, 0, tzinfo=BEIJING), tick=False):
        world.user("supervisor")  # a member from that day on
        return entry(world, world.a, "suggestion", channel="letter", subject="绿化")


BEIJING = dt.timezone(dt.timedelta(hours=8))


def test_a_letter_reply_nearing_its_due_day_warns_the_writer_and_the_supervisor_once(world):
    register_entry = _letter_in(world)  # due 2026-03-13, late from midnight
    near = dt.datetime(2026, 3, 13, 23, 30, tzinfo=BEIJING)
    with time_machine.travel(near, tick=False):
        first = sweep_deadlines()
        again = sweep_deadlines()
    assert (first.warnings, again.warnings) == (1, 0)
    alert = DeadlineAlert.objects.get(
        ticket_type="request", ticket_id=register_entry.pk, stage="warning"
    )
    assert alert.deadline == "letter_due"
    assert alert.due == dt.datetime(2026, 3, 14, 0, 0, tzinfo=BEIJING)
    sup = world.user("supervisor")
    assert Notification.objects.filter(recipient=sup, event="ticket.deadline_warning").count() == 1
    assert Notification.objects.filter(
        recipient=register_entry.received_by, event="ticket.deadline_warning"
    ).exists()


def test_a_letter_reply_past_its_due_day_is_recorded_as_breached_once(world):
    register_entry = _letter_in(world)
    with time_machine.travel(dt.datetime(2026, 3, 14, 0, 1, tzinfo=BEIJING), tick=False):
        first = sweep_deadlines()
        again = sweep_deadlines()
    assert (first.breaches, again.breaches) == (1, 0)
    assert (
        DeadlineAlert.objects.filter(
            ticket_id=register_entry.pk, deadline="letter_due", stage="breach"
        ).count()
        == 1
    )


def test_a_letter_far_from_its_due_day_or_answered_is_not_swept(world):
    from guanjia.tickets import services

    far = _letter_in(world)
    done = _letter_in(world)
    done = services.draft_letter_reply(entry=done, text="感谢来函", by=world.user("receptionist"))
    done = services.check_letter_reply(entry=done, by=world.user("supervisor"))
    services.approve_letter_reply(entry=done, by=world.user("director"))
    with time_machine.travel(dt.datetime(2026, 3, 12, 9, 0, tzinfo=BEIJING), tick=False):
        early = sweep_deadlines()
    with time_machine.travel(dt.datetime(2026, 3, 20, 9, 0, tzinfo=BEIJING), tick=False):
        late = sweep_deadlines()
    assert early.warnings == 0
    assert late.breaches == 1
    assert not DeadlineAlert.objects.filter(ticket_id=done.pk, ticket_type="request").exists()
    assert DeadlineAlert.objects.filter(ticket_id=far.pk, stage="breach").exists()

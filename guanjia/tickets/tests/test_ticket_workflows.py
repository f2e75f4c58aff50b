"""Complaints and repair orders on core.workflows: an event row for every move, refusals in
the shared vocabulary (core.workflows.errors), and a wrong "about employee" cleared."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from guanjia.accounts.tests.factories import staff
from guanjia.core import workflows
from guanjia.tickets import services as s
from guanjia.tickets.models import (
    Complaint,
    ComplaintEvent,
    ComplaintStatus,
    RepairEvent,
    RepairOrder,
    RepairStatus,
)

from .factories import PNG, complaint, repair


def _moves(events):
    return [(e.action, e.from_status, e.to_status) for e in events.order_by("at", "pk")]


def test_both_ticket_workflows_are_registered_with_their_event_tables():
    assert workflows.workflow_for(Complaint).event_model is ComplaintEvent
    assert workflows.workflow_for(RepairOrder).event_model is RepairEvent


def test_every_complaint_move_writes_an_event_with_its_states_and_actor(world):
    sup = world.user("supervisor")
    c = complaint(world, world.a, "replied")
    c = s.reopen_complaint(complaint=c, note="住户不满意", by=sup)
    c = s.resolve_complaint(complaint=c, result="再次处理", by=sup)
    c = s.reply_complaint(complaint=c, reply="已再次处理", method="phone", by=sup)
    c = s.mark_complaint_visited(complaint=c, by=world.user("area_manager"), note="满意")
    director = world.user("director")
    c = s.close_complaint(complaint=c, by=director, note="结案")
    events = ComplaintEvent.objects.filter(complaint=c)
    assert _moves(events) == [
        ("registered", "", "registered"),
        ("classified", "registered", "handling"),
        ("resolved", "handling", "resolved"),
        ("replied", "resolved", "replied"),
        ("reopened", "replied", "handling"),
        ("resolved", "handling", "resolved"),
        ("replied", "resolved", "replied"),
        ("visited", "replied", "visited"),
        ("closed", "visited", "closed"),
    ]
    assert events.last().actor_id == director.pk


def test_an_invalid_complaint_moves_are_events_too(world):
    sup = world.user("supervisor")
    c = complaint(world, world.a, "invalid")
    c = s.reply_complaint(complaint=c, reply="不属于物业范围，已解释", method="phone", by=sup)
    c = s.close_complaint(complaint=c, by=world.user("director"))
    assert _moves(ComplaintEvent.objects.filter(complaint=c))[1:] == [
        ("classified", "registered", "invalid"),
        ("replied", "invalid", "replied"),
        ("closed", "replied", "closed"),
    ]


def test_every_repair_move_writes_an_event_with_its_states(world):
    tech = world.user("technician")
    desk = world.user("receptionist")
    o = repair(world, world.a, "on_site")
    o = s.quote_repair(order=o, amount=Decimal("30.00"), by=tech)
    o = s.decide_quote(order=o, accepted=True, by=desk)
    o = s.wait_for_parts(order=o, promised_on=timezone.localdate(), by=tech)
    o = s.resume_repair(order=o, by=tech)
    done = s.Completion(fault="阀门坏", work_done="更换阀门")
    o = s.complete_repair(order=o, completion=done, by=tech)
    o = s.verify_repair(order=o, satisfied=False, signature="", note="仍滴水", by=desk)
    o = s.complete_repair(order=o, completion=done, by=tech)
    o = s.verify_repair(order=o, satisfied=True, signature=PNG, by=desk)
    assert _moves(RepairEvent.objects.filter(order=o)) == [
        ("registered", "", "registered"),
        ("dispatched", "registered", "dispatched"),
        ("accepted", "dispatched", "accepted"),
        ("arrived", "accepted", "on_site"),
        ("quoted", "on_site", "quoted"),
        ("quote_accepted", "quoted", "on_site"),
        ("waiting_parts", "on_site", "waiting_parts"),
        ("resumed", "waiting_parts", "on_site"),
        ("completed", "on_site", "completed"),
        ("rejected", "completed", "on_site"),
        ("completed", "on_site", "completed"),
        ("verified", "completed", "verified"),
    ]


def test_no_access_and_cancel_are_events(world):
    tech = world.user("technician")
    lead = world.user("engineering_lead")
    o = repair(world, world.a, "accepted")
    o = s.record_no_access(order=o, note="无人在家", by=tech)
    o = s.cancel_repair(order=o, note="住户撤销", by=lead)
    assert _moves(RepairEvent.objects.filter(order=o))[-2:] == [
        ("no_access", "accepted", "no_access"),
        ("cancelled", "no_access", "cancelled"),
    ]
    assert o.request.__class__.objects.get(pk=o.request_id).status == "closed"


def test_a_rework_is_an_event_of_both_orders(world):
    o = repair(world, world.a, "verified")
    rework = s.open_rework(order=o, note="又漏了", by=world.user("receptionist"))
    assert _moves(RepairEvent.objects.filter(order=o))[-1] == ("rework", "verified", "verified")
    assert _moves(RepairEvent.objects.filter(order=rework)) == [("rework", "", "registered")]


# --- refusals: one vocabulary -----------------------------------------------------------------


def test_a_move_the_table_does_not_list_is_move_not_allowed(world):
    sup = world.user("supervisor")
    c = complaint(world, world.a)
    with pytest.raises(workflows.WorkflowError) as err:
        s.resolve_complaint(complaint=c, result="x", by=sup)
    assert err.value.code == workflows.Code.MOVE_NOT_ALLOWED
    o = repair(world, world.a, "registered")
    with pytest.raises(workflows.WorkflowError) as err:
        s.arrive_repair(order=o, by=world.user("engineering_lead"))
    assert err.value.code == workflows.Code.MOVE_NOT_ALLOWED
    assert not ComplaintEvent.objects.filter(complaint=c, action="resolved").exists()
    assert RepairOrder.objects.get(pk=o.pk).status == RepairStatus.REGISTERED


def test_the_employee_a_complaint_is_about_can_make_no_move_through_the_workflow(world):
    sup = world.user("supervisor")
    c = complaint(world, world.a, "handling")
    Complaint.objects.filter(pk=c.pk).update(about_employee=sup)
    c.refresh_from_db()
    assert not workflows.can_transition(c, ComplaintStatus.RESOLVED, by=sup)
    with pytest.raises(workflows.WorkflowDenied) as err:
        workflows.transition(c, ComplaintStatus.RESOLVED, by=sup)
    assert err.value.code == workflows.Code.NOT_PERMITTED
    # The service says which rule (the separation message), before the workflow would.
    with pytest.raises(PermissionDenied):
        s.resolve_complaint(complaint=c, result="自己处理", by=sup)
    assert Complaint.objects.get(pk=c.pk).status == ComplaintStatus.HANDLING


def test_another_technician_is_not_permitted_to_work_the_job(world):
    o = repair(world, world.a, "dispatched")
    other = staff("technician", world.a, company=world.company)
    with pytest.raises(workflows.WorkflowDenied) as err:
        workflows.transition(o, RepairStatus.ACCEPTED, by=other)
    assert err.value.code == workflows.Code.NOT_PERMITTED
    assert workflows.can_transition(o, RepairStatus.ACCEPTED, by=o.technician)
    assert workflows.can_transition(o, RepairStatus.ACCEPTED, by=world.user("engineering_lead"))


def test_the_front_desk_records_the_residents_answer_to_a_quote(world):
    o = repair(world, world.a, "on_site")
    o = s.quote_repair(order=o, amount=Decimal("20.00"), by=o.technician)
    desk = world.user("receptionist")
    assert workflows.can_transition(o, RepairStatus.ON_SITE, by=desk)
    assert not workflows.can_transition(o, RepairStatus.COMPLETED, by=desk)


def test_a_promise_after_the_result_is_a_condition_not_met(world):
    c = complaint(world, world.a, "resolved")
    with pytest.raises(workflows.WorkflowError) as err:
        s.promise_complaint(
            complaint=c,
            promise_date=timezone.localdate() + dt.timedelta(days=1),
            note="",
            by=world.user("supervisor"),
        )
    assert err.value.code == workflows.Code.CONDITION


def test_a_rework_of_an_unverified_repair_is_a_condition_not_met(world):
    o = repair(world, world.a, "completed")
    with pytest.raises(workflows.WorkflowError) as err:
        s.open_rework(order=o, note="又漏了", by=world.user("receptionist"))
    assert err.value.code == workflows.Code.CONDITION
    assert RepairOrder.objects.count() == 1


# --- the employee a complaint is about --------------------------------------------------------


def test_classification_clears_a_wrong_about_employee_and_the_event_says_so(world):
    sup = world.user("supervisor")
    wrongly_named = staff("technician", world.a, company=world.company)
    c = complaint(world, world.a)
    Complaint.objects.filter(pk=c.pk).update(about_employee=wrongly_named)
    cls = s.Classification(validity="valid", handler=sup, clear_about_employee=True)
    c = s.classify_complaint(complaint=c, classification=cls, by=sup)
    assert Complaint.objects.get(pk=c.pk).about_employee is None
    event = ComplaintEvent.objects.get(complaint=c, action="classified")
    assert event.data["about_employee"]["from"] == wrongly_named.pk
    assert event.data["about_employee"]["to"] is None
    assert str(wrongly_named) in event.note


def test_classification_keeps_the_about_employee_unless_told(world):
    sup = world.user("supervisor")
    named = staff("technician", world.a, company=world.company)
    c = complaint(world, world.a)
    Complaint.objects.filter(pk=c.pk).update(about_employee=named)
    c = s.classify_complaint(
        complaint=c, classification=s.Classification(validity="valid", handler=sup), by=sup
    )
    assert Complaint.objects.get(pk=c.pk).about_employee == named
    assert ComplaintEvent.objects.get(complaint=c, action="classified").data == {}


def test_naming_and_clearing_the_about_employee_at_once_is_refused(world):
    sup = world.user("supervisor")
    named = staff("technician", world.a, company=world.company)
    c = complaint(world, world.a)
    cls = s.Classification(validity="valid", about_employee=named, clear_about_employee=True)
    with pytest.raises(ValidationError) as err:
        s.classify_complaint(complaint=c, classification=cls, by=sup)
    assert "about_employee" in err.value.message_dict
    assert Complaint.objects.get(pk=c.pk).status == ComplaintStatus.REGISTERED


def test_the_classify_page_clears_the_about_employee(world):
    from django.urls import reverse

    sup = world.user("supervisor")
    wrongly_named = staff("technician", world.a, company=world.company)
    c = complaint(world, world.a)
    Complaint.objects.filter(pk=c.pk).update(about_employee=wrongly_named)
    data = {
        "validity": "valid",
        "severity": "minor",
        "category": "service",
        "department": "customer_service",
        "handler": sup.pk,
        "clear_about_employee": "on",
    }
    response = world.client("supervisor").post(
        reverse("tickets:complaint-classify", args=[c.pk]), data
    )
    assert response.status_code == 302, response.content
    assert Complaint.objects.get(pk=c.pk).about_employee is None

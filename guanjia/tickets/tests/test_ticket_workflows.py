"""Complaints and repair orders on core.workflows: an event row for every move, refusals in
the shared vocabulary (core.workflows.errors), and a wrong "about employee" cleared."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from guanjia.accounts.tests.factories import staff
from guanjia.core import workflows
from guanjia.tickets import services
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
    return [
        (register_entry.action, register_entry.from_status, register_entry.to_status)
        for register_entry in events.order_by("at", "pk")
    ]


def test_both_ticket_workflows_are_registered_with_their_event_tables():
    assert workflows.workflow_for(Complaint).event_model is ComplaintEvent
    assert workflows.workflow_for(RepairOrder).event_model is RepairEvent


def test_every_complaint_move_writes_an_event_with_its_states_and_actor(world):
    sup = world.user("supervisor")
    complaint_record = complaint(world, world.a, "replied")
    complaint_record = services.reopen_complaint(
        complaint=complaint_record, note="住户不满意", by=sup
    )
    complaint_record = services.resolve_complaint(
        complaint=complaint_record, result="再次处理", by=sup
    )
    complaint_record = services.reply_complaint(
        complaint=complaint_record, reply="已再次处理", method="phone", by=sup
    )
    complaint_record = services.mark_complaint_visited(
        complaint=complaint_record, by=world.user("area_manager"), note="满意"
    )
    director = world.user("director")
    complaint_record = services.close_complaint(
        complaint=complaint_record, by=director, note="结案"
    )
    events = ComplaintEvent.objects.filter(complaint=complaint_record)
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
    complaint_record = complaint(world, world.a, "invalid")
    complaint_record = services.reply_complaint(
        complaint=complaint_record, reply="不属于物业范围，已解释", method="phone", by=sup
    )
    complaint_record = services.close_complaint(
        complaint=complaint_record, by=world.user("director")
    )
    assert _moves(ComplaintEvent.objects.filter(complaint=complaint_record))[1:] == [
        ("classified", "registered", "invalid"),
        ("replied", "invalid", "replied"),
        ("closed", "replied", "closed"),
    ]


def test_every_repair_move_writes_an_event_with_its_states(world):
    tech = world.user("technician")
    desk = world.user("receptionist")
    order = repair(world, world.a, "on_site")
    order = services.quote_repair(order=order, amount=Decimal("30.00"), by=tech)
    order = services.decide_quote(order=order, accepted=True, by=desk)
    order = services.wait_for_parts(order=order, promised_on=timezone.localdate(), by=tech)
    order = services.resume_repair(order=order, by=tech)
    done = services.Completion(fault="阀门坏", work_done="更换阀门")
    order = services.complete_repair(order=order, completion=done, by=tech)
    order = services.verify_repair(
        order=order, satisfied=False, signature="", note="仍滴水", by=desk
    )
    order = services.complete_repair(order=order, completion=done, by=tech)
    order = services.verify_repair(order=order, satisfied=True, signature=PNG, by=desk)
    assert _moves(RepairEvent.objects.filter(order=order)) == [
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
    order = repair(world, world.a, "accepted")
    order = services.record_no_access(order=order, note="无人在家", by=tech)
    order = services.cancel_repair(order=order, note="住户撤销", by=lead)
    assert _moves(RepairEvent.objects.filter(order=order))[-2:] == [
        ("no_access", "accepted", "no_access"),
        ("cancelled", "no_access", "cancelled"),
    ]
    assert order.request.__class__.objects.get(pk=order.request_id).status == "closed"


def test_a_rework_is_an_event_of_both_orders(world):
    order = repair(world, world.a, "verified")
    rework = services.open_rework(order=order, note="又漏了", by=world.user("receptionist"))
    assert _moves(RepairEvent.objects.filter(order=order))[-1] == ("rework", "verified", "verified")
    assert _moves(RepairEvent.objects.filter(order=rework)) == [("rework", "", "registered")]


# --- refusals: one vocabulary -----------------------------------------------------------------


def test_a_move_the_table_does_not_list_is_move_not_allowed(world):
    sup = world.user("supervisor")
    complaint_record = complaint(world, world.a)
    with pytest.raises(workflows.WorkflowError) as err:
        services.resolve_complaint(complaint=complaint_record, result="x", by=sup)
    assert err.value.code == workflows.Code.MOVE_NOT_ALLOWED
    order = repair(world, world.a, "registered")
    with pytest.raises(workflows.WorkflowError) as err:
        services.arrive_repair(order=order, by=world.user("engineering_lead"))
    assert err.value.code == workflows.Code.MOVE_NOT_ALLOWED
    assert not ComplaintEvent.objects.filter(complaint=complaint_record, action="resolved").exists()
    assert RepairOrder.objects.get(pk=order.pk).status == RepairStatus.REGISTERED


def test_the_employee_a_complaint_is_about_can_make_no_move_through_the_workflow(world):
    sup = world.user("supervisor")
    complaint_record = complaint(world, world.a, "handling")
    Complaint.objects.filter(pk=complaint_record.pk).update(about_employee=sup)
    complaint_record.refresh_from_db()
    assert not workflows.can_transition(complaint_record, ComplaintStatus.RESOLVED, by=sup)
    with pytest.raises(workflows.WorkflowDenied) as err:
        workflows.transition(complaint_record, ComplaintStatus.RESOLVED, by=sup)
    assert err.value.code == workflows.Code.NOT_PERMITTED
    # The service says which rule (the separation message), before the workflow would.
    with pytest.raises(PermissionDenied):
        services.resolve_complaint(complaint=complaint_record, result="自己处理", by=sup)
    assert Complaint.objects.get(pk=complaint_record.pk).status == ComplaintStatus.HANDLING


def test_another_technician_is_not_permitted_to_work_the_job(world):
    order = repair(world, world.a, "dispatched")
    other = staff("technician", world.a, company=world.company)
    with pytest.raises(workflows.WorkflowDenied) as err:
        workflows.transition(order, RepairStatus.ACCEPTED, by=other)
    assert err.value.code == workflows.Code.NOT_PERMITTED
    assert workflows.can_transition(order, RepairStatus.ACCEPTED, by=order.technician)
    assert workflows.can_transition(order, RepairStatus.ACCEPTED, by=world.user("engineering_lead"))


def test_the_front_desk_records_the_residents_answer_to_a_quote(world):
    order = repair(world, world.a, "on_site")
    order = services.quote_repair(order=order, amount=Decimal("20.00"), by=order.technician)
    desk = world.user("receptionist")
    assert workflows.can_transition(order, RepairStatus.ON_SITE, by=desk)
    assert not workflows.can_transition(order, RepairStatus.COMPLETED, by=desk)


def test_a_promise_after_the_result_is_a_condition_not_met(world):
    complaint_record = complaint(world, world.a, "resolved")
    with pytest.raises(workflows.WorkflowError) as err:
        services.promise_complaint(
            complaint=complaint_record,
            promise_date=timezone.localdate() + dt.timedelta(days=1),
            note="",
            by=world.user("supervisor"),
        )
    assert err.value.code == workflows.Code.CONDITION


def test_a_rework_of_an_unverified_repair_is_a_condition_not_met(world):
    order = repair(world, world.a, "completed")
    with pytest.raises(workflows.WorkflowError) as err:
        services.open_rework(order=order, note="又漏了", by=world.user("receptionist"))
    assert err.value.code == workflows.Code.CONDITION
    assert RepairOrder.objects.count() == 1


# --- the employee a complaint is about --------------------------------------------------------


def test_classification_clears_a_wrong_about_employee_and_the_event_says_so(world):
    sup = world.user("supervisor")
    wrongly_named = staff("technician", world.a, company=world.company)
    complaint_record = complaint(world, world.a)
    Complaint.objects.filter(pk=complaint_record.pk).update(about_employee=wrongly_named)
    cls = services.Classification(validity="valid", handler=sup, clear_about_employee=True)
    complaint_record = services.classify_complaint(
        complaint=complaint_record, classification=cls, by=sup
    )
    assert Complaint.objects.get(pk=complaint_record.pk).about_employee is None
    event = ComplaintEvent.objects.get(complaint=complaint_record, action="classified")
    assert event.data["about_employee"]["from"] == wrongly_named.pk
    assert event.data["about_employee"]["to"] is None
    assert str(wrongly_named) in event.note


def test_classification_keeps_the_about_employee_unless_told(world):
    sup = world.user("supervisor")
    named = staff("technician", world.a, company=world.company)
    complaint_record = complaint(world, world.a)
    Complaint.objects.filter(pk=complaint_record.pk).update(about_employee=named)
    complaint_record = services.classify_complaint(
        complaint=complaint_record,
        classification=services.Classification(validity="valid", handler=sup),
        by=sup,
    )
    assert Complaint.objects.get(pk=complaint_record.pk).about_employee == named
    assert ComplaintEvent.objects.get(complaint=complaint_record, action="classified").data == {}


def test_naming_and_clearing_the_about_employee_at_once_is_refused(world):
    sup = world.user("supervisor")
    named = staff("technician", world.a, company=world.company)
    complaint_record = complaint(world, world.a)
    cls = services.Classification(validity="valid", about_employee=named, clear_about_employee=True)
    with pytest.raises(ValidationError) as err:
        services.classify_complaint(complaint=complaint_record, classification=cls, by=sup)
    assert "about_employee" in err.value.message_dict
    assert Complaint.objects.get(pk=complaint_record.pk).status == ComplaintStatus.REGISTERED


def test_the_classify_page_clears_the_about_employee(world):
    from django.urls import reverse

    sup = world.user("supervisor")
    wrongly_named = staff("technician", world.a, company=world.company)
    complaint_record = complaint(world, world.a)
    Complaint.objects.filter(pk=complaint_record.pk).update(about_employee=wrongly_named)
    data = {
        "validity": "valid",
        "severity": "minor",
        "category": "service",
        "department": "customer_service",
        "handler": sup.pk,
        "clear_about_employee": "on",
    }
    response = world.client("supervisor").post(
        reverse("tickets:complaint-classify", args=[complaint_record.pk]), data
    )
    assert response.status_code == 302, response.content
    assert Complaint.objects.get(pk=complaint_record.pk).about_employee is None

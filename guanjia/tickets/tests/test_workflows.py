"""The complaint and repair workflows through their services: moves, rules, events."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from guanjia.accounts.tests.factories import staff
from guanjia.tickets import services
from guanjia.tickets.models import (
    Complaint,
    ComplaintEvent,
    RepairEvent,
    RepairOrder,
    RequestStatus,
    ServiceRequest,
)

from .factories import complaint, entry, repair

BEIJING = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture
def sup(world):
    return world.user("supervisor")


@pytest.fixture
def tech(world):
    return world.user("technician")


# --- Register ---------------------------------------------------------------------------------


def test_a_consultation_answered_on_the_spot_closes_at_first_contact(world):
    contact = services.Contact(
        channel="visit", kind="consultation", content="物业费怎么交？", requester_name="李四"
    )
    register_entry = services.take_contact(
        community=world.a, contact=contact, by=world.user("receptionist"), answer="前台或线上缴纳"
    )
    register_entry.refresh_from_db()
    assert register_entry.status == RequestStatus.CLOSED
    assert register_entry.closed_at_first_contact is True
    assert register_entry.number.startswith("DJ-")


def test_a_complaint_contact_opens_a_complaint_with_its_first_reply_deadline(world):
    contact = services.Contact(
        channel="phone", kind="complaint", content="噪音扰民", is_anonymous=True
    )
    with time_machine.travel(dt.datetime(2026, 3, 6, 16, 0, tzinfo=BEIJING), tick=False):
        register_entry = services.take_contact(
            community=world.a, contact=contact, by=world.user("receptionist")
        )
    complaint_record = Complaint.objects.get(request=register_entry)
    assert complaint_record.number.startswith("TS-2026-")
    # 24 calendar hours: a service limit is not suspended by the weekend.
    assert complaint_record.first_reply_due == dt.datetime(2026, 3, 7, 16, 0, tzinfo=BEIJING)
    assert register_entry.requester_name == ""


def test_a_repeat_report_links_to_its_master_and_still_waits_for_its_own_answer(world):
    master = complaint(world, world.a).request
    contact = services.Contact(
        channel="phone", kind="complaint", content="同一噪音", master=master, requester_name="王五"
    )
    register_entry = services.take_contact(
        community=world.a, contact=contact, by=world.user("receptionist")
    )
    assert register_entry.master == master
    assert not Complaint.objects.filter(request=register_entry).exists()
    services.answer_request(
        entry=register_entry, answer="已在处理，编号见前", by=world.user("receptionist")
    )
    register_entry.refresh_from_db()
    assert register_entry.status == RequestStatus.CLOSED


def test_a_register_entry_without_content_is_refused_and_nothing_is_saved(world):
    contact = services.Contact(channel="phone", kind="suggestion", content="  ")
    with pytest.raises(ValidationError) as err:
        services.register_contact(community=world.a, contact=contact, by=world.user("receptionist"))
    assert "content" in err.value.message_dict
    assert ServiceRequest.objects.count() == 0


# --- Complaints -------------------------------------------------------------------------------


def test_a_move_not_allowed_from_the_current_state_is_refused(world, sup):
    complaint_record = complaint(world, world.a)
    with pytest.raises(ValidationError) as err:
        services.resolve_complaint(complaint=complaint_record, result="x", by=sup)
    assert err.value.code == "move_not_allowed"
    complaint_record.refresh_from_db()
    assert complaint_record.status == "registered"
    assert complaint_record.result == ""


def test_closing_a_valid_complaint_before_its_visit_is_refused(world, sup):
    complaint_record = complaint(world, world.a, "replied")
    with pytest.raises(ValidationError) as err:
        services.close_complaint(complaint=complaint_record, by=world.user("director"))
    assert err.value.code == "condition"
    complaint_record.refresh_from_db()
    assert complaint_record.status == "replied"


def test_closing_without_a_reply_is_refused(world, sup):
    complaint_record = complaint(world, world.a, "resolved")
    with pytest.raises(ValidationError) as err:
        services.close_complaint(complaint=complaint_record, by=sup)
    assert err.value.code == "no_reply"
    complaint_record.refresh_from_db()
    assert complaint_record.status == "resolved"


def test_closing_without_a_result_is_refused(world, sup):
    complaint_record = complaint(world, world.a, "handling")
    with pytest.raises(ValidationError):
        services.close_complaint(complaint=complaint_record, by=sup)
    assert Complaint.objects.get(pk=complaint_record.pk).status == "handling"


def test_a_visited_complaint_is_signed_off_and_closes_its_register_entry(world, sup):
    complaint_record = services.close_complaint(
        complaint=complaint(world, world.a, "visited"), by=sup
    )
    assert complaint_record.status == "closed"
    assert (
        complaint_record.request.__class__.objects.get(pk=complaint_record.request_id).status
        == RequestStatus.CLOSED
    )
    actions = list(
        ComplaintEvent.objects.filter(complaint=complaint_record).values_list("action", flat=True)
    )
    assert actions == ["registered", "classified", "resolved", "replied", "visited", "closed"]


def test_the_handler_cannot_sign_off_their_own_complaint(world):
    complaint_record = complaint(world, world.a, "visited")
    with pytest.raises(PermissionDenied):
        services.close_complaint(complaint=complaint_record, by=world.user("area_manager"))
    assert Complaint.objects.get(pk=complaint_record.pk).status == "visited"


def test_a_major_complaint_is_signed_off_by_the_director_not_the_supervisor(world, sup):
    complaint_record = complaint(world, world.a, "visited")
    Complaint.objects.filter(pk=complaint_record.pk).update(severity="major")
    complaint_record.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.close_complaint(complaint=complaint_record, by=sup)
    assert Complaint.objects.get(pk=complaint_record.pk).status == "visited"
    assert (
        services.close_complaint(complaint=complaint_record, by=world.user("director")).status
        == "closed"
    )


def test_an_anonymous_complaint_closes_without_a_reply(world, sup):
    complaint_record = complaint(world, world.a, "resolved", is_anonymous=True)
    assert (
        services.close_complaint(complaint=complaint_record, by=world.user("director")).status
        == "closed"
    )


def test_an_invalid_complaint_needs_a_reason_and_gets_a_working_day_deadline(world, sup):
    complaint_record = complaint(world, world.a)
    with pytest.raises(ValidationError):
        services.classify_complaint(
            complaint=complaint_record,
            classification=services.Classification(validity="invalid"),
            by=sup,
        )
    complaint_record = complaint(world, world.a, "invalid")
    assert complaint_record.status == "invalid"
    assert complaint_record.resolve_due is not None


def test_a_promise_date_in_the_past_is_refused(world, sup):
    complaint_record = complaint(world, world.a, "handling")
    with pytest.raises(ValidationError) as err:
        services.promise_complaint(
            complaint=complaint_record,
            promise_date=timezone.localdate() - dt.timedelta(days=1),
            note="",
            by=sup,
        )
    assert "promise_date" in err.value.message_dict
    assert Complaint.objects.get(pk=complaint_record.pk).promise_date is None


def test_a_changed_promise_is_kept_in_the_events_and_counts_as_first_reply(world, sup):
    complaint_record = complaint(world, world.a, "handling")
    today = timezone.localdate()
    services.promise_complaint(
        complaint=complaint_record, promise_date=today + dt.timedelta(days=2), note="", by=sup
    )
    complaint_record = services.promise_complaint(
        complaint=complaint_record, promise_date=today + dt.timedelta(days=5), note="", by=sup
    )
    events = list(
        complaint_record.events.filter(action__startswith="promise").values_list(
            "action", flat=True
        )
    )
    assert events == ["promised", "promise_changed"]
    assert complaint_record.first_reply_met is True


def test_a_complaint_about_an_employee_is_never_handled_by_that_employee(world):
    sup = world.user("supervisor")
    complaint_record = complaint(world, world.a)
    Complaint.objects.filter(pk=complaint_record.pk).update(about_employee=sup)
    with pytest.raises(PermissionDenied):
        services.classify_complaint(
            complaint=complaint_record,
            classification=services.Classification(validity="valid"),
            by=sup,
        )
    other = staff("director", world.a, company=world.company)
    with pytest.raises(PermissionDenied):
        services.classify_complaint(
            complaint=complaint_record,
            classification=services.Classification(validity="valid", handler=sup),
            by=other,
        )
    assert Complaint.objects.get(pk=complaint_record.pk).status == "registered"


def test_a_corrective_action_has_an_owner_and_a_due_date(world, sup):
    complaint_record = complaint(world, world.a, "handling")
    due = timezone.localdate() + dt.timedelta(days=7)
    action = services.add_complaint_action(
        complaint=complaint_record,
        kind="corrective",
        description="培训",
        owner=sup,
        due_on=due,
        by=sup,
    )
    assert (action.owner, action.due_on) == (sup, due)


# --- Repairs ----------------------------------------------------------------------------------


def test_an_emergency_repair_must_be_reached_within_the_policy_minutes(world):
    with time_machine.travel(dt.datetime(2026, 3, 7, 22, 0, tzinfo=BEIJING), tick=False):
        order = repair(world, world.a, urgency="emergency")
    assert order.arrive_due == dt.datetime(2026, 3, 7, 22, 15, tzinfo=BEIJING)
    assert order.complete_due == dt.datetime(2026, 3, 9, 22, 0, tzinfo=BEIJING)
    assert order.number.startswith("WX-2026-")


def test_a_technician_of_another_community_is_refused(world):
    order = repair(world, world.a)
    outsider = staff("technician", world.b, company=world.company)
    with pytest.raises(ValidationError) as err:
        services.dispatch_repair(
            order=order, technician=outsider, by=world.user("engineering_lead")
        )
    assert err.value.error_dict["technician"][0].code == "other_community"
    assert RepairOrder.objects.get(pk=order.pk).technician is None


def test_dispatching_tells_the_technician_once(world, tech, django_capture_on_commit_callbacks):
    from guanjia.core.notifications.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        repair(world, world.a, "dispatched")
    assert Notification.objects.filter(recipient=tech, event="repair.dispatched").count() == 1


def test_a_negative_quote_is_refused(world, tech):
    order = repair(world, world.a, "on_site")
    with pytest.raises(ValidationError) as err:
        services.quote_repair(order=order, amount=Decimal("-1.00"), by=tech)
    assert err.value.error_dict["amount"][0].code == "negative"
    order.refresh_from_db()
    assert (order.status, order.quote_amount) == ("on_site", None)


def test_an_accepted_quote_becomes_the_charge_on_completion(world, tech):
    order = repair(world, world.a, "on_site")
    services.quote_repair(order=order, amount=Decimal("85.50"), by=tech)
    services.decide_quote(order=order, accepted=True, by=tech)
    done = services.Completion(fault="阀门坏", work_done="换阀门")
    order = services.complete_repair(order=order, completion=done, by=tech)
    assert order.charge_amount == Decimal("85.50")


def test_a_parts_promise_date_in_the_past_is_refused(world, tech):
    order = repair(world, world.a, "on_site")
    with pytest.raises(ValidationError):
        services.wait_for_parts(
            order=order, promised_on=timezone.localdate() - dt.timedelta(days=1), by=tech
        )
    assert RepairOrder.objects.get(pk=order.pk).status == "on_site"


def test_waiting_for_parts_pauses_the_completion_clock(world, tech):
    start = dt.datetime(2026, 12, 7, 9, 0, tzinfo=BEIJING)
    with time_machine.travel(start, tick=False):
        order = repair(world, world.a, "on_site")
    assert order.complete_due == start + dt.timedelta(days=2)
    with time_machine.travel(start + dt.timedelta(hours=1), tick=False):
        order = services.wait_for_parts(order=order, promised_on=dt.date(2026, 12, 9), by=tech)
        assert order.complete_due is None
    with time_machine.travel(start + dt.timedelta(hours=25), tick=False):
        order = services.resume_repair(order=order, by=tech)
    # 24 hours paused: the deadline moves 24 hours later.
    assert order.complete_due == start + dt.timedelta(days=3)


def test_a_missing_signature_is_refused_for_a_repair_in_the_home(world, tech):
    order = repair(world, world.a, "completed")
    with pytest.raises(ValidationError) as err:
        services.verify_repair(order=order, satisfied=True, signature="", by=tech)
    assert err.value.error_dict["signature"][0].code == "no_signature"
    assert RepairOrder.objects.get(pk=order.pk).status == "completed"


def test_the_resident_signs_and_the_signature_is_stored_as_png(world):
    order = repair(world, world.a, "verified")
    assert order.status == "verified"
    assert order.signature.name.endswith(".png")
    with order.signature.open("rb") as fh:
        assert fh.read(8) == b"\x89PNG\r\n\x1a\n"
    assert ServiceRequest.objects.get(pk=order.request_id).status == RequestStatus.CLOSED


def test_a_fault_returning_within_the_window_opens_a_rework_order(world):
    order = repair(world, world.a, "verified")
    rework = services.open_rework(order=order, note="又漏了", by=world.user("receptionist"))
    assert rework.rework_of == order
    assert RepairEvent.objects.filter(order=order, action="rework").exists()


def test_a_fault_returning_after_the_window_is_refused_as_rework(world):
    order = repair(world, world.a, "verified")
    later = timezone.now() + dt.timedelta(days=31)
    with time_machine.travel(later, tick=False), pytest.raises(ValidationError) as err:
        services.open_rework(order=order, note="又漏了", by=world.user("receptionist"))
    assert err.value.code == "window"
    assert RepairOrder.objects.count() == 1


def test_only_the_assigned_technician_works_the_job(world):
    order = repair(world, world.a, "dispatched")
    other = staff("technician", world.a, company=world.company)
    with pytest.raises(ValidationError):
        services.accept_repair(order=order, by=other)
    assert RepairOrder.objects.get(pk=order.pk).status == "dispatched"


def test_an_arrival_after_the_limit_is_recorded_as_missed(world, tech):
    start = dt.datetime(2026, 12, 7, 9, 0, tzinfo=BEIJING)
    with time_machine.travel(start, tick=False):
        order = repair(world, world.a, "accepted")
    with time_machine.travel(start + dt.timedelta(minutes=31), tick=False):
        order = services.arrive_repair(order=order, by=tech)
    assert order.arrive_met is False


def test_an_entry_of_another_type_cannot_become_a_complaint(world):
    register_entry = entry(world, world.a, "praise")
    with pytest.raises(ValidationError):
        services.open_complaint(entry=register_entry, by=world.user("supervisor"))

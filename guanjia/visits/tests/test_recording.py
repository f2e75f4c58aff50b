"""Recording a visit: answers, attempts, the person judged, the signature, the review; and
the closed loop through the tickets app's services."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from guanjia.accounts.tests.factories import grant
from guanjia.core.access import forget_access
from guanjia.core.notifications.models import Notification
from guanjia.tickets import services as s
from guanjia.tickets.models import Complaint, ComplaintStatus, RepairOrder
from guanjia.visits import services
from guanjia.visits.models import Visit, VisitAttempt, VisitEvent, VisitStatus

from .factories import PNG, answers, complaint_visit, repair_visit, set_policy


def _unchanged(visit):
    fresh = Visit.objects.get(pk=visit.pk)
    assert fresh.status == VisitStatus.DUE
    assert fresh.satisfaction == ""
    assert not VisitEvent.objects.filter(visit=visit).exclude(action="generated").exists()


def test_a_satisfied_visit_is_done_and_the_complaint_waits_for_its_sign_off(world):
    visit = complaint_visit(world, world.a)
    manager = world.user("area_manager")
    visit = services.record_visit(visit=visit, answers=answers(), by=manager)
    assert visit.status == VisitStatus.DONE
    assert visit.visitor == manager
    assert visit.visited_on == timezone.localdate()
    c = Complaint.objects.get(pk=visit.complaint_id)
    assert c.status == ComplaintStatus.VISITED
    event = VisitEvent.objects.get(visit=visit, action="recorded")
    assert (event.from_status, event.to_status, event.actor) == ("due", "done", manager)


def test_the_handler_cannot_close_their_own_visited_complaint_the_director_can(world):
    visit = complaint_visit(world, world.a)
    services.record_visit(visit=visit, answers=answers(), by=world.user("area_manager"))
    c = Complaint.objects.get(pk=visit.complaint_id)
    with pytest.raises(PermissionDenied):
        s.close_complaint(complaint=c, by=world.user("supervisor"))  # the handler
    assert Complaint.objects.get(pk=c.pk).status == ComplaintStatus.VISITED
    c = s.close_complaint(complaint=c, by=world.user("director"))
    assert c.status == ComplaintStatus.CLOSED


def test_a_valid_complaint_does_not_close_before_its_visit(world):
    visit = complaint_visit(world, world.a)
    c = Complaint.objects.get(pk=visit.complaint_id)
    with pytest.raises(ValidationError) as err:
        s.close_complaint(complaint=c, by=world.user("director"))
    assert err.value.code == "condition"
    assert Complaint.objects.get(pk=c.pk).status == ComplaintStatus.REPLIED


def test_a_dissatisfied_visit_reopens_the_complaint_and_tells_the_supervisor(world):
    visit = complaint_visit(world, world.a)
    world.user("supervisor")
    visit = services.record_visit(
        visit=visit, answers=answers("dissatisfied"), by=world.user("area_manager")
    )
    assert visit.status == VisitStatus.ESCALATED
    c = Complaint.objects.get(pk=visit.complaint_id)
    assert c.status == ComplaintStatus.HANDLING
    assert c.events.filter(action="reopened", note__contains="水管还在漏").exists()
    assert Notification.objects.filter(
        recipient=world.user("supervisor"), event="visit.dissatisfied"
    ).exists()


def test_a_second_dissatisfied_visit_goes_to_the_director(world):
    visit = complaint_visit(world, world.a)
    manager = world.user("area_manager")
    director = world.user("director")
    services.record_visit(visit=visit, answers=answers("dissatisfied"), by=manager)
    sup = world.user("supervisor")
    c = s.resolve_complaint(
        complaint=Complaint.objects.get(pk=visit.complaint_id), result="再修", by=sup
    )
    services.generate_for_community(world.a)
    second = Visit.objects.get(complaint=c, round=2)
    services.record_visit(visit=second, answers=answers("dissatisfied"), by=manager)
    assert Notification.objects.filter(
        recipient=director, event="visit.dissatisfied_again"
    ).exists()


def test_a_dissatisfied_repair_visit_opens_the_repeat_repair(world):
    visit = repair_visit(world, world.a)
    visit = services.record_visit(
        visit=visit, answers=answers("dissatisfied"), by=world.user("receptionist")
    )
    rework = RepairOrder.objects.get(rework_of=visit.repair_id)
    assert visit.rework == rework
    assert rework.status == "registered"


def test_a_dissatisfied_repair_visit_past_the_rework_window_opens_a_complaint(world):
    visit = repair_visit(world, world.a)
    with time_machine.travel(timezone.now() + dt.timedelta(days=40)):
        visit = services.record_visit(
            visit=visit, answers=answers("dissatisfied"), by=world.user("receptionist")
        )
    assert visit.new_complaint is not None
    assert visit.new_complaint.status == ComplaintStatus.REGISTERED
    assert not RepairOrder.objects.filter(rework_of=visit.repair_id).exists()


def test_the_person_whose_work_is_judged_may_not_make_the_visit(world):
    visit = repair_visit(world, world.a)  # the technician's work
    tech = world.user("technician")
    grant(tech, "engineering_lead", world.a)  # may record visits, but not this one
    forget_access(tech)
    with pytest.raises(PermissionDenied) as err:
        services.record_visit(visit=visit, answers=answers(), by=tech)
    assert "judged" in str(err.value)
    _unchanged(visit)


def test_a_complaint_visit_by_its_handler_is_refused(world):
    visit = complaint_visit(world, world.a)
    with pytest.raises(PermissionDenied):
        services.record_visit(visit=visit, answers=answers(), by=world.user("supervisor"))
    _unchanged(visit)


@pytest.mark.parametrize("field", ["satisfaction", "quality", "timeliness", "attitude", "conduct"])
def test_an_answer_outside_the_scale_is_refused(world, field):
    visit = complaint_visit(world, world.a)
    with pytest.raises(ValidationError) as err:
        services.record_visit(
            visit=visit, answers=answers(**{field: "very"}), by=world.user("area_manager")
        )
    assert field in err.value.message_dict
    _unchanged(visit)


def test_a_dissatisfied_answer_needs_a_comment(world):
    visit = complaint_visit(world, world.a)
    with pytest.raises(ValidationError) as err:
        services.record_visit(
            visit=visit,
            answers=answers("dissatisfied", comments=" "),
            by=world.user("area_manager"),
        )
    assert "comments" in err.value.message_dict
    _unchanged(visit)


def test_an_in_person_visit_needs_the_residents_signature(world):
    visit = complaint_visit(world, world.a)
    manager = world.user("area_manager")
    with pytest.raises(ValidationError) as err:
        services.record_visit(visit=visit, answers=answers(method="in_person"), by=manager)
    assert "signature" in err.value.message_dict
    _unchanged(visit)
    bad = answers(method="in_person", signature="data:image/png;base64,R0lGODlh")
    with pytest.raises(ValidationError):
        services.record_visit(visit=visit, answers=bad, by=manager)
    _unchanged(visit)
    visit = services.record_visit(
        visit=visit, answers=answers(method="in_person", signature=PNG), by=manager
    )
    assert visit.signature.name.startswith("visits/signatures/")


def test_a_major_complaint_is_visited_by_the_director_in_person(world):
    visit = complaint_visit(world, world.a)
    Visit.objects.filter(pk=visit.pk).update(by_director=True)
    visit.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.record_visit(visit=visit, answers=answers(), by=world.user("area_manager"))
    with pytest.raises(ValidationError) as err:
        services.record_visit(visit=visit, answers=answers(), by=world.user("director"))
    assert "method" in err.value.message_dict
    _unchanged(visit)


def test_a_role_without_the_permission_cannot_record(world):
    visit = complaint_visit(world, world.a)
    with pytest.raises(PermissionDenied):
        services.record_visit(visit=visit, answers=answers(), by=world.user("cashier"))
    _unchanged(visit)


def test_attempts_on_different_days_then_unreachable(world):
    set_policy(world, world.a, "visit.max_attempts", 2)
    visit = complaint_visit(world, world.a)
    manager = world.user("area_manager")
    visit = services.record_attempt(visit=visit, outcome="no_answer", by=manager)
    assert visit.status == VisitStatus.ATTEMPTED
    with pytest.raises(ValidationError) as err:
        services.record_attempt(visit=visit, outcome="no_answer", by=manager)
    assert err.value.code == "same_day"
    assert VisitAttempt.objects.filter(visit=visit).count() == 1
    with time_machine.travel(timezone.now() + dt.timedelta(days=1)):
        visit = services.record_attempt(visit=visit, outcome="busy", by=manager)
    assert visit.status == VisitStatus.UNREACHABLE
    assert Complaint.objects.get(pk=visit.complaint_id).status == ComplaintStatus.REPLIED


def test_an_unknown_attempt_outcome_is_refused(world):
    visit = complaint_visit(world, world.a)
    with pytest.raises(ValidationError):
        services.record_attempt(visit=visit, outcome="lost", by=world.user("area_manager"))
    _unchanged(visit)


def test_a_declined_visit_is_recorded_with_what_the_resident_said(world):
    visit = complaint_visit(world, world.a)
    manager = world.user("area_manager")
    with pytest.raises(ValidationError):
        services.record_declined(visit=visit, note="", by=manager)
    visit = services.record_declined(visit=visit, note="业主不愿接受回访", by=manager)
    assert visit.status == VisitStatus.DECLINED


def test_the_supervisor_reviews_a_recorded_visit_once(world):
    visit = complaint_visit(world, world.a)
    visit = services.record_visit(visit=visit, answers=answers(), by=world.user("area_manager"))
    director = world.user("director")
    visit = services.review_visit(visit=visit, note="已阅", by=director)
    assert (visit.status, visit.reviewed_by, visit.review_note) == ("reviewed", director, "已阅")
    with pytest.raises(ValidationError) as err:
        services.review_visit(visit=visit, note="再阅", by=director)
    assert err.value.code == "move_not_allowed"


def test_an_open_visit_cannot_be_reviewed(world):
    visit = complaint_visit(world, world.a)
    with pytest.raises(ValidationError):
        services.review_visit(visit=visit, note="", by=world.user("director"))
    _unchanged(visit)


def test_a_dissatisfied_visit_of_a_closed_complaint_opens_a_new_complaint(world):
    visit = complaint_visit(world, world.a)
    c = Complaint.objects.get(pk=visit.complaint_id)
    c = s.mark_complaint_visited(complaint=c, by=world.user("receptionist"))
    s.close_complaint(complaint=c, by=world.user("director"))
    visit = services.record_visit(
        visit=visit, answers=answers("dissatisfied"), by=world.user("area_manager")
    )
    assert visit.new_complaint is not None
    assert visit.new_complaint.request.content.startswith(c.number)
    assert Complaint.objects.get(pk=c.pk).status == ComplaintStatus.CLOSED

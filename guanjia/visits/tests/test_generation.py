"""Visits owed by rule (spec §14): complaints, a reproducible share of repairs, every rework,
help requests; a second run adds nothing."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from guanjia.tickets import services as s
from guanjia.tickets.tests.factories import actor, complaint, entry, repair
from guanjia.visits import services
from guanjia.visits.models import Visit, VisitEvent, VisitKind, VisitStatus
from guanjia.visits.services.generation import generate_nightly, in_sample

from .factories import every_repair, set_policy


def test_a_resolved_complaint_owes_one_visit_due_within_the_policy_days(world):
    c = complaint(world, world.a, "resolved")
    counts = services.generate_for_community(world.a)
    visit = Visit.objects.get(complaint=c)
    assert counts["complaint"] == 1
    assert visit.kind == VisitKind.COMPLAINT
    assert visit.status == VisitStatus.DUE
    assert visit.due_on == timezone.localdate(c.resolved_at) + dt.timedelta(days=3)
    assert visit.judged_id == c.handler_id
    assert visit.round == 1
    event = VisitEvent.objects.get(visit=visit)
    assert (event.action, event.to_status) == ("generated", "due")


def test_the_complaint_visit_days_come_from_the_policy(world):
    set_policy(world, world.a, "complaint.visit_days", 2)
    c = complaint(world, world.a, "replied")
    services.generate_for_community(world.a)
    visit = Visit.objects.get(complaint=c)
    assert visit.due_on == timezone.localdate(c.resolved_at) + dt.timedelta(days=2)


def test_a_second_run_adds_nothing(world):
    complaint(world, world.a, "replied")
    every_repair(world, world.a)
    repair(world, world.a, "verified")
    first = services.generate_for_community(world.a)
    second = services.generate_for_community(world.a)
    assert sum(first.values()) == 2
    assert sum(second.values()) == 0
    assert Visit.objects.count() == 2


def test_open_invalid_and_anonymous_complaints_owe_no_visit(world):
    complaint(world, world.a, "handling")
    complaint(world, world.a, "invalid")
    complaint(world, world.a, "resolved", is_anonymous=True)
    assert sum(services.generate_for_community(world.a).values()) == 0


def test_a_major_complaint_is_visited_by_the_director(world):
    c = complaint(world, world.a, "resolved")
    Complaint = type(c)
    Complaint.objects.filter(pk=c.pk).update(severity="major")
    services.generate_for_community(world.a)
    assert Visit.objects.get(complaint=c).by_director is True


def test_the_repair_sample_is_reproducible_and_near_its_share():
    from decimal import Decimal

    picked = [pk for pk in range(1, 10001) if in_sample("repair", pk, Decimal("0.3"))]
    again = [pk for pk in range(1, 10001) if in_sample("repair", pk, Decimal("0.3"))]
    assert picked == again
    assert 2800 < len(picked) < 3200
    assert all(in_sample("repair", pk, Decimal("1")) for pk in range(1, 100))
    assert not any(in_sample("repair", pk, Decimal("0")) for pk in range(1, 100))


def test_a_repair_outside_the_sample_owes_no_visit_but_its_rework_does(world):
    set_policy(world, world.a, "visit.repair_rate", "0")
    order = repair(world, world.a, "verified")
    rework = s.open_rework(order=order, note="又漏了", by=actor(world, world.a, "receptionist"))
    services.generate_for_community(world.a)
    assert not Visit.objects.filter(repair=order).exists()
    tech = actor(world, world.a, "technician")
    lead = actor(world, world.a, "engineering_lead")
    rework = s.dispatch_repair(order=rework, technician=tech, by=lead)
    rework = s.accept_repair(order=rework, by=tech)
    rework = s.arrive_repair(order=rework, by=tech)
    done = s.Completion(fault="接头", work_done="再换", materials="")
    rework = s.complete_repair(order=rework, completion=done, by=tech)
    from guanjia.tickets.tests.factories import PNG

    rework = s.verify_repair(order=rework, satisfied=True, signature=PNG, by=tech)
    services.generate_for_community(world.a)
    visit = Visit.objects.get(repair=rework)
    assert visit.kind == VisitKind.REWORK
    assert visit.due_on == timezone.localdate(rework.verified_at) + dt.timedelta(days=3)


def test_a_closed_help_request_owes_a_visit_when_sampled(world):
    set_policy(world, world.a, "visit.help_rate", "1")
    e = entry(world, world.a, "help", content="老人摔倒求助")
    e = s.answer_request(entry=e, answer="已送医", by=actor(world, world.a, "receptionist"))
    services.generate_for_community(world.a)
    visit = Visit.objects.get(request=e)
    assert visit.kind == VisitKind.HELP
    assert visit.due_on == timezone.localdate(e.answered_at) + dt.timedelta(days=5)


def test_tickets_done_before_the_lookback_owe_nothing(world):
    with time_machine.travel(timezone.now() - dt.timedelta(days=40)):
        complaint(world, world.a, "resolved")
    assert sum(services.generate_for_community(world.a).values()) == 0


def test_a_community_generates_only_its_own_visits(world):
    complaint(world, world.b, "resolved")
    services.generate_for_community(world.a)
    assert not Visit.objects.exists()


def test_generate_now_needs_the_permission(world):
    complaint(world, world.a, "resolved")
    with pytest.raises(PermissionDenied):
        services.generate_visits(community=world.a, by=world.user("receptionist"))
    assert not Visit.objects.exists()
    counts = services.generate_visits(community=world.a, by=world.user("supervisor"))
    assert counts["complaint"] == 1


def test_the_nightly_job_runs_once_a_day_for_every_community(world):
    complaint(world, world.a, "resolved")
    complaint(world, world.b, "resolved")
    assert generate_nightly() == {"complaint": 2, "repair": 0, "rework": 0, "help": 0, "routine": 0}
    complaint(world, world.a, "resolved")
    assert generate_nightly() is None  # already ran today
    assert Visit.objects.count() == 2

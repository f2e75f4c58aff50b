"""The visits' workbench tasks and figures, and who is told (through the services, after
commit); the counts on the cards equal the filtered lists."""

import datetime as dt

import time_machine
from django.utils import timezone

from guanjia.core.notifications.models import Notification
from guanjia.core.workbench.selectors import workbench
from guanjia.tickets.models import Complaint
from guanjia.tickets.tests.factories import complaint
from guanjia.visits import services
from guanjia.visits.models import Visit, VisitKind

from .factories import answers, complaint_visit, households


def _counts(user, community):
    return {c.kind.code: c.total for c in workbench(user, community).counts}


def _list_count(world, role, query):
    page = world.client(role).get("/visits/?" + query)
    assert page.status_code == 200
    return page.context["paginator"].count


def test_a_planned_visit_waits_for_its_assignee_and_the_pool_for_the_others(
    world, django_capture_on_commit_callbacks
):
    units = households(world.a, 2)
    manager = world.user("area_manager")
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_visit(
            community=world.a,
            planned=services.Planned(
                VisitKind.SPECIAL, units[0], timezone.localdate(), "家政合同中期", manager
            ),
            by=world.user("supervisor"),
        )
    assert [n.recipient for n in Notification.objects.filter(event="visit.planned")] == [manager]
    assert _counts(manager, world.a)["visit.mine"] == 1
    assert _counts(world.user("receptionist"), world.a)["visit.mine"] == 0
    assert _list_count(world, "area_manager", "queue=mine") == 1
    complaint_visit(world, world.a)  # handled by the supervisor, given to nobody
    assert _counts(world.user("receptionist"), world.a)["visit.pool"] == 1
    assert _counts(world.user("supervisor"), world.a).get("visit.pool", 0) == 0  # own work
    assert _list_count(world, "receptionist", "queue=pool") == 1
    assert "visit.mine" not in _counts(world.user("technician"), world.a)
    assert _counts(manager, world.b) == {}  # no role in B


def test_a_major_complaint_s_visit_is_the_director_s(world):
    c = complaint(world, world.a, "replied")
    Complaint.objects.filter(pk=c.pk).update(severity="major")
    services.generate_for_community(world.a)
    assert Visit.objects.get(complaint=c).by_director
    assert _counts(world.user("director"), world.a)["visit.mine"] == 1
    assert _counts(world.user("area_manager"), world.a)["visit.mine"] == 0


def test_overdue_and_to_review_for_the_supervisor_and_the_reviewers_are_told(
    world, django_capture_on_commit_callbacks
):
    visit = complaint_visit(world, world.a)
    director = world.user("director")
    with time_machine.travel(timezone.now() + dt.timedelta(days=10)):
        assert _counts(director, world.a)["visit.overdue"] == 1
        assert _list_count(world, "director", "timing=overdue") == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.record_visit(visit=visit, answers=answers(), by=world.user("area_manager"))
    told = {n.recipient for n in Notification.objects.filter(event="visit.to_review")}
    assert director in told
    assert world.user("supervisor") not in told  # their own work is judged
    assert _counts(director, world.a)["visit.review"] == 1
    assert _counts(world.user("supervisor"), world.a)["visit.review"] == 0
    assert _list_count(world, "director", "queue=to_review") == 1


def test_the_supervisor_s_figures_show_the_quota(world):
    bench = workbench(world.user("supervisor"), world.a)
    (block,) = [b for b in bench.figures if str(b.label) in ("客户回访", "Follow-up visits")]
    quota = block.figures[-1]
    assert quota.value == 0
    assert quota.warn

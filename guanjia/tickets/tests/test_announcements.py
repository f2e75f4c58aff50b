"""Who is told what on the service desk (guanjia/tickets/announcements.py).

The register and letters go through core.workflows today: their rules are tested end to end
through the services. Complaints and repairs still move through tickets' own code, so their
rules are tested by calling the hook with the event their move records."""

from typing import Any

import pytest
from django.db import transaction

from guanjia.accounts.tests.factories import staff
from guanjia.core.notifications.models import Notification
from guanjia.core.notifications.rules import Happening, announce
from guanjia.tickets import services as s
from guanjia.tickets.tests.factories import complaint, entry, repair

pytestmark = pytest.mark.django_db


def _told(event: str) -> list[str]:
    rows = Notification.objects.filter(event=event).order_by("recipient__username")
    return [n.recipient.username for n in rows]


def _team(world: Any) -> None:
    for role in ("supervisor", "director", "area_manager", "engineering_lead", "technician"):
        world.user(role)
    staff("supervisor", world.b, username="supervisor-b", company=world.company)


def test_a_new_complaint_reaches_the_supervisor_and_director_of_its_community(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _team(world)
    with django_capture_on_commit_callbacks(execute=True):
        e = entry(world, world.a, "complaint", content="楼上深夜噪音")
    assert _told("complaint.registered") == ["director-a", "supervisor-a"]
    note = Notification.objects.filter(event="complaint.registered").first()
    assert note is not None
    opened = getattr(e, "complaint", None)
    assert (opened.number if opened else e.number) in note.subject
    assert "楼上深夜噪音" in note.body


def test_a_new_complaint_is_told_in_each_reader_s_language(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _team(world)
    director = world.user("director")
    director.language = "en"
    director.save()
    with django_capture_on_commit_callbacks(execute=True):
        entry(world, world.a, "complaint")
    subjects = {
        n.recipient.username: n.subject
        for n in Notification.objects.filter(event="complaint.registered")
    }
    assert subjects["director-a"].startswith("New complaint")
    assert subjects["supervisor-a"].startswith("新投诉")


def test_a_new_repair_reaches_the_engineering_lead_only(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _team(world)
    with django_capture_on_commit_callbacks(execute=True):
        repair(world, world.a)
    assert _told("repair.registered") == ["engineering_lead-a"]
    assert not Notification.objects.filter(event="complaint.registered").exists()


def test_a_consultation_tells_nobody(world: Any, django_capture_on_commit_callbacks: Any) -> None:
    _team(world)
    with django_capture_on_commit_callbacks(execute=True):
        entry(world, world.a, "consultation")
    assert not Notification.objects.exists()


def test_nothing_is_told_when_the_registration_rolls_back(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _team(world)

    def register_then_fail() -> None:
        with transaction.atomic():
            entry(world, world.a, "complaint")
            raise RuntimeError("the page failed after registering")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        register_then_fail()
    assert not Notification.objects.exists()


def test_a_letter_s_reply_goes_to_its_checker_then_approver_then_back(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _team(world)
    e = entry(world, world.a, "suggestion", channel="letter")
    with django_capture_on_commit_callbacks(execute=True):
        e = s.draft_letter_reply(entry=e, text="您好，已安排。", by=world.user("receptionist"))
    assert _told("letter.to_check") == ["supervisor-a"]
    with django_capture_on_commit_callbacks(execute=True):
        e = s.check_letter_reply(entry=e, by=world.user("supervisor"))
    assert _told("letter.to_approve") == ["director-a"]
    with django_capture_on_commit_callbacks(execute=True):
        s.approve_letter_reply(entry=e, by=world.user("director"))
    assert _told("letter.approved") == ["receptionist-a", "supervisor-a"]


# Complaints and repairs: the hook called with the event of their move (see the docstring).


def test_an_assigned_complaint_reaches_its_handler(world: Any) -> None:
    _team(world)
    c = complaint(world, world.a, "handling")  # the factory's handler is the supervisor
    c.handler = world.user("area_manager")
    c.save()
    happened = Happening(action="classified", to_status="handling", actor=world.user("supervisor"))
    written = announce(c, happened)
    assert [n.recipient.username for n in written] == ["area_manager-a"]
    assert written[0].event == "complaint.assigned"


def test_a_reopened_complaint_reaches_the_handler_and_the_supervisors_but_not_the_actor(
    world: Any,
) -> None:
    _team(world)
    c = complaint(world, world.a, "handling")
    c.handler = world.user("area_manager")
    c.save()
    happened = Happening(action="reopened", to_status="handling", actor=world.user("director"))
    told = [n.recipient.username for n in announce(c, happened)]
    assert told == ["area_manager-a", "supervisor-a"]


def test_a_replied_complaint_goes_to_the_supervisors_to_close(world: Any) -> None:
    _team(world)
    c = complaint(world, world.a, "replied")
    happened = Happening(action="replied", to_status="replied", actor=world.user("area_manager"))
    assert sorted(n.recipient.username for n in announce(c, happened)) == [
        "director-a",
        "supervisor-a",
    ]


def test_a_dispatched_repair_reaches_its_technician(world: Any) -> None:
    _team(world)
    o = repair(world, world.a, "dispatched")
    lead = world.user("engineering_lead")
    written = announce(o, Happening(action="dispatched", to_status="dispatched", actor=lead))
    assert [(n.recipient.username, n.event) for n in written] == [
        ("technician-a", "repair.dispatched")
    ]
    assert o.number in written[0].subject


def test_a_repair_the_resident_refuses_goes_back_to_the_technician_and_the_lead(
    world: Any,
) -> None:
    _team(world)
    o = repair(world, world.a, "completed")
    happened = Happening(
        action="rejected", to_status="on_site", actor=world.user("technician"), note="仍漏水"
    )
    told = [n.recipient.username for n in announce(o, happened)]
    assert told == ["engineering_lead-a"]  # the technician acted (signed with the resident)


@pytest.mark.parametrize("action", ["deadline_warning", "deadline_breached"])
def test_the_sla_sweep_s_events_reach_the_handler_and_the_supervisors(
    world: Any, action: str
) -> None:
    _team(world)
    c = complaint(world, world.a, "handling")
    happened = Happening(
        action=action,
        to_status="handling",
        data={"deadline": "处理时限", "due": "12-08 10:00"},
    )
    written = announce(c, happened)
    assert sorted(n.recipient.username for n in written) == ["director-a", "supervisor-a"]
    assert "处理时限" in written[0].subject

"""Weekly meetings, their action items carried until closed, and case studies."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from guanjia.plans import services
from guanjia.plans.models import ActionItem, Attendance, CaseStudy
from guanjia.tickets.tests.factories import entry

from .factories import actor, case, meeting

pytestmark = pytest.mark.django_db


def test_an_action_item_without_an_owner_is_refused_and_nothing_is_saved(world):
    m = meeting(world, world.a)
    with pytest.raises(ValidationError) as refused:
        services.add_action(
            meeting=m, title="回访", owner=None, due_on=m.held_on, by=world.user("supervisor")
        )
    assert refused.value.message_dict == {"owner": ["An action item needs an owner."]}
    assert ActionItem.objects.count() == 0


def test_an_open_action_item_is_carried_to_the_next_meeting_until_closed(world):
    sup = world.user("supervisor")
    today = timezone.localdate()
    first = meeting(world, world.a, held_on=today - dt.timedelta(days=7))
    item = services.add_action(
        meeting=first,
        title="整理投诉台账",
        owner=world.user("receptionist"),
        due_on=today,
        by=sup,
    )
    second = meeting(world, world.a)
    page = world.client("supervisor").get(reverse("plans:meeting-detail", args=[second.pk]))
    assert "整理投诉台账" in page.content.decode()
    services.close_action(item=item, outcome="已整理", by=world.user("receptionist"))
    page = world.client("supervisor").get(reverse("plans:meeting-detail", args=[second.pk]))
    assert "整理投诉台账" not in page.content.decode()
    with pytest.raises(ValidationError):
        services.close_action(item=item, outcome="再次", by=sup)


def test_only_the_owner_or_the_supervisor_closes_an_action_item(world):
    m = meeting(world, world.a)
    item = services.add_action(
        meeting=m,
        title="回访",
        owner=world.user("supervisor"),
        due_on=m.held_on,
        by=world.user("supervisor"),
    )
    with pytest.raises(PermissionDenied):
        services.close_action(item=item, outcome="完成", by=world.user("cashier"))
    item.refresh_from_db()
    assert item.closed_on is None


def test_an_attendee_signs_in_once_and_only_staff_of_the_community(world):
    m = meeting(world, world.a)
    sup = world.user("supervisor")
    services.sign_in(meeting=m, person=world.user("receptionist"), by=sup)
    with pytest.raises(ValidationError):
        services.sign_in(meeting=m, person=world.user("receptionist"), by=sup)
    with pytest.raises(ValidationError):
        services.sign_in(meeting=m, person=actor(world, world.b, "receptionist"), by=sup)
    assert Attendance.objects.count() == 1


def test_minutes_are_not_kept_of_a_meeting_to_come(world):
    with pytest.raises(ValidationError) as refused:
        meeting(world, world.a, held_on=timezone.localdate() + dt.timedelta(days=1))
    assert "held_on" in refused.value.message_dict


def test_the_minutes_print_as_a_pdf(world):
    m = meeting(world, world.a)
    response = world.client("receptionist").get(
        reverse("plans:meeting-print", args=[m.pk]) + "?format=pdf"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_a_case_links_register_entries_of_its_community_only(world):
    own = entry(world, world.a)
    other = entry(world, world.b)
    with pytest.raises(ValidationError) as refused:
        case(world, world.a, tickets=[own, other])
    assert "tickets" in refused.value.message_dict
    assert CaseStudy.objects.count() == 0
    written = case(world, world.a, tickets=[own])
    assert list(written.tickets.all()) == [own]


def test_the_case_page_refuses_an_unknown_entry_number(world):
    client = world.client("supervisor")
    other = entry(world, world.b)
    response = client.post(
        reverse("plans:case-create"),
        {"title": "个案", "tickets": other.number, "facts": "f", "cause": "c", "lesson": "l"},
    )
    assert response.status_code == 400
    assert other.number in response.content.decode()
    assert CaseStudy.objects.count() == 0

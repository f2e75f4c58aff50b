"""Issue 11: the new-contact form: only the chosen type's fields count, ordinary urgency by
default, no preselected search hit, and the picked unit's residents to confirm the caller."""

import datetime as dt

from django.urls import reverse

from guanjia.estates.models import Relation
from guanjia.estates.tests.factories import (
    OccupancyFactory,
    OwnershipFactory,
    PersonFactory,
    UnitFactory,
)
from guanjia.tickets.forms import ContactForm
from guanjia.tickets.models import RepairOrder, ServiceRequest

CREATE = "tickets:request-create"
LEASE = {
    "consent_ref": "租赁同意书",
    "lease_starts_on": dt.date(2025, 1, 1),
    "lease_ends_on": dt.date(2030, 1, 1),
}


def _post(world, data, role="receptionist"):
    return world.client(role).post(reverse(CREATE), data)


def test_urgency_defaults_to_ordinary(world):
    form = ContactForm(community=world.a)
    assert form["urgency"].value() == "ordinary"
    page = world.client("receptionist").get(reverse(CREATE)).content.decode()
    assert '<option value="ordinary" selected>' in page


def test_the_fields_of_each_type_are_marked_for_the_pages_script(world):
    page = world.client("receptionist").get(reverse(CREATE)).content.decode()
    assert page.count('data-for-kind="repair"') == 7
    assert page.count('data-for-kind="consultation"') == 1
    assert page.count('data-for-channel="letter"') == 1
    assert "js/tickets-contact.js" in page
    assert "<script>" not in page  # no inline script (CSP)


def test_fields_of_another_type_are_ignored_even_when_wrong(world):
    response = _post(
        world,
        {
            "kind": "suggestion",
            "channel": "phone",
            "content": "加装路灯",
            "requester_name": "赵六",
            "urgency": "emergency",
            "appointment_at": "not a date",
            "location": "nowhere",
            "is_paid": "on",
            "subject": "来函主题",
            "answer": "已答复",
        },
    )
    assert response.status_code == 302
    entry = ServiceRequest.objects.get()
    assert (entry.kind, entry.subject, entry.answer, entry.status) == (
        "suggestion",
        "",
        "",
        "open",
    )
    assert not RepairOrder.objects.exists()


def test_a_repair_keeps_its_own_fields_and_still_checks_them(world):
    unit = UnitFactory(community=world.a)
    base = {
        "kind": "repair",
        "channel": "phone",
        "requester": f"unit:{unit.pk}",
        "content": "卫生间漏水",
        "location": "home",
        "category": "plumbing",
    }
    bad = _post(world, {**base, "urgency": "appointment", "appointment_at": "not a date"})
    assert bad.status_code == 400
    assert not ServiceRequest.objects.exists()
    ok = _post(world, {**base, "urgency": "ordinary", "is_paid": "on", "subject": "x"})
    assert ok.status_code == 302
    order = RepairOrder.objects.get()
    assert (order.urgency, order.is_paid, order.request.subject) == ("ordinary", True, "")


def test_search_hits_preselect_nothing(world):
    UnitFactory(community=world.a)
    PersonFactory(community=world.a, name="张伟")
    response = world.client("receptionist").get(reverse("tickets:requester-search"), {"q": "张"})
    assert response.status_code == 200
    assert "checked" not in response.content.decode()


def test_a_picked_unit_lists_its_current_residents_with_masked_phones(world):
    unit = UnitFactory(community=world.a)
    owner = OwnershipFactory(unit=unit, person=PersonFactory(community=world.a, name="李业主"))
    tenant = OccupancyFactory(
        unit=unit,
        relation=Relation.TENANT,
        **LEASE,
        person=PersonFactory(community=world.a, name="王租户", mobile="13912345678"),
    )
    OccupancyFactory(
        unit=unit,
        person=PersonFactory(community=world.a, name="已搬走"),
        ends_on=dt.date(2021, 1, 1),
    )
    response = world.client("receptionist").get(
        reverse("tickets:requester-residents"), {"unit": unit.pk}
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "李业主" in text
    assert "王租户" in text
    assert "139****5678" in text
    assert "13912345678" not in text
    assert "已搬走" not in text
    assert f'value="{owner.person.pk}"' in text
    assert f'value="{tenant.person.pk}"' in text
    assert "checked" not in text


def test_the_residents_of_a_unit_elsewhere_or_unknown_are_404(world):
    client = world.client("receptionist")
    other = UnitFactory(community=world.b)
    url = reverse("tickets:requester-residents")
    assert client.get(url, {"unit": other.pk}).status_code == 404
    assert client.get(url, {"unit": "x"}).status_code == 404
    assert client.get(url).status_code == 404


def test_the_caller_picked_among_the_residents_is_recorded_with_the_unit(world):
    unit = UnitFactory(community=world.a)
    tenant = OccupancyFactory(unit=unit, relation=Relation.TENANT, **LEASE)
    response = _post(
        world,
        {
            "kind": "suggestion",
            "channel": "phone",
            "requester": f"unit:{unit.pk}",
            "caller": tenant.person.pk,
            "content": "加装路灯",
        },
    )
    assert response.status_code == 302
    entry = ServiceRequest.objects.get()
    assert (entry.unit, entry.person) == (unit, tenant.person)


def test_a_caller_who_does_not_live_in_the_unit_is_refused(world):
    unit = UnitFactory(community=world.a)
    stranger = PersonFactory(community=world.a)
    moved_out = OccupancyFactory(unit=unit, ends_on=dt.date(2021, 1, 1))
    for caller in (stranger.pk, moved_out.person.pk, 999999):
        response = _post(
            world,
            {
                "kind": "suggestion",
                "channel": "phone",
                "requester": f"unit:{unit.pk}",
                "caller": caller,
                "content": "加装路灯",
            },
        )
        assert response.status_code == 400
    assert not ServiceRequest.objects.exists()


def test_a_caller_without_a_unit_is_refused(world):
    person = PersonFactory(community=world.a)
    response = _post(
        world,
        {"kind": "suggestion", "channel": "phone", "caller": person.pk, "content": "加装路灯"},
    )
    assert response.status_code == 400
    assert not ServiceRequest.objects.exists()

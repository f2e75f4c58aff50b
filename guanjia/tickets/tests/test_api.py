"""The tickets API: create through the register, moves as POST actions, bad bodies refused."""

import json

from django.urls import reverse

from guanjia.tickets.models import Complaint, RepairOrder, ServiceRequest

from .factories import complaint, repair


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_a_repair_contact_through_the_api_opens_a_work_order(world):
    client = world.client("receptionist")
    response = _post(
        client,
        reverse("tickets-api:request-list"),
        {
            "community": world.a.pk,
            "channel": "portal",
            "kind": "repair",
            "content": "门锁坏了",
            "requester_name": "孙八",
            "location": "home",
            "category": "doors",
            "urgency": "ordinary",
        },
    )
    assert response.status_code == 201, response.content
    assert RepairOrder.objects.get().request_id == response.json()["id"]


def test_a_repair_without_its_details_is_refused_by_the_serializer(world):
    client = world.client("receptionist")
    response = _post(
        client,
        reverse("tickets-api:request-list"),
        {
            "community": world.a.pk,
            "channel": "portal",
            "kind": "repair",
            "content": "门锁坏了",
        },
    )
    assert response.status_code == 400
    assert "location" in response.json()
    assert ServiceRequest.objects.count() == 0


def test_a_move_not_allowed_answers_400_through_the_api(world):
    complaint_record = complaint(world, world.a)
    response = _post(
        world.client("supervisor"),
        reverse("tickets-api:complaint-resolve", args=[complaint_record.pk]),
        {"result": "好"},
    )
    assert response.status_code == 400
    assert Complaint.objects.get(pk=complaint_record.pk).status == "registered"


def test_a_negative_quote_is_refused_through_the_api(world):
    order = repair(world, world.a, "on_site")
    response = _post(
        world.client("technician"),
        reverse("tickets-api:repair-quote", args=[order.pk]),
        {"amount": "-5"},
    )
    assert response.status_code == 400
    assert RepairOrder.objects.get(pk=order.pk).quote_amount is None


def test_the_repair_list_filters_by_status(world):
    repair(world, world.a, "dispatched")
    repair(world, world.a)
    response = world.client("technician").get(
        reverse("tickets-api:repair-list"), {"status": "dispatched"}
    )
    assert [r["status"] for r in response.json()["results"]] == ["dispatched"]


def test_an_id_of_another_community_answers_as_an_id_that_does_not_exist(world):
    """No existence oracle: the answers for another community's unit, person and community
    are word for word those for ids that were never used."""
    from guanjia.estates.models import Person, Unit
    from guanjia.estates.tests.factories import PersonFactory, UnitFactory

    other_unit, other_person = UnitFactory(community=world.b), PersonFactory(community=world.b)
    missing = {
        "unit": (Unit.objects.order_by("-pk").first().pk + 1000),
        "person": (Person.objects.order_by("-pk").first().pk + 1000),
    }
    client = world.client("receptionist")
    body = {"community": world.a.pk, "channel": "phone", "kind": "inquiry", "content": "问询"}
    for field, hidden in (("unit", other_unit.pk), ("person", other_person.pk)):
        seen = _post(client, reverse("tickets-api:request-list"), {**body, field: hidden})
        unseen = _post(client, reverse("tickets-api:request-list"), {**body, field: missing[field]})
        assert seen.status_code == unseen.status_code == 400
        assert seen.json()[field] == [
            message.replace(str(missing[field]), str(hidden)) for message in unseen.json()[field]
        ]
    seen = _post(client, reverse("tickets-api:request-list"), {**body, "community": world.b.pk})
    unseen = _post(client, reverse("tickets-api:request-list"), {**body, "community": 999_999})
    assert seen.json()["community"] == [
        message.replace("999999", str(world.b.pk)) for message in unseen.json()["community"]
    ]
    assert not ServiceRequest.objects.exists()

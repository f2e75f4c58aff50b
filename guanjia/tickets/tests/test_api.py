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
    c = complaint(world, world.a)
    response = _post(
        world.client("supervisor"),
        reverse("tickets-api:complaint-resolve", args=[c.pk]),
        {"result": "好"},
    )
    assert response.status_code == 400
    assert Complaint.objects.get(pk=c.pk).status == "registered"


def test_a_negative_quote_is_refused_through_the_api(world):
    o = repair(world, world.a, "on_site")
    response = _post(
        world.client("technician"),
        reverse("tickets-api:repair-quote", args=[o.pk]),
        {"amount": "-5"},
    )
    assert response.status_code == 400
    assert RepairOrder.objects.get(pk=o.pk).quote_amount is None


def test_the_repair_list_filters_by_status(world):
    repair(world, world.a, "dispatched")
    repair(world, world.a)
    response = world.client("technician").get(
        reverse("tickets-api:repair-list"), {"status": "dispatched"}
    )
    assert [r["status"] for r in response.json()["results"]] == ["dispatched"]

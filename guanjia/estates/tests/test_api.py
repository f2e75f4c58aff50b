"""The estates API: masked personal data, the same rules as the pages, bad bodies refused."""

import pytest
from django.urls import reverse

from guanjia.estates.models import Person, Unit

from .factories import BuildingFactory, PersonFactory, UnitFactory


def _post(client, name, body):
    return client.post(reverse(name), body, content_type="application/json")


def test_persons_are_read_masked_through_the_api(world):
    PersonFactory(community=world.a, mobile="13812345678", emergency_phone="13900001111")
    response = world.client("receptionist").get(reverse("estates-api:person-list"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "138****5678" in body
    assert "13812345678" not in body
    assert "13900001111" not in body


def test_a_person_with_a_bad_id_checksum_is_refused_with_400(world):
    response = _post(
        world.client("receptionist"),
        "estates-api:person-list",
        {
            "community": world.a.pk,
            "name": "解小明",
            "id_type": "resident_id",
            "id_number": "440106199001011230",
        },
    )
    assert response.status_code == 400
    assert "id_number" in response.json()
    assert not Person.objects.exists()


def test_a_body_naming_another_community_is_refused(world):
    response = _post(
        world.client("receptionist"),
        "estates-api:person-list",
        {"community": world.b.pk, "name": "张三"},
    )
    assert response.status_code == 400
    assert not Person.objects.exists()


def test_a_duplicate_room_through_the_api_is_refused_with_its_message(world):
    building = BuildingFactory(community=world.a)
    body = {"building": building.pk, "room_number": "101", "floor": 1, "building_area": "88.80"}
    client = world.client("receptionist")
    assert _post(client, "estates-api:unit-list", body).status_code == 201
    response = _post(client, "estates-api:unit-list", body)
    assert response.status_code == 400
    assert Unit.objects.count() == 1


@pytest.mark.parametrize("area", ["0", "-1", "10000.01", "abc"])
def test_a_bad_area_through_the_api_is_refused(world, area):
    body = {
        "building": BuildingFactory(community=world.a).pk,
        "room_number": "101",
        "floor": 1,
        "building_area": area,
    }
    assert _post(world.client("receptionist"), "estates-api:unit-list", body).status_code == 400
    assert not Unit.objects.exists()


def test_units_are_filtered_by_status_and_room_code(world):
    UnitFactory(community=world.a, status="vacant")
    UnitFactory(community=world.a, status="occupied")
    UnitFactory(community=world.b, status="vacant")
    response = world.client("cashier").get(reverse("estates-api:unit-list"), {"status": "vacant"})
    assert response.json()["count"] == 1
    bad = world.client("cashier").get(reverse("estates-api:unit-list"), {"status": "flying"})
    assert bad.status_code == 400


def test_the_api_search_answers_with_hits(world):
    PersonFactory(community=world.a, name="朴正民")
    response = world.client("receptionist").get(reverse("estates-api:search"), {"q": "pzm"})
    assert [h["title"] for h in response.json()] == ["朴正民"]

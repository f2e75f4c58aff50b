"""Scope fields through the API: a record never moves to another community (the
ScopedSerializerMixin of guanjia/core/api.py); moves within its community still work."""

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from guanjia.accounts.tests.factories import grant, staff
from guanjia.estates.models import Building, Occupancy, Person, Unit, Vehicle, Zone

from .factories import (
    BuildingFactory,
    OccupancyFactory,
    PersonFactory,
    UnitFactory,
    VehicleFactory,
    ZoneFactory,
)


@pytest.fixture
def both(world):
    """A supervisor working in community A and in community B: the caller who could move a
    record across if the API let them."""
    user = staff("supervisor", world.a, company=world.company, username="both")
    grant(user, "supervisor", world.b)
    client = world.client(None)
    client.force_login(user)
    return client


def _patch(client, name, pk, body):
    return client.patch(reverse(name, args=[pk]), body, content_type="application/json")


def _post(client, name, body):
    return client.post(reverse(name), body, content_type="application/json")


def _row(obj):
    return model_to_dict(type(obj).objects.get(pk=obj.pk))


def _unseen_by_b_staff(world, name, pk):
    b_staff = staff("supervisor", world.b, company=world.company, username="b-only")
    client = world.client(None)
    client.force_login(b_staff)
    return client.get(reverse(name, args=[pk])).status_code == 404


def test_a_person_cannot_be_moved_to_another_community(world, both):
    person = PersonFactory(community=world.a, mobile="13812345678")
    before = _row(person)
    response = _patch(both, "estates-api:person-detail", person.pk, {"community": world.b.pk})
    assert response.status_code == 400
    assert response.json()["community"] == ["记录创建后不能再修改此项：记录始终属于它所在的小区。"]
    assert _row(person) == before
    assert _unseen_by_b_staff(world, "estates-api:person-detail", person.pk)


def test_a_person_patched_with_its_own_community_keeps_working(world, both):
    person = PersonFactory(community=world.a)
    body = {"community": world.a.pk, "note": "老住户"}
    response = _patch(both, "estates-api:person-detail", person.pk, body)
    assert response.status_code == 200
    assert Person.objects.get(pk=person.pk).note == "老住户"


def test_a_unit_cannot_move_to_a_building_of_another_community(world, both):
    unit = UnitFactory(community=world.a)
    before = _row(unit)
    other = BuildingFactory(community=world.b)
    response = _patch(both, "estates-api:unit-detail", unit.pk, {"building": other.pk})
    assert response.status_code == 400
    assert response.json()["building"][0].startswith("请从本小区的记录中选择")
    assert _row(unit) == before
    assert _unseen_by_b_staff(world, "estates-api:unit-detail", unit.pk)


def test_a_unit_moves_to_another_building_of_its_community(world, both):
    unit = UnitFactory(community=world.a, room_number="101", floor=1)
    other = BuildingFactory(community=world.a, number="9")
    response = _patch(both, "estates-api:unit-detail", unit.pk, {"building": other.pk})
    assert response.status_code == 200
    moved = Unit.objects.get(pk=unit.pk)
    assert (moved.building_id, moved.community_id, moved.room_code) == (
        other.pk,
        world.a.pk,
        "9-101",
    )


def test_a_vehicle_cannot_move_to_a_household_of_another_community(world, both):
    vehicle = VehicleFactory(unit=UnitFactory(community=world.a))
    before = _row(vehicle)
    elsewhere = UnitFactory(community=world.b)
    for body in (
        {"community": world.b.pk},
        {"unit": elsewhere.pk},
        {"person": PersonFactory(community=world.b).pk},
        {"community": world.b.pk, "unit": elsewhere.pk},
    ):
        response = _patch(both, "estates-api:vehicle-detail", vehicle.pk, body)
        assert response.status_code == 400, body
        assert set(response.json()) == set(body)
    assert _row(vehicle) == before
    assert _unseen_by_b_staff(world, "estates-api:vehicle-detail", vehicle.pk)


def test_a_vehicle_passes_to_another_household_of_its_community(world, both):
    vehicle = VehicleFactory(unit=UnitFactory(community=world.a))
    household = UnitFactory(community=world.a)
    driver = PersonFactory(community=world.a)
    body = {"unit": household.pk, "person": driver.pk}
    response = _patch(both, "estates-api:vehicle-detail", vehicle.pk, body)
    assert response.status_code == 200
    moved = Vehicle.objects.get(pk=vehicle.pk)
    assert (moved.unit_id, moved.person_id, moved.community_id) == (
        household.pk,
        driver.pk,
        world.a.pk,
    )


def test_an_occupancy_cannot_move_to_a_unit_of_another_community(world, both):
    occupancy = OccupancyFactory(unit=UnitFactory(community=world.a))
    before = _row(occupancy)
    body = {
        "unit": UnitFactory(community=world.b).pk,
        "person": PersonFactory(community=world.b).pk,
    }
    response = _patch(both, "estates-api:occupancy-detail", occupancy.pk, body)
    assert response.status_code == 400
    assert set(response.json()) == {"unit", "person"}
    assert _row(occupancy) == before
    assert Occupancy.objects.get(pk=occupancy.pk).community_id == world.a.pk


def test_a_building_and_a_zone_cannot_move_to_another_community(world, both):
    building = BuildingFactory(community=world.a)
    zone = building.zone
    rows = (_row(building), _row(zone))
    other_zone = ZoneFactory(community=world.b)
    for name, pk, body in (
        ("estates-api:building-detail", building.pk, {"community": world.b.pk}),
        ("estates-api:building-detail", building.pk, {"zone": other_zone.pk}),
        ("estates-api:zone-detail", zone.pk, {"community": world.b.pk}),
    ):
        assert _patch(both, name, pk, body).status_code == 400, (name, body)
    assert (_row(building), _row(zone)) == rows
    assert Building.objects.filter(community=world.b).count() == 0
    assert Zone.objects.filter(community=world.b).count() == 1


def test_a_building_moves_to_another_zone_of_its_community(world, both):
    building = BuildingFactory(community=world.a)
    zone = ZoneFactory(community=world.a)
    response = _patch(both, "estates-api:building-detail", building.pk, {"zone": zone.pk})
    assert response.status_code == 200
    assert Building.objects.get(pk=building.pk).zone_id == zone.pk


def test_a_new_vehicle_mixing_two_communities_is_refused(world, both):
    body = {"community": world.a.pk, "plate": "粤A12345", "unit": UnitFactory(community=world.b).pk}
    response = _post(both, "estates-api:vehicle-list", body)
    assert response.status_code == 400
    assert "unit" in response.json()
    assert not Vehicle.objects.exists()


def test_a_new_row_in_a_community_where_the_caller_may_only_read_is_refused(world):
    reader_in_b = staff("receptionist", world.a, company=world.company, username="mixed")
    grant(reader_in_b, "cashier", world.b)  # reads the registry of B, adds nothing there
    client = world.client(None)
    client.force_login(reader_in_b)
    response = _post(client, "estates-api:person-list", {"community": world.b.pk, "name": "李四"})
    assert response.status_code == 403
    assert response.json()["detail"] == "您不能在该小区添加记录。"
    assert not Person.objects.exists()


def test_a_new_row_in_an_unseen_community_reads_as_not_existing(world):
    building = BuildingFactory(community=world.b)
    body = {"building": building.pk, "room_number": "101", "floor": 1, "building_area": "88.80"}
    response = _post(world.client("receptionist"), "estates-api:unit-list", body)
    assert response.status_code == 400
    assert "building" in response.json()
    assert not Unit.objects.exists()

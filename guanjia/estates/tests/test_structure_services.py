"""Zones, buildings, units, bulk layout and the unit lifecycle, with every bad input."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from guanjia.estates import services
from guanjia.estates.models import Building, Unit, UnitEvent, UnitStatus, Zone
from guanjia.estates.services import UnitPlan

from .factories import BuildingFactory, EntranceFactory, UnitFactory, ZoneFactory


@pytest.fixture
def building(world):
    return BuildingFactory(community=world.a, number="3", floors_above=33)


def _unit(building, **kw):
    values = {"room_number": "1201", "floor": 12, "building_area": Decimal("89.50")}
    return Unit(building=building, **{**values, **kw})


def _errors(exc):
    return (
        exc.value.message_dict
        if hasattr(exc.value, "error_dict")
        else {"__all__": exc.value.messages}
    )


def test_a_unit_gets_its_room_code(world, building):
    entrance = EntranceFactory(building=building, number="2")
    unit = services.save_unit(
        unit=_unit(building, entrance=entrance), by=world.user("receptionist")
    )
    assert unit.room_code == "3-2-1201"
    assert unit.community == world.a


@pytest.mark.parametrize(
    ("area", "inner", "field", "code"),
    [
        (Decimal("0"), None, "building_area", "bad_area"),
        (Decimal("-5"), None, "building_area", "bad_area"),
        (Decimal("10000.01"), None, "building_area", "area_too_large"),
        (Decimal("89.50"), Decimal("90.00"), "inner_area", "inner_area_too_large"),
    ],
)
def test_an_area_that_is_not_positive_or_is_absurd_is_refused(
    world, building, area, inner, field, code
):
    with pytest.raises(ValidationError) as exc:
        services.save_unit(
            unit=_unit(building, building_area=area, inner_area=inner),
            by=world.user("receptionist"),
        )
    assert field in exc.value.message_dict
    assert code in [e.code for e in exc.value.error_dict[field]]
    assert not Unit.objects.exists()


def test_a_room_repeated_within_a_building_is_refused(world, building):
    services.save_unit(unit=_unit(building), by=world.user("receptionist"))
    with pytest.raises(ValidationError) as exc:
        services.save_unit(unit=_unit(building), by=world.user("receptionist"))
    assert "This room number already exists in this building." in str(exc.value)
    assert Unit.objects.count() == 1


def test_the_same_room_number_in_another_entrance_is_allowed(world, building):
    e1, e2 = (
        EntranceFactory(building=building, number="1"),
        EntranceFactory(building=building, number="2"),
    )
    services.save_unit(unit=_unit(building, entrance=e1), by=world.user("receptionist"))
    services.save_unit(unit=_unit(building, entrance=e2), by=world.user("receptionist"))
    assert set(Unit.objects.values_list("room_code", flat=True)) == {"3-1-1201", "3-2-1201"}


def test_a_floor_outside_the_building_is_refused(world, building):
    with pytest.raises(ValidationError) as exc:
        services.save_unit(unit=_unit(building, floor=40), by=world.user("receptionist"))
    assert "floor" in exc.value.message_dict


def test_the_status_of_a_saved_unit_changes_only_through_the_status_action(world):
    unit = UnitFactory(community=world.a, status=UnitStatus.OCCUPIED)
    unit.status = UnitStatus.VACANT
    with pytest.raises(ValidationError) as exc:
        services.save_unit(unit=unit, by=world.user("receptionist"))
    assert exc.value.code == "status_by_action"
    assert Unit.objects.get(pk=unit.pk).status == UnitStatus.OCCUPIED


def test_a_status_move_is_recorded_as_an_event(world):
    unit = UnitFactory(community=world.a, status=UnitStatus.NOTIFIED)
    event = services.change_unit_status(
        unit=unit, to=UnitStatus.DEEMED_DELIVERED, by=world.user("receptionist"), note="通知期满"
    )
    unit.refresh_from_db()
    assert unit.status == UnitStatus.DEEMED_DELIVERED
    assert (event.from_status, event.to_status, event.note) == (
        "notified",
        "deemed_delivered",
        "通知期满",
    )
    assert event.actor == world.user("receptionist")


def test_a_move_outside_the_lifecycle_is_refused_and_nothing_changes(world):
    unit = UnitFactory(community=world.a, status=UnitStatus.UNSOLD)
    with pytest.raises(ValidationError) as exc:
        services.change_unit_status(
            unit=unit, to=UnitStatus.OCCUPIED, by=world.user("receptionist")
        )
    assert exc.value.code == "move_not_allowed"
    assert Unit.objects.get(pk=unit.pk).status == UnitStatus.UNSOLD
    assert not UnitEvent.objects.exists()


def test_bulk_layout_creates_every_unit_of_a_tall_building(world, building):
    plan = UnitPlan(
        first_floor=1,
        last_floor=33,
        per_floor=4,
        entrances=["1", "2"],
        areas=[Decimal("89.50"), Decimal("120.30"), Decimal("120.30"), Decimal("89.50")],
    )
    units = services.bulk_create_units(building=building, plan=plan, by=world.user("receptionist"))
    assert len(units) == 33 * 4 * 2
    unit = Unit.objects.get(room_code="3-2-3302")
    assert (unit.floor, unit.building_area, unit.status) == (33, Decimal("120.30"), "unsold")
    assert building.entrances.count() == 2


def test_bulk_layout_with_one_existing_room_creates_nothing(world, building):
    services.save_unit(
        unit=_unit(building, room_number="501", floor=5), by=world.user("receptionist")
    )
    plan = UnitPlan(first_floor=5, last_floor=6, per_floor=2, areas=[Decimal("80")])
    with pytest.raises(ValidationError) as exc:
        services.bulk_create_units(building=building, plan=plan, by=world.user("receptionist"))
    assert exc.value.code == "duplicate_room"
    assert "3-501" in str(exc.value)
    assert Unit.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"per_floor": 0}, "per_floor"),
        ({"last_floor": 40}, "last_floor"),
        ({"areas": [Decimal("0")]}, "areas"),
        ({"areas": [Decimal("1"), Decimal("2"), Decimal("3")]}, "areas"),
        ({"pattern": "{storey}"}, "pattern"),
    ],
)
def test_a_bad_bulk_layout_is_refused(world, building, change, field):
    plan = UnitPlan(
        **{"first_floor": 1, "last_floor": 3, "per_floor": 2, "areas": [Decimal("80")], **change}
    )
    with pytest.raises(ValidationError) as exc:
        services.bulk_create_units(building=building, plan=plan, by=world.user("receptionist"))
    assert field in exc.value.message_dict
    assert not Unit.objects.exists()


def test_renumbering_a_building_renames_its_room_codes(world, building):
    services.save_unit(unit=_unit(building), by=world.user("receptionist"))
    building.number = "3a"
    services.save_building(building=building, by=world.user("receptionist"))
    assert Unit.objects.get().room_code == "3A-1201"


def test_an_acting_area_manager_needs_a_complete_period(world):
    zone = Zone(
        community=world.a,
        name="东区",
        acting_manager=world.user("supervisor"),
        acting_from=dt.date(2025, 1, 10),
    )
    with pytest.raises(ValidationError):
        services.save_zone(zone=zone, by=world.user("supervisor"))
    assert not Zone.objects.exists()


def test_a_zone_manager_must_work_in_the_community(world):
    outsider = world.user("cashier")
    outsider.memberships.update(community=world.b)
    zone = Zone(community=world.a, name="东区", area_manager=outsider)
    with pytest.raises(ValidationError) as exc:
        services.save_zone(zone=zone, by=world.user("supervisor"))
    assert "area_manager" in exc.value.message_dict


def test_an_area_manager_changes_units_of_their_own_zone_only(world):
    manager = world.user("area_manager")
    own = ZoneFactory(community=world.a, area_manager=manager)
    mine = UnitFactory(community=world.a, building=BuildingFactory(community=world.a, zone=own))
    other = UnitFactory(community=world.a)
    services.change_unit_status(unit=mine, to=UnitStatus.VACANT, by=manager)
    with pytest.raises(PermissionDenied):
        services.change_unit_status(unit=other, to=UnitStatus.VACANT, by=manager)
    assert Unit.objects.get(pk=other.pk).status == UnitStatus.OCCUPIED


def test_an_acting_area_manager_changes_the_zone_during_the_period_only(world):
    acting = world.user("area_manager")
    today = timezone.localdate()
    zone = ZoneFactory(
        community=world.a,
        acting_manager=acting,
        acting_from=today - dt.timedelta(days=1),
        acting_to=today + dt.timedelta(days=1),
    )
    unit = UnitFactory(community=world.a, building=BuildingFactory(community=world.a, zone=zone))
    services.change_unit_status(unit=unit, to=UnitStatus.VACANT, by=acting)
    Zone.objects.filter(pk=zone.pk).update(
        acting_to=today - dt.timedelta(days=1), acting_from=today - dt.timedelta(days=5)
    )
    acting.__dict__.pop("_estates_zones", None)
    with pytest.raises(PermissionDenied):
        services.change_unit_status(unit=unit, to=UnitStatus.OCCUPIED, by=acting)


def test_a_building_of_another_communitys_zone_is_refused(world):
    zone_b = ZoneFactory(community=world.b)
    building = Building(community=world.a, zone=zone_b, number="9", floors_above=10)
    with pytest.raises(ValidationError) as exc:
        services.save_building(building=building, by=world.user("receptionist"))
    assert "zone" in exc.value.message_dict

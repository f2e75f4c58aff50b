"""Room codes and buildings sort naturally wherever units are listed (1-1-201 before
1-1-1001, buildings 1, 2, ... 10): an indexed sort_key column, filled on save, by bulk
creation and by the data migration (SQLite and PostgreSQL alike)."""

import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse

from guanjia.estates.models import Building, Entrance, Unit
from guanjia.estates.services import save_entrance

from .factories import BuildingFactory, EntranceFactory, UnitFactory

ROOMS = ["1001", "201", "101", "2001", "301"]


def _units(world):
    building = BuildingFactory(community=world.a, number="1")
    entrance = EntranceFactory(building=building, number="1")
    for room in ROOMS:
        UnitFactory(community=world.a, building=building, entrance=entrance, room_number=room)
    return building


def test_units_sort_naturally_in_the_database(world):
    _units(world)
    codes = list(Unit.objects.in_community(world.a).values_list("room_code", flat=True))
    assert codes == ["1-1-101", "1-1-201", "1-1-301", "1-1-1001", "1-1-2001"]


def test_the_unit_list_page_export_order_and_api_are_natural(world):
    _units(world)
    expected = ["1-1-101", "1-1-201", "1-1-301", "1-1-1001", "1-1-2001"]
    page = world.client("receptionist").get(reverse("estates:unit-list"))
    assert [u.room_code for u in page.context["object_list"]] == expected
    asked = world.client("receptionist").get(
        reverse("estates:unit-list"), {"ordering": "room_code"}
    )
    assert [u.room_code for u in asked.context["object_list"]] == expected
    backwards = world.client("receptionist").get(
        reverse("estates:unit-list"), {"ordering": "-room_code"}
    )
    assert [u.room_code for u in backwards.context["object_list"]] == expected[::-1]
    api = world.client("receptionist").get(reverse("estates-api:unit-list"))
    assert [u["room_code"] for u in api.json()["results"]] == expected


def test_buildings_sort_one_two_ten(world):
    for number in ["10", "2", "1", "A1", "3"]:
        BuildingFactory(community=world.a, number=number)
    page = world.client("receptionist").get(reverse("estates:building-list"))
    assert [b.number for b in page.context["object_list"]] == ["1", "2", "3", "10", "A1"]
    api = world.client("receptionist").get(reverse("estates-api:building-list"))
    assert [b["number"] for b in api.json()["results"]] == ["1", "2", "3", "10", "A1"]


def test_bulk_creation_and_a_renumbered_entrance_keep_the_key(world):
    building = BuildingFactory(community=world.a, number="7")
    entrance = EntranceFactory(building=building, number="1")
    made = Unit.objects.bulk_create(
        [
            Unit(
                community=world.a,
                building=building,
                entrance=entrance,
                room_number="901",
                floor=9,
                building_area="80",
                room_code="7-1-901",
            )
        ]
    )
    unit = Unit.objects.get(pk=made[0].pk) if made[0].pk else Unit.objects.get(room_code="7-1-901")
    assert unit.sort_key == "00000007-00000001-00000901"
    entrance.number = "12"
    save_entrance(entrance=entrance, by=world.user("supervisor"))
    unit.refresh_from_db()
    assert (unit.room_code, unit.sort_key) == ("7-12-901", "00000007-00000012-00000901")
    assert Building.objects.get(pk=building.pk).sort_key == "00000007"


def test_the_data_migration_fills_existing_rows(world):
    building = _units(world)
    Unit.objects.update(sort_key="")
    Building.objects.update(sort_key="")
    migration = importlib.import_module("guanjia.estates.migrations.0004_natural_sort_keys")
    migration.fill_sort_keys(apps, None)
    building.refresh_from_db()
    assert building.sort_key == "00000001"
    assert set(Unit.objects.values_list("sort_key", flat=True)) >= {"00000001-00000001-00001001"}
    assert "" not in set(Unit.objects.values_list("sort_key", flat=True))


def test_the_sort_keys_are_indexed_with_the_community():
    unit_indexes = {tuple(index.fields) for index in Unit._meta.indexes}
    building_indexes = {tuple(index.fields) for index in Building._meta.indexes}
    assert ("community", "sort_key") in unit_indexes
    assert ("community", "sort_key") in building_indexes
    assert Unit._meta.ordering == ["community_id", "sort_key"]
    assert Building._meta.ordering == ["community_id", "sort_key"]
    assert Entrance._meta.ordering  # entrances follow their building


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the plan is PostgreSQL's")
def test_a_page_of_units_in_natural_order_is_read_through_the_sort_key_index(world):
    _units(world)
    rows = Unit.objects.in_community(world.a)[:25]  # the default ordering
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        # What a large table gets: no whole-table scan, and a sort only when no index gives
        # the order (enable_sort = off makes a sort a last resort, never impossible).
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "unit_sort_key" in plan
    assert "Sort" not in plan  # the index gives the order: no sort of the community's units

"""The one search box: every form people type, scoped to the user's communities."""

import pytest

from guanjia.estates.selectors import search

from .factories import (
    BuildingFactory,
    EntranceFactory,
    OccupancyFactory,
    PersonFactory,
    UnitFactory,
    VehicleFactory,
)


@pytest.fixture
def estate(world):
    building = BuildingFactory(community=world.a, number="3", name="3栋")
    entrance = EntranceFactory(building=building, number="2")
    unit = UnitFactory(community=world.a, building=building, entrance=entrance, room_number="1201")
    person = PersonFactory(community=world.a, name="曾志强", mobile="13912345678")
    OccupancyFactory(unit=unit, person=person)
    VehicleFactory(unit=unit, plate="粤A12345", plate_tail="A12345", person=person)
    elsewhere = PersonFactory(community=world.b, name="曾志强", mobile="13912340000")
    return {"unit": unit, "person": person, "elsewhere": elsewhere}


def _find(world, q, role="receptionist"):
    return [(h.kind, h.pk) for h in search(world.user(role), q, world.a)]


@pytest.mark.parametrize(
    "q",
    [
        "3-2-1201",
        "3栋2单元1201",
        "3号楼2单元1201室",
        "3#1201",
        "３－２－１２０１",
        " 3 - 2 - 1201 ",
        "3-1201",
    ],
)
def test_a_room_code_is_found_in_every_form_people_type(world, estate, q):
    assert ("unit", estate["unit"].pk) in _find(world, q)


@pytest.mark.parametrize(
    "q",
    [
        "曾志强",
        "志强",
        "zengzhiqiang",
        "zeng",
        "zzq",
        "ZZQ",
        "13912345678",
        "139 1234 5678",
        "5678",
    ],
)
def test_a_person_is_found_by_name_pinyin_initials_phone_or_last_four(world, estate, q):
    assert ("person", estate["person"].pk) in _find(world, q)


def test_a_surname_read_differently_is_found_by_its_surname_reading(world, estate):
    assert ("person", estate["person"].pk) not in _find(world, "cengzhiqiang")


@pytest.mark.parametrize("q", ["粤A12345", "粤a 12345", "A12345"])
def test_a_vehicle_is_found_by_its_plate(world, estate, q):
    assert ("vehicle", estate["unit"].vehicles.get().pk) in _find(world, q)


def test_a_person_hit_leads_to_their_home(world, estate):
    hit = next(h for h in search(world.user("receptionist"), "zzq", world.a) if h.kind == "person")
    assert hit.url == f"/estates/units/{estate['unit'].pk}/"
    assert "139****5678" in hit.detail
    assert "13912345678" not in hit.detail


def test_search_never_shows_another_communitys_people(world, estate):
    assert ("person", estate["elsewhere"].pk) not in _find(world, "曾志强")
    assert ("person", estate["elsewhere"].pk) not in _find(world, "0000")


def test_a_user_without_the_permission_finds_no_people(world, estate):
    assert _find(world, "曾志强", role="hr") == []


def test_the_current_community_comes_first(world, estate):
    from guanjia.accounts.tests.factories import grant

    user = world.user("director")
    grant(user, "director", world.b)
    hits = search(user, "曾志强", world.b)
    assert [h.community_id for h in hits if h.kind == "person"] == [world.b.pk, world.a.pk]


def test_nonsense_finds_nothing_without_error(world, estate):
    for q in ["", "   ", "%%%", "'; drop table", "x" * 200, "-", "#"]:
        assert isinstance(_find(world, q), list)


def test_a_search_costs_a_fixed_number_of_queries(world, estate, django_assert_max_num_queries):
    user = world.user("receptionist")
    search(user, "warm-up", world.a)
    for _ in range(5):
        PersonFactory(community=world.a, name="曾小明")
    with django_assert_max_num_queries(6):
        search(user, "zeng", world.a)

"""The pages: lists and the household archive at fixed query counts, masking, reveal, forms."""

import datetime as dt

import pytest
from django.urls import reverse

from guanjia.estates.models import PersonalDataAccess, Unit, UnitStatus
from guanjia.estates.selectors import TimelineEntry, register_timeline_source
from guanjia.estates.selectors import timeline as timeline_module

from .factories import (
    BuildingFactory,
    OccupancyFactory,
    OwnershipFactory,
    PersonFactory,
    UnitFactory,
    VehicleFactory,
    ZoneFactory,
)

MOBILE = "13812345678"


def _household(world, n=1):
    unit = UnitFactory(community=world.a)
    for i in range(n):
        person = PersonFactory(
            community=world.a,
            mobile=f"1381234{i:04d}",
            emergency_name="李四",
            emergency_phone=f"1390000{i:04d}",
        )
        OwnershipFactory(unit=unit, person=person, share=100 if n == 1 else 50 if i < 2 else 100)
        OccupancyFactory(unit=unit, person=person)
        VehicleFactory(unit=unit, person=person)
    return unit


@pytest.mark.parametrize(
    "name",
    [
        "estates:unit-list",
        "estates:person-list",
        "estates:vehicle-list",
        "estates:building-list",
        "estates:zone-list",
        "estates:entrance-list",
        "estates:parking-list",
    ],
)
def test_a_list_costs_the_same_queries_for_many_rows(world, name, django_assert_max_num_queries):
    client = world.client("receptionist")
    client.get(reverse(name))
    for _ in range(30):
        _household(world)
    with django_assert_max_num_queries(14):
        response = client.get(reverse(name))
    assert response.status_code == 200


def test_the_household_page_costs_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    client = world.client("receptionist")
    small = _household(world, 1)
    client.get(reverse("estates:unit-detail", args=[small.pk]))
    big = _household(world, 4)
    with django_assert_max_num_queries(26):
        response = client.get(reverse("estates:unit-detail", args=[big.pk]))
    assert response.status_code == 200


def test_phones_are_masked_on_the_household_page_and_lists(world):
    unit = _household(world)
    for url in [reverse("estates:unit-detail", args=[unit.pk]), reverse("estates:person-list")]:
        html = world.client("receptionist").get(url).content.decode()
        assert "138****0000" in html
        assert "13812340000" not in html
        assert "13900000000" not in html


def test_revealing_on_the_household_page_needs_a_reason_and_is_logged(world):
    unit = _household(world)
    person = unit.occupancies.get().person
    client = world.client("receptionist")
    url = reverse("estates:person-reveal", args=[person.pk])
    form = client.get(url, {"field": "mobile", "unit": unit.pk}, headers={"HX-Request": "true"})
    assert 'name="reason"' in form.content.decode()
    refused = client.post(url, {"field": "mobile", "reason": "", "unit": unit.pk})
    assert "13812340000" not in refused.content.decode()
    assert not PersonalDataAccess.objects.exists()
    shown = client.post(url, {"field": "mobile", "reason": "业主报修回访", "unit": unit.pk})
    assert "13812340000" in shown.content.decode()
    log = PersonalDataAccess.objects.get()
    assert (log.unit, log.reason, log.field) == (unit, "业主报修回访", "mobile")


def test_a_director_reviews_the_access_log_without_seeing_numbers(world):
    unit = _household(world)
    person = unit.occupancies.get().person
    world.client("receptionist").post(
        reverse("estates:person-reveal", args=[person.pk]),
        {"field": "mobile", "reason": "核对身份"},
    )
    html = world.client("director").get(reverse("estates:access-log")).content.decode()
    assert "核对身份" in html
    assert person.name in html
    assert "13812340000" not in html


def test_security_sees_occupants_but_not_owners_or_documents(world):
    unit = _household(world)
    html = (
        world.client("security")
        .get(reverse("estates:unit-detail", args=[unit.pk]))
        .content.decode()
    )
    assert 'id="occupants"' in html
    assert 'id="owners"' not in html
    assert 'id="documents"' not in html
    assert "person-reveal" not in html
    assert "/reveal/" not in html


def test_a_unit_form_with_a_bad_area_shows_the_message_and_saves_nothing(world):
    building = BuildingFactory(community=world.a)
    response = world.client("receptionist").post(
        reverse("estates:unit-create"),
        {
            "building": building.pk,
            "room_number": "101",
            "floor": 1,
            "building_area": "0",
            "kind": "flat",
            "status": "unsold",
        },
    )
    assert response.status_code == 400  # the form again, with its errors
    assert (
        "is-invalid" in response.content.decode() or "invalid-feedback" in response.content.decode()
    )
    assert not Unit.objects.exists()


def test_the_bulk_layout_page_creates_the_building_units(world):
    building = BuildingFactory(community=world.a, number="7", floors_above=33)
    response = world.client("receptionist").post(
        reverse("estates:building-units-bulk", args=[building.pk]),
        {
            "entrances": "1，2",
            "first_floor": 1,
            "last_floor": 33,
            "per_floor": 4,
            "pattern": "{floor}{position:02d}",
            "kind": "flat",
            "areas": "89.5, 120.3, 120.3, 89.5",
        },
    )
    assert response.status_code == 302
    assert Unit.objects.filter(building=building).count() == 264


def test_the_status_action_moves_the_unit_and_a_bad_move_shows_a_message(world):
    unit = UnitFactory(community=world.a, status=UnitStatus.OCCUPIED)
    client = world.client("receptionist")
    url = reverse("estates:unit-status", args=[unit.pk])
    client.post(url, {"to": "unsold"})
    assert Unit.objects.get(pk=unit.pk).status == UnitStatus.OCCUPIED
    client.post(url, {"to": "rented"})
    assert Unit.objects.get(pk=unit.pk).status == UnitStatus.RENTED


def test_an_area_manager_gets_403_on_a_unit_of_another_zone(world):
    manager = world.user("area_manager")
    own = UnitFactory(
        community=world.a,
        building=BuildingFactory(
            community=world.a, zone=ZoneFactory(community=world.a, area_manager=manager)
        ),
    )
    other = UnitFactory(community=world.a)
    client = world.client("area_manager")
    assert client.get(reverse("estates:unit-edit", args=[own.pk])).status_code == 200
    assert (
        client.post(reverse("estates:unit-status", args=[other.pk]), {"to": "vacant"}).status_code
        == 403
    )
    assert client.get(reverse("estates:occupancy-create", args=[other.pk])).status_code == 403


def test_the_search_partial_answers_as_you_type(world):
    person = PersonFactory(community=world.a, name="单国栋")
    OccupancyFactory(unit=UnitFactory(community=world.a), person=person)
    response = world.client("receptionist").get(
        reverse("estates:search-results"), {"q": "sgd"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert "单国栋" in html
    assert "<html" not in html


def test_another_app_adds_entries_to_the_unit_timeline(world, monkeypatch):
    monkeypatch.setattr(timeline_module, "_SOURCES", list(timeline_module._SOURCES))

    @register_timeline_source
    def bills(unit, *, limit):
        return [
            TimelineEntry(
                at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
                kind="billing.bill",
                title="物业费账单 2024-01",
            )
        ]

    unit = UnitFactory(community=world.a)
    html = (
        world.client("receptionist")
        .get(reverse("estates:unit-detail", args=[unit.pk]))
        .content.decode()
    )
    assert "物业费账单 2024-01" in html


def test_security_finds_occupants_but_not_owners_on_any_list_search_export_or_api(world):
    """Spec §26: security reads the occupants; an owner who does not live there is hidden
    everywhere people are listed, searched, exported or read through the API."""
    from guanjia.estates.importers.exports import PersonExporter

    unit = UnitFactory(community=world.a)
    landlord = PersonFactory(community=world.a, name="房东甲", mobile="13800000001")
    tenant = PersonFactory(community=world.a, name="租客乙", mobile="13800000002")
    OwnershipFactory(unit=unit, person=landlord)
    OccupancyFactory(unit=unit, person=tenant)
    guard, desk = world.client("security"), world.client("receptionist")

    listing = guard.get(reverse("estates:person-list")).content.decode()
    assert "租客乙" in listing
    assert "房东甲" not in listing
    assert "房东甲" in desk.get(reverse("estates:person-list")).content.decode()
    found = guard.get(reverse("estates:search"), {"q": "房东"}).content.decode()
    assert 'data-kind="person"' not in found
    found = desk.get(reverse("estates:search"), {"q": "房东"}).content.decode()
    assert 'data-kind="person"' in found
    api = guard.get("/api/v1/estates/persons/").json()
    names = [row["name"] for row in api.get("results", api)]
    assert names == ["租客乙"]
    assert guard.get(f"/api/v1/estates/persons/{landlord.pk}/").status_code == 404
    rows = list(PersonExporter(by=world.user("security"), community=world.a, params={}).rows())
    assert [row["name"] for row in rows] == ["租客乙"]


def test_an_area_manager_edits_the_people_of_their_own_zones_only(world):
    manager = world.user("area_manager")
    zone = ZoneFactory(community=world.a, area_manager=manager)
    own_unit = UnitFactory(
        community=world.a, building=BuildingFactory(community=world.a, zone=zone)
    )
    neighbour, stranger = (PersonFactory(community=world.a) for _ in range(2))
    OccupancyFactory(unit=own_unit, person=neighbour)
    OwnershipFactory(unit=UnitFactory(community=world.a), person=stranger)
    client = world.client("area_manager")
    assert client.get(reverse("estates:person-edit", args=[neighbour.pk])).status_code == 200
    assert client.get(reverse("estates:person-edit", args=[stranger.pk])).status_code == 403
    before = stranger.name
    response = client.patch(
        f"/api/v1/estates/persons/{stranger.pk}/", {"name": "改名"}, content_type="application/json"
    )
    assert response.status_code == 403
    stranger.refresh_from_db()
    assert stranger.name == before
    response = client.patch(
        f"/api/v1/estates/persons/{neighbour.pk}/",
        {"name": "邻居"},
        content_type="application/json",
    )
    assert response.status_code == 200


def test_the_person_edit_form_never_prints_a_full_phone_and_keeps_it_unless_retyped(world):
    person = PersonFactory(
        community=world.a,
        mobile="13812345678",
        emergency_name="李四",
        emergency_phone="13900001111",
    )
    client = world.client("receptionist")
    url = reverse("estates:person-edit", args=[person.pk])
    form = client.get(url).content.decode()
    assert "13812345678" not in form
    assert "13900001111" not in form
    assert "138****5678" in form
    body = {
        "kind": person.kind,
        "name": "新名字",
        "gender": "",
        "id_type": "",
        "mobile": "",
        "other_phone": "",
        "emergency_name": "李四",
        "emergency_phone": "",
    }
    assert client.post(url, body).status_code == 302
    person.refresh_from_db()
    assert (person.name, person.mobile, person.emergency_phone) == (
        "新名字",
        "13812345678",
        "13900001111",
    )
    client.post(url, {**body, "mobile": "13700000000", "remove_emergency_phone": "on"})
    person.refresh_from_db()
    assert (person.mobile, person.emergency_phone) == ("13700000000", "")


def test_a_units_history_is_paginated_with_each_change_against_the_one_before(
    world, django_assert_max_num_queries
):
    from guanjia.core.pages import PAGE_SIZE

    unit = UnitFactory(community=world.a)
    client = world.client("director")
    url = reverse("estates:unit-history", args=[unit.pk])
    for n in range(2):
        unit.note = f"note {n}"
        unit.save()
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for n in range(2, PAGE_SIZE + 5):
        unit.note = f"note {n}"
        unit.save()
    with django_assert_max_num_queries(len(few.captured_queries)):
        first = client.get(url)
    rows = first.context["rows"]
    assert len(rows) == PAGE_SIZE
    newest = {c.field: (c.old, c.new) for c in rows[0][1]}
    assert newest["note"] == (f"note {PAGE_SIZE + 3}", f"note {PAGE_SIZE + 4}")
    # The last row of page 1 is compared with the first record of page 2.
    last = {c.field: (c.old, c.new) for c in rows[-1][1]}
    assert last["note"][1] == f"note {PAGE_SIZE + 4 - (PAGE_SIZE - 1)}"
    second = client.get(url, {"page": 2}).context["rows"]
    assert len(second) == 6  # 25 + 4 changes + the creation = 31 records in all
    assert second[-1][0].history_type == "+"
    assert second[-1][1] == []

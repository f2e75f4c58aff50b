"""The API (/api/v1/vacant/): the same services as the pages, refusals as 400 with their code,
nothing half-saved; the inspection with photos as multipart; another community's rows 404."""

import pytest
from django.utils import timezone

from guanjia.estates.models import UnitStatus
from guanjia.tickets.models import RepairOrder
from guanjia.vacant.models import Inspection, VacantUnit, Viewing

from .factories import disguised, jpeg, vacancy, zone_unit

pytestmark = pytest.mark.django_db
CHECKS = ["doors_ok", "no_leaks", "no_damp", "fixtures_ok", "meters_still", "clean_ok"]


def _items(**extra):
    return {**dict.fromkeys(CHECKS, True), "ventilated": True, **extra}


def test_register_through_the_api_and_its_refusals(world):
    client = world.client("supervisor")
    unit = zone_unit(world, status=UnitStatus.DELIVERED)
    body = {"community": world.a.pk, "unit": unit.pk, "category": "unoccupied"}
    response = client.post("/api/v1/vacant/units/", body, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "vacant"
    again = client.post("/api/v1/vacant/units/", body, content_type="application/json")
    assert again.status_code == 400
    assert again.json()["unit"][0]
    other = zone_unit(world, status=UnitStatus.OCCUPIED)
    bad = client.post(
        "/api/v1/vacant/units/",
        {**body, "unit": other.pk, "category": "palace"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert "category" in bad.json()
    assert VacantUnit.objects.count() == 1


def test_a_long_absence_is_registered_with_its_authorisation_as_multipart(world):
    client = world.client("supervisor")
    unit = zone_unit(world, status=UnitStatus.OCCUPIED)
    body = {
        "community": world.a.pk,
        "unit": unit.pk,
        "category": "long_absence",
        "requested_by": "张三",
        "entry_scope": "通风、检查漏水",
        "liability_waiver": "true",
    }
    missing = client.post("/api/v1/vacant/units/", body)
    assert missing.status_code == 400
    assert list(missing.json()) == ["authorisation"]
    response = client.post("/api/v1/vacant/units/", {**body, "authorisation": jpeg("委托.jpg")})
    assert response.status_code == 201, response.content
    assert VacantUnit.objects.get().authorisation_name == "委托.jpg"


def test_an_inspection_through_the_api_opens_a_repair(world):
    v = vacancy(world)
    client = world.client("area_manager")
    body = _items(
        unit=v.unit_id,
        no_leaks=False,
        problems="阳台窗渗水",
        open_repair=True,
        repair_category="walls",
    )
    response = client.post("/api/v1/vacant/inspections/", {**body, "photos": [jpeg()]})
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["has_problem"] is True
    assert data["repair_number"] == RepairOrder.objects.get().number
    assert len(data["photos"]) == 1
    assert data["photos"][0]["image"].startswith("http")


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"no_damp": False}, "problems"),
        ({"open_repair": True, "repair_category": "walls"}, "open_repair"),
        ({"meters_still": "maybe"}, "meters_still"),
    ],
)
def test_a_bad_api_inspection_is_refused(world, extra, field):
    v = vacancy(world)
    response = world.client("area_manager").post(
        "/api/v1/vacant/inspections/",
        _items(unit=v.unit_id, **extra),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert field in response.json()
    assert not Inspection.objects.exists()


def test_a_disguised_photo_is_refused_by_the_api(world):
    v = vacancy(world)
    response = world.client("area_manager").post(
        "/api/v1/vacant/inspections/", {**_items(unit=v.unit_id), "photos": [disguised()]}
    )
    assert response.status_code == 400
    assert "photos" in response.json()
    assert not Inspection.objects.exists()


def test_an_inspection_of_a_unit_not_vacant_is_refused_by_the_api(world):
    unit = zone_unit(world, status=UnitStatus.OCCUPIED)
    response = world.client("area_manager").post(
        "/api/v1/vacant/inspections/", _items(unit=unit.pk), content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["unit"]
    assert not Inspection.objects.exists()


def test_another_communitys_unit_is_404(world):
    v = vacancy(world, world.b)
    client = world.client("area_manager")
    assert client.get(f"/api/v1/vacant/units/{v.pk}/").status_code == 404
    response = client.post(
        "/api/v1/vacant/inspections/", _items(unit=v.unit_id), content_type="application/json"
    )
    assert response.status_code == 404


def test_leave_and_viewing_through_the_api(world):
    v = vacancy(world)
    client = world.client("supervisor")
    bad = client.post(
        f"/api/v1/vacant/units/{v.pk}/leave/", {"reason": "sold"}, content_type="application/json"
    )
    assert bad.status_code == 400
    viewing = client.post(
        f"/api/v1/vacant/units/{v.pk}/viewings/",
        {
            "visitor_name": "李买家",
            "consent_by": "某某地产",
            "consent": jpeg("同意书.jpg"),
            "accompanied_by": world.user("area_manager").pk,
        },
    )
    assert viewing.status_code == 201, viewing.content
    assert Viewing.objects.get().accompanied_by == world.user("area_manager")
    ok = client.post(
        f"/api/v1/vacant/units/{v.pk}/leave/",
        {"reason": "moved_in"},
        content_type="application/json",
    )
    assert ok.status_code == 200
    assert ok.json()["status"] == "left"


def test_tasks_storm_and_kpis_through_the_api(world):
    vacancy(world)
    client = world.client("supervisor")
    storm = client.post(
        "/api/v1/vacant/storms/",
        {"community": world.a.pk, "description": "暴雨", "ended_at": timezone.now().isoformat()},
        content_type="application/json",
    )
    assert storm.status_code == 201
    assert storm.json()["added"] == 1
    tasks = client.get("/api/v1/vacant/tasks/?kind=storm")
    assert tasks.json()["count"] == 1
    assert client.get("/api/v1/vacant/tasks/?timing=sometime").status_code == 400
    first = client.post(
        "/api/v1/vacant/tasks/generate/", {"community": world.a.pk}, content_type="application/json"
    )
    second = client.post(
        "/api/v1/vacant/tasks/generate/", {"community": world.a.pk}, content_type="application/json"
    )
    assert first.json()["added"] > 0
    assert second.json()["added"] == 0
    kpis = world.client("director").get(
        "/api/v1/vacant/kpis/",
        {"community": world.a.pk, "start": "2024-01-01", "end": "2024-01-31"},
    )
    assert kpis.status_code == 200
    assert kpis.json()["by_category"]
    bad = world.client("director").get(
        "/api/v1/vacant/kpis/",
        {"community": world.a.pk, "start": "2024-02-01", "end": "2023-01-01"},
    )
    assert bad.status_code == 400


def test_registering_in_a_community_the_caller_cannot_see_is_refused(world):
    unit = zone_unit(world, world.b, status=UnitStatus.DELIVERED)
    response = world.client("supervisor").post(
        "/api/v1/vacant/units/",
        {"community": world.b.pk, "unit": unit.pk, "category": "unoccupied"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert not VacantUnit.objects.exists()

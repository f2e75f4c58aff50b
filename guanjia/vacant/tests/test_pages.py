"""The pages: the register form (a refusal shown on the form, 400, nothing saved), the
inspection on the phone page, bad filter values, the KPIs with their chart and Excel, and
the query count of the lists."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from guanjia.estates.models import UnitStatus
from guanjia.tickets.models import RepairOrder
from guanjia.vacant import services
from guanjia.vacant.models import CareTask, Inspection, TaskKind, VacantUnit

from .factories import ALL_OK, disguised, jpeg, supervisor, vacancy, zone_unit

pytestmark = pytest.mark.django_db


def _checklist(**extra):
    items = ["doors_ok", "no_leaks", "no_damp", "fixtures_ok", "meters_still", "clean_ok"]
    return {**dict.fromkeys(items, "ok"), "ventilated": "yes", **extra}


def test_registering_on_the_page_and_its_refusal(world):
    client = world.client("supervisor")
    unit = zone_unit(world, status=UnitStatus.OCCUPIED)
    body = {"unit": unit.pk, "category": "unoccupied", "water": "off", "power": "off"}
    response = client.post("/vacant/new/", body)
    assert response.status_code == 400
    assert "不能登记为" in response.content.decode()
    assert not VacantUnit.objects.exists()
    absent = {**body, "category": "long_absence", "requested_by": "张三", "entry_scope": "通风"}
    response = client.post("/vacant/new/", absent)
    assert response.status_code == 400
    assert "免责声明" in response.content.decode()
    response = client.post(
        "/vacant/new/",
        {**absent, "liability_waiver": "on", "authorisation": disguised("委托书.jpg")},
    )
    assert response.status_code == 400
    assert not VacantUnit.objects.exists()
    response = client.post(
        "/vacant/new/", {**absent, "liability_waiver": "on", "authorisation": jpeg("委托书.jpg")}
    )
    assert response.status_code == 302
    assert VacantUnit.objects.get().requested_by == "张三"


def test_an_item_left_unanswered_is_refused_on_the_phone_page(world):
    v = vacancy(world)
    client = world.client("area_manager")
    body = _checklist()
    del body["meters_still"]
    response = client.post(f"/vacant/{v.pk}/inspect/", body)
    assert response.status_code == 400
    assert not Inspection.objects.exists()
    response = client.post(
        f"/vacant/{v.pk}/inspect/", _checklist(no_leaks="problem", problems="", open_repair="on")
    )
    assert response.status_code == 400
    assert "请描述发现的问题" in response.content.decode()
    assert not RepairOrder.objects.exists()


def test_the_phone_page_records_an_inspection_with_a_photo_and_a_repair(world):
    v = vacancy(world)
    client = world.client("area_manager")
    body = _checklist(
        no_leaks="problem",
        problems="厨房水管滴水",
        open_repair="on",
        repair_category="plumbing",
        photos=[jpeg("a.jpg"), jpeg("b.jpg")],
    )
    response = client.post(f"/vacant/{v.pk}/inspect/", body)
    assert response.status_code == 302
    inspection = Inspection.objects.get()
    assert inspection.photos.count() == 2
    assert inspection.repair.category == "plumbing"
    page = client.get(response["Location"])
    assert inspection.repair.number in page.content.decode()


def test_a_disguised_photo_is_refused_on_the_page(world):
    v = vacancy(world)
    response = world.client("area_manager").post(
        f"/vacant/{v.pk}/inspect/", _checklist(photos=[disguised()])
    )
    assert response.status_code == 400
    assert not Inspection.objects.exists()


def test_a_unit_no_longer_vacant_is_refused_on_the_page(world):
    v = vacancy(world)
    services.leave_vacancy(vacancy=v, reason="moved_in", by=supervisor(world))
    response = world.client("area_manager").post(f"/vacant/{v.pk}/inspect/", _checklist())
    assert response.status_code == 400
    assert "已解除空置" in response.content.decode()
    assert not Inspection.objects.exists()


def test_leaving_with_a_bad_reason_is_shown_on_the_unit_page(world):
    v = vacancy(world)
    response = world.client("supervisor").post(f"/vacant/{v.pk}/leave/", {"reason": "sold"})
    assert response.status_code == 400
    v.refresh_from_db()
    assert v.is_open


@pytest.mark.parametrize(
    "url",
    [
        "/vacant/?category=palace",
        "/vacant/tasks/?due_from=yesterday",
        "/vacant/inspections/?problem=maybe",
    ],
)
def test_a_bad_filter_value_shows_no_rows(world, url):
    vacancy(world)
    response = world.client("supervisor").get(url)
    assert response.status_code == 200
    assert list(response.context["object_list"]) == []


def test_the_lists_take_the_same_queries_for_more_rows(world):
    client = world.client("supervisor")
    vacancy(world)
    urls = ["/vacant/", "/vacant/tasks/", "/vacant/inspections/"]

    def counts():
        result = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            result.append(len(queries))
        return result

    services.generate_tasks(community=world.a, by=supervisor(world))
    services.record_inspection(
        vacancy=VacantUnit.objects.get(), checklist=ALL_OK, by=world.user("area_manager")
    )
    counts()  # the first request of a session caches its access
    before = counts()
    for _ in range(4):
        v = vacancy(world, since=timezone.localdate() - dt.timedelta(days=3))
        services.record_inspection(vacancy=v, checklist=ALL_OK, by=world.user("area_manager"))
    services.generate_tasks(community=world.a, by=supervisor(world))
    assert counts() == before


def test_the_kpis_page_and_its_excel(world):
    v = vacancy(world)
    CareTask.objects.create(
        community=world.a, vacant_unit=v, unit=v.unit, kind=TaskKind.INSPECT,
        due_on=timezone.localdate(),
    )  # fmt: skip
    leaking = services.Checklist(**{**ALL_OK.__dict__, "no_leaks": False})
    services.record_inspection(
        vacancy=v, checklist=leaking, problems="漏水", by=world.user("area_manager")
    )
    client = world.client("director")
    response = client.get("/vacant/kpis/")
    assert response.status_code == 200
    k = response.context["k"]
    assert (k.required, k.done, k.inspections, k.problems) == (1, 1, 1, 1)
    assert k.problems_per_100 == 100
    assert [n for _label, n in k.by_category] == [0, 0, 1, 0]  # delivered, not in use
    assert [n for _label, n in k.by_age] == [1, 0, 0, 0]  # under 90 days
    assert "<svg" in response.content.decode()
    export = client.get("/vacant/kpis/export/")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    bad = client.get("/vacant/kpis/?start=2024-05-01&end=2024-01-01")
    assert bad.status_code == 400


def test_ticking_off_an_inspection_on_the_list_is_refused(world):
    v = vacancy(world)
    task = CareTask.objects.create(
        community=world.a, vacant_unit=v, unit=v.unit, kind=TaskKind.INSPECT,
        due_on=timezone.localdate(),
    )  # fmt: skip
    response = world.client("area_manager").post(f"/vacant/tasks/{task.pk}/done/")
    assert response.status_code == 400
    assert "巡查须填写检查表完成" in response.content.decode()
    task.refresh_from_db()
    assert task.done_at is None


def test_the_storm_page_refuses_a_storm_not_over(world):
    vacancy(world)
    future = (timezone.localtime() + dt.timedelta(hours=5)).strftime("%Y-%m-%dT%H:%M")
    response = world.client("supervisor").post(
        "/vacant/storms/new/", {"description": "台风", "ended_at": future}
    )
    assert response.status_code == 400
    assert not CareTask.objects.exists()
    response = world.client("supervisor").post(
        "/vacant/storms/new/", {"description": "台风", "ended_at": "not a time"}
    )
    assert response.status_code == 400

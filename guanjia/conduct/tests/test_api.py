"""The API: the same services, refusals as 400 by field, 403 for authority, own rows only."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from guanjia.conduct.models import ConductRecord, SpotCheck

from .factories import level, open_check, record

pytestmark = pytest.mark.django_db


def _post(client, name, body, **kwargs):
    return client.post(reverse(name, kwargs=kwargs or None), body, content_type="application/json")


def test_open_submit_and_acknowledge_through_the_api(world):
    sup = world.client("supervisor")
    employee = world.user("receptionist")
    opened = _post(
        sup,
        "conduct-api:check-list",
        {
            "community": world.a.pk,
            "employee": employee.pk,
            "cadence": "weekly",
            "kinds": ["three_voices"],
        },
    )
    assert opened.status_code == 201
    check = opened.json()
    items = [{"id": i["id"], "result": "pass"} for i in check["items"]]
    items[0] = {"id": items[0]["id"], "result": "fail", "note": "没有送声"}
    done = _post(
        sup,
        "conduct-api:check-submit",
        {"items": items, "propose_level": level(world, "verbal_warning").pk},
        pk=check["id"],
    )
    assert done.status_code == 200
    assert done.json()["failures"] == 1
    signed = _post(
        world.client("receptionist"), "conduct-api:check-acknowledge", {}, pk=check["id"]
    )
    assert signed.json()["status"] == "acknowledged"
    assert ConductRecord.objects.filter(spot_check_id=check["id"]).count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"cadence": "yearly"}, "cadence"),
        ({"kinds": ["forbidden"]}, "kinds"),
        ({"employee": 999999}, "employee"),
        ({"cadence": None}, "cadence"),
    ],
)
def test_a_bad_check_body_is_a_400(world, body, field):
    data = {"community": world.a.pk, "employee": world.user("receptionist").pk, "cadence": "daily"}
    response = _post(world.client("supervisor"), "conduct-api:check-list", {**data, **body})
    assert response.status_code == 400
    assert field in response.json()
    assert not SpotCheck.objects.exists()


def test_a_bad_submission_is_a_400_naming_the_item(world):
    check = open_check(world, kinds=["three_voices"])
    first = check.items.first()
    response = _post(
        world.client("supervisor"),
        "conduct-api:check-submit",
        {"items": [{"id": first.pk, "result": "fail"}]},
        pk=check.pk,
    )
    assert response.status_code == 400
    assert f"item-{first.pk}" in response.json()
    bad = _post(world.client("supervisor"), "conduct-api:check-submit", {"items": "x"}, pk=check.pk)
    assert bad.status_code == 400


def test_propose_and_walk_a_record_through_the_api(world):
    body = {
        "community": world.a.pk,
        "employee": world.user("receptionist").pk,
        "level": level(world, "praise").pk,
        "event_date": timezone.localdate().isoformat(),
        "facts": "拾金不昧",
        "amount": "100",
        "is_public": True,
    }
    created = _post(world.client("supervisor"), "conduct-api:record-list", body)
    assert created.status_code == 201
    pk = created.json()["id"]
    assert (
        _post(
            world.client("director"), "conduct-api:record-step", {}, pk=pk, step="confirm"
        ).status_code
        == 200
    )
    own = _post(world.client("receptionist"), "conduct-api:record-step", {}, pk=pk, step="sign")
    assert own.json()["status"] == "acknowledged"
    mine = _post(world.client("receptionist"), "conduct-api:record-step", {}, pk=pk, step="approve")
    assert mine.status_code == 403
    approved = _post(world.client("director"), "conduct-api:record-step", {}, pk=pk, step="approve")
    assert approved.json()["status"] == "effective"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"facts": ""}, "facts"),
        ({"event_date": "2026-13-01"}, "event_date"),
        ({"event_date": "2999-01-01"}, "event_date"),
        ({"amount": "abc"}, "amount"),
        ({"amount": "100"}, "monthly_pay"),
        ({"level": 999999}, "level"),
        ({"source": "attendance"}, "evidence_ref"),
    ],
)
def test_a_bad_proposal_body_is_a_400(world, change, field):
    body = {
        "community": world.a.pk,
        "employee": world.user("receptionist").pk,
        "level": level(world, "written_warning").pk,
        "event_date": timezone.localdate().isoformat(),
        "facts": "迟到",
    }
    response = _post(world.client("supervisor"), "conduct-api:record-list", {**body, **change})
    assert response.status_code == 400
    assert field in response.json()
    assert not ConductRecord.objects.exists()


def test_an_appeal_after_its_window_is_a_400(world):
    rec = record(world, "effective")
    ConductRecord.objects.filter(pk=rec.pk).update(
        appeal_until=timezone.localdate() - dt.timedelta(days=2)
    )
    response = _post(
        world.client("receptionist"),
        "conduct-api:record-step",
        {"grounds": "不服"},
        pk=rec.pk,
        step="appeal",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "appeal_late"


def test_the_employee_lists_only_their_own_records(world):
    mine = record(world)
    record(world, employee=world.user("cashier"))
    rows = world.client("receptionist").get(reverse("conduct-api:record-list")).json()["results"]
    assert [r["id"] for r in rows] == [mine.pk]
    assert (
        world.client("receptionist")
        .get(reverse("conduct-api:record-list"), {"status": "zzz"})
        .status_code
        == 400
    )


def test_standards_and_levels(world):
    client = world.client("cashier")
    assert any(
        r["kind"] == "forbidden" for r in client.get(reverse("conduct-api:standards")).json()
    )
    assert len(client.get(reverse("conduct-api:levels")).json()) == 10

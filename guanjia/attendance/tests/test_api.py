"""The API: the same services, refusals as 400 with the field, 403, own rows only."""

import datetime as dt

import pytest
from django.urls import reverse

from guanjia.attendance.models import Leave

from .factories import MONTH, day, rostered, worker

pytestmark = pytest.mark.django_db
NEXT = (MONTH + dt.timedelta(days=70)).replace(day=3)


def _post(world, role, name, body, **kw):
    return world.client(role).post(reverse(name, **kw), body, content_type="application/json")


def _leave(world, role="receptionist", **data):
    body = {"community": world.a.pk, "kind": "personal", "starts_on": f"{NEXT}",
            "ends_on": f"{NEXT}", "explanation": "有事", **data}  # fmt: skip
    return _post(world, role, "attendance-api:leave-list", body)


def test_leave_through_the_api_and_its_refusals(world):
    assert _leave(world).status_code == 201
    overlap = _leave(world)
    assert overlap.status_code == 400
    assert "starts_on" in overlap.json()
    before = _leave(world, ends_on=f"{NEXT - dt.timedelta(days=1)}", starts_on=f"{NEXT}")
    assert before.status_code == 400
    assert _leave(world, community=world.b.pk).status_code == 400
    assert _leave(world, kind="nap").status_code == 400
    assert Leave.objects.count() == 1


def test_own_leave_cannot_be_approved_through_the_api(world):
    _leave(world, role="supervisor")
    leave = Leave.objects.get()
    response = _post(world, "supervisor", "attendance-api:leave-decide", {"approve": True},
                     args=[leave.pk])  # fmt: skip
    assert response.status_code == 403
    assert response.json()["code"] == "own_request"


def test_days_are_ones_own_unless_one_sees_everyones(world):
    from guanjia.attendance import services

    me, other = world.user("receptionist"), worker(world)
    rostered(world, me, day(3))
    rostered(world, other, day(3))
    services.compute(world.a, day(1), day(28))
    mine = world.client("receptionist").get(reverse("attendance-api:day-list")).json()
    assert [row["employee"] for row in mine["results"]] == [me.pk]
    everyone = world.client("supervisor").get(reverse("attendance-api:day-list")).json()
    assert len(everyone["results"]) == 2
    bad = world.client("supervisor").get(reverse("attendance-api:day-list"), {"day_from": "x"})
    assert bad.status_code == 400


def test_findings_for_a_month(world):
    from guanjia.attendance import services

    person = worker(world)
    rostered(world, person, day(3))
    services.compute(world.a, day(1), day(28))
    response = world.client("supervisor").get(
        reverse("attendance-api:findings"), {"community": world.a.pk, "month": f"{MONTH:%Y-%m}"}
    )
    (row,) = response.json()
    assert row["findings"][0]["reference"] == f"att:{person.pk}:{day(3)}"
    assert row["findings"][0]["result"] == "absent"
    bad = world.client("supervisor").get(
        reverse("attendance-api:findings"), {"community": world.a.pk, "month": "2026-13"}
    )
    assert bad.status_code == 400


def test_a_swap_with_someone_off_the_post_through_the_api(world):
    from guanjia.attendance import services
    from guanjia.desk.tests.factories import post_and_shift

    me = world.user("receptionist")
    post, shift = post_and_shift(world)
    (entry,) = services.plan_roster(post=post, shift=shift, employee=me, first=NEXT, last=NEXT,
                                    by=world.user("supervisor"))  # fmt: skip
    body = {"entry": entry.pk, "kind": "cover", "substitute": worker(world).pk,
            "explanation": "有事"}  # fmt: skip
    response = _post(world, "receptionist", "attendance-api:swap-list", body)
    assert response.status_code == 400
    assert "substitute" in response.json()

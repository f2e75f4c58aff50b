"""The desk's API: writes through the services, bad bodies a 400 with the field, nothing
changed; lists paginated and filtered; 403 for a role without the permission."""

import pytest
from django.urls import reverse

from guanjia.accounts.tests.factories import staff
from guanjia.desk import services
from guanjia.desk.models import HandoverStatus, Key, KeyLoan, Parcel
from guanjia.estates.tests.factories import UnitFactory

from .factories import SIGN, collector, handover, household_unit, key, loan, parcel

pytestmark = pytest.mark.django_db


def post(client, name, body, **kw):
    return client.post(
        reverse(f"desk-api:{name}", kwargs=kw or None), body, content_type="application/json"
    )


def test_register_a_key_and_list_it(world):
    client = world.client("receptionist")
    unit = UnitFactory(community=world.a)
    body = {
        "community": world.a.pk,
        "unit": unit.pk,
        "holding": "office",
        "cabinet_slot": "A-1",
        "count": 1,
    }
    response = post(client, "key-list", body)
    assert response.status_code == 201, response.content
    listed = client.get(reverse("desk-api:key-list")).json()
    assert listed["count"] == 1
    assert listed["results"][0]["is_out"] is False


@pytest.mark.parametrize(
    ("field", "change"),
    [
        ("cabinet_slot", {"cabinet_slot": ""}),
        ("holding", {"holding": "lost"}),
        ("count", {"count": 0}),
        ("unit", {"unit": 10**9}),
        ("envelope_no", {"holding": "deposited"}),
    ],
)
def test_bad_key_bodies(world, field, change):
    unit = UnitFactory(community=world.a)
    body = {
        "community": world.a.pk,
        "unit": unit.pk,
        "holding": "office",
        "cabinet_slot": "A-1",
        **change,
    }
    response = post(world.client("receptionist"), "key-list", body)
    assert response.status_code == 400
    assert field in response.json()
    assert not Key.objects.exists()


def test_a_unit_of_another_community_is_refused(world):
    body = {
        "community": world.a.pk,
        "unit": UnitFactory(community=world.b).pk,
        "holding": "office",
        "cabinet_slot": "A",
    }
    response = post(world.client("receptionist"), "key-list", body)
    assert response.status_code == 400
    assert not Key.objects.exists()


def test_lend_a_key_already_out(world):
    out = loan(world)
    c = collector(world, out.key, name="钱七")
    response = post(
        world.client("receptionist"),
        "key-lend",
        {"collector": c.pk, "purpose": "维修", "signature": SIGN},
        pk=out.key.pk,
    )
    assert response.status_code == 400
    assert (
        response.json()["key"] == ["This key is already out: it must come back first."]
        or response.json()["key"]
    )
    assert KeyLoan.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "change"),
    [
        ("purpose", {"purpose": ""}),
        ("signature", {"signature": "x"}),
        ("collector", {"collector": 10**9}),
        ("staff", {"collector": None, "staff": 10**9}),
    ],
)
def test_bad_lend_bodies(world, field, change):
    k = key(world)
    c = collector(world, k)
    body = {"collector": c.pk, "purpose": "看房", "signature": SIGN, **change}
    response = post(world.client("receptionist"), "key-lend", body, pk=k.pk)
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not KeyLoan.objects.exists()


def test_return_and_overdue_filter(world):
    out = loan(world)
    client = world.client("receptionist")
    assert client.get(reverse("desk-api:loan-list") + "?out=true").json()["count"] == 1
    assert post(client, "loan-return", {"signature": SIGN}, pk=out.pk).status_code == 200
    assert client.get(reverse("desk-api:loan-list") + "?out=true").json()["count"] == 0
    assert post(client, "loan-return", {"signature": SIGN}, pk=out.pk).status_code == 400
    assert client.get(reverse("desk-api:parcel-list") + "?kind=box").status_code == 400


def test_register_and_collect_a_parcel(world):
    client = world.client("receptionist")
    unit, owner = household_unit(world.a)
    body = {
        "community": world.a.pk,
        "unit": unit.pk,
        "addressee": "王五",
        "carrier": "顺丰",
        "kind": "parcel",
    }
    response = post(client, "parcel-list", body)
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    stranger = household_unit(world.a)[1]
    refused = post(
        client, "parcel-collect", {"collected_by": stranger.pk, "signature": SIGN}, pk=pk
    )
    assert refused.status_code == 400
    assert "collected_by" in refused.json()
    assert Parcel.objects.get(pk=pk).collected_at is None
    done = post(client, "parcel-collect", {"collected_by": owner.pk, "signature": SIGN}, pk=pk)
    assert done.status_code == 200
    assert done.json()["collected_by"] == owner.pk


@pytest.mark.parametrize(
    ("field", "change"),
    [
        ("addressee", {"addressee": ""}),
        ("carrier", {"carrier": ""}),
        ("kind", {"kind": "box"}),
        ("unit", {"unit": None}),
    ],
)
def test_bad_parcel_bodies(world, field, change):
    unit, _ = household_unit(world.a)
    body = {
        "community": world.a.pk,
        "unit": unit.pk,
        "addressee": "王五",
        "carrier": "顺丰",
        **change,
    }
    response = post(world.client("receptionist"), "parcel-list", body)
    assert response.status_code == 400
    assert field in response.json()
    assert not Parcel.objects.exists()


def test_return_note_is_required(world):
    p = parcel(world)
    response = post(world.client("receptionist"), "parcel-return", {"return_note": ""}, pk=p.pk)
    assert response.status_code == 400
    assert "return_note" in response.json()


def test_a_handover_through_the_api(world):
    outgoing = staff("receptionist", world.a, username="out")
    h = handover(world, outgoing=outgoing, incoming=world.user("receptionist"))
    from django.test import Client

    out_client = Client()
    out_client.force_login(outgoing)
    assert post(out_client, "handover-offer", {"signature": SIGN}, pk=h.pk).status_code == 200
    client = world.client("receptionist")
    detail = client.get(reverse("desk-api:handover-detail", args=[h.pk])).json()
    items = [{"id": i["id"], "finding": "ok"} for i in detail["items"]]
    items[0] = {"id": items[0]["id"], "finding": "discrepancy", "note": "少一把"}
    response = post(client, "handover-accept", {"items": items, "signature": SIGN}, pk=h.pk)
    assert response.status_code == 200, response.content
    assert response.json()["status"] == HandoverStatus.ACCEPTED
    assert response.json()["discrepancy_count"] == 1
    listed = (
        world.client("supervisor")
        .get(reverse("desk-api:handover-list") + "?discrepancies=true")
        .json()
    )
    assert [r["id"] for r in listed["results"]] == [h.pk]


def test_not_the_incoming_person_and_not_relieved(world):
    h = handover(world)
    h = services.offer_handover(handover=h, signature=SIGN, by=h.outgoing)
    someone = world.client("receptionist")  # the outgoing person
    items = [{"id": i.pk, "finding": "ok"} for i in h.items.all()]
    response = post(someone, "handover-accept", {"items": items, "signature": SIGN}, pk=h.pk)
    assert response.status_code == 403
    closing = post(someone, "handover-close", {}, pk=h.pk)
    assert closing.status_code == 400
    assert "status" in closing.json()


@pytest.mark.parametrize(
    ("field", "change"),
    [("post", {"post": 10**9}), ("shift", {"shift": 10**9}), ("incoming", {"incoming": 10**9})],
)
def test_bad_handover_openings(world, field, change):
    from .factories import post_and_shift

    p, s = post_and_shift(world)
    body = {
        "post": p.pk,
        "shift": s.pk,
        "incoming": staff("receptionist", world.a, username="in").pk,
        **change,
    }
    response = post(world.client("receptionist"), "handover-list", body)
    assert response.status_code == 400
    assert field in response.json()


def test_a_role_without_the_permission_gets_403(world):
    assert world.client("technician").get(reverse("desk-api:parcel-list")).status_code == 403

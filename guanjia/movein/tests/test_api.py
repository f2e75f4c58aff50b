"""The API: the same services as the pages; every bad body a 400 in the user's language with
nothing changed; a step out of order a 400 with its code; another community's row 404."""

import pytest
from django.urls import reverse
from django.utils import timezone

from ..models import DeliveryBatch, DeliveryStatus
from .factories import SIGN, batch, delivered, notified, ready_for_keys, verified

pytestmark = pytest.mark.django_db


def _post(world, role, name, pk=None, body=None):
    url = reverse(f"movein-api:{name}", kwargs={"pk": pk} if pk else None)
    return world.client(role).post(url, body or {}, content_type="application/json")


def _batch_body(world, **kw):
    day = timezone.localdate().isoformat()
    return {"community": world.a.pk, "name": "二期", "notice_date": day, "counter_from": day,
            "counter_to": day, "counter_hours": "9-17", **kw}  # fmt: skip


def test_a_batch_opened_through_the_api(world):
    response = _post(world, "director", "batch-list", body=_batch_body(world, checked=["takeover"]))
    assert response.status_code == 201
    assert response.json()["takeover_checked_by"] == world.user("director").pk


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": ""}, "name"),
        ({"notice_date": "yesterday"}, "notice_date"),
        ({"counter_to": "2000-01-01"}, "counter_to"),
        ({"checked": ["nonsense"]}, "checked"),
        ({"buildings": [999999]}, "buildings"),
        ({"community": 999999}, "community"),
    ],
)
def test_a_bad_batch_body_is_a_400(world, change, field):
    response = _post(world, "director", "batch-list", body=_batch_body(world, **change))
    assert response.status_code == 400
    assert field in response.json()
    assert not DeliveryBatch.objects.exists()


def test_the_counter_through_the_api(world):
    d = ready_for_keys(world)
    response = _post(
        world, "receptionist", "delivery-keys", d.pk,
        {"count": 3, "description": "钥匙3把", "signature": SIGN},
    )  # fmt: skip
    assert response.status_code == 200
    assert response.json()["status"] == DeliveryStatus.DELIVERED
    again = _post(
        world, "receptionist", "delivery-keys", d.pk,
        {"count": 3, "description": "钥匙3把", "signature": SIGN},
    )  # fmt: skip
    assert again.status_code == 400


@pytest.mark.parametrize(
    ("name", "body", "key"),
    [
        ("delivery-verify", {"verified_as": "king"}, "verified_as"),
        ("delivery-verify", {"verified_as": "agent"}, "attorney_ref"),
        ("delivery-register", {}, "code"),
        ("delivery-fees", {"receipt_no": "x", "prepaid_months": 99}, "prepaid_months"),
        ("delivery-documents", {"signature": ""}, "code"),
        ("delivery-keys", {"count": 0, "description": "", "signature": ""}, "count"),
        ("delivery-cards", {"count": "many"}, "count"),
        ("delivery-refuse", {"reason": ""}, "reason"),
    ],
)
def test_bad_counter_bodies_are_400s_and_nothing_changes(world, name, body, key):
    d = notified(world)
    response = _post(world, "receptionist", name, d.pk, body)
    assert response.status_code == 400, response.content
    assert key in response.json()
    d.refresh_from_db()
    assert d.progress == 0
    assert d.status == DeliveryStatus.NOTIFIED


def test_a_step_out_of_order_says_so(world):
    d = notified(world)
    response = _post(world, "receptionist", "delivery-register", d.pk, {})
    assert response.json()["code"] == "out_of_order"
    assert "请先办理" in response.json()["detail"][0]


def test_defects_through_the_api(world):
    d = delivered(world, defect=True)
    listing = world.client("engineering_lead").get(reverse("movein-api:defect-list"))
    defect_id = listing.json()["results"][0]["id"]
    early = _post(world, "area_manager", "defect-reinspect", defect_id, {"passed": True})
    assert early.status_code == 400
    assert early.json()["code"] == "not_fixed"
    assert (
        _post(world, "engineering_lead", "defect-fixed", defect_id, {"note": ""}).status_code == 400
    )
    assert (
        _post(world, "engineering_lead", "defect-fixed", defect_id, {"note": "修好"}).status_code
        == 200
    )
    wrong = _post(
        world, "area_manager", "defect-reinspect", defect_id,
        {"passed": True, "signer": "别人", "signature": SIGN},
    )  # fmt: skip
    assert "signer" in wrong.json()
    ok = _post(
        world, "area_manager", "defect-reinspect", defect_id,
        {"passed": True, "signer": d.buyer_name, "signature": SIGN},
    )  # fmt: skip
    assert ok.json()["status"] == "signed_off"


def test_a_defect_without_a_description_through_the_api(world):
    d = verified(world)
    assert _post(world, "receptionist", "inspection-start", d.pk).status_code == 200
    response = _post(
        world, "receptionist", "inspection-defect", d.pk,
        {"room": "客厅", "item": "墙面", "description": ""},
    )  # fmt: skip
    assert response.status_code == 400
    assert "description" in response.json()
    assert "photo" in response.json()


def test_another_communitys_delivery_is_404(world):
    d = notified(world, world.b)
    response = _post(world, "receptionist", "delivery-verify", d.pk, {"verified_as": "owner"})
    assert response.status_code == 404


def test_a_filter_that_is_wrong_is_a_400(world):
    batch(world)
    response = world.client("director").get(reverse("movein-api:batch-list"), {"status": "x"})
    assert response.status_code == 400

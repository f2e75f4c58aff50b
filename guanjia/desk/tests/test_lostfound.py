"""Lost and found: registered, claimed with proof and a signature, once."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from guanjia.desk import services
from guanjia.desk.models import FoundItem

from .factories import SIGN

pytestmark = pytest.mark.django_db


def _item(world, **kw):
    args = {"description": "黑色钱包", "found_where": "3栋电梯", "found_by": "保洁王阿姨", **kw}
    return services.register_found_item(community=world.a, by=world.user("receptionist"), **args)


@pytest.mark.parametrize(
    ("field", "change"),
    [
        ("description", {"description": " "}),
        ("found_where", {"found_where": ""}),
        ("found_by", {"found_by": ""}),
        ("found_at", {"found_at": timezone.now() + dt.timedelta(days=1)}),
    ],
)
def test_bad_found_items_are_refused(world, field, change):
    with pytest.raises(ValidationError) as exc:
        _item(world, **change)
    assert field in exc.value.error_dict
    assert not FoundItem.objects.exists()


def test_claimed_with_proof_and_signature_once(world):
    item = _item(world)
    by = world.user("receptionist")
    for field, change in (("claimant_name", {"claimant_name": ""}), ("proof", {"proof": " "}),
                          ("signature", {"signature": ""})):  # fmt: skip
        args = {"claimant_name": "周先生", "proof": "说出证件姓名", "signature": SIGN, **change}
        with pytest.raises(ValidationError) as exc:
            services.claim_found_item(item=item, by=by, **args)
        assert field in exc.value.error_dict
    done = services.claim_found_item(
        item=item, claimant_name="周先生", proof="说出证件姓名", signature=SIGN, by=by
    )
    assert done.claimed_at is not None
    assert done.claim_signature.name
    with pytest.raises(ValidationError) as exc:
        services.claim_found_item(item=item, claimant_name="别人", proof="x", signature=SIGN, by=by)
    assert [e.code for e in exc.value.error_dict["claimant_name"]] == ["claimed"]


def test_a_role_without_the_permission(world):
    with pytest.raises(PermissionDenied):
        services.register_found_item(
            community=world.a, description="伞", found_where="大堂", found_by="保安",
            by=world.user("technician"),
        )  # fmt: skip


def test_the_api_claim_and_the_unclaimed_filter(world):
    item = _item(world)
    client = world.client("receptionist")
    url = reverse("desk-api:found-list") + "?unclaimed=true"
    assert client.get(url).json()["count"] == 1
    bad = client.post(
        reverse("desk-api:found-claim", args=[item.pk]),
        {"claimant_name": "周先生", "proof": "", "signature": SIGN},
        content_type="application/json",
    )
    assert bad.status_code == 400
    ok = client.post(
        reverse("desk-api:found-claim", args=[item.pk]),
        {"claimant_name": "周先生", "proof": "说出证件姓名", "signature": SIGN},
        content_type="application/json",
    )
    assert ok.status_code == 200
    assert client.get(url).json()["count"] == 0

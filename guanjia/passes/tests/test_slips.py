"""Release slips: applied at the desk (owner with ID; tenant with the owner's confirmation;
arrears a warning), released at the gate (items, carrier, plate, signature), partly used,
expired, cancelled."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from guanjia.billing.services import OneOffCharge, post_one_off_charge
from guanjia.core.workflows import WorkflowError
from guanjia.estates.tests.factories import UnitFactory
from guanjia.passes import services
from guanjia.passes.models import ReleaseSlip, SlipStatus

from .factories import SIGN, id_number

pytestmark = pytest.mark.django_db


def _codes(exc):
    return {field: [e.code for e in errors] for field, errors in exc.value.error_dict.items()}


def _apply(world, **kw):
    return services.apply_slip(
        community=kw.pop("community", world.a),
        unit=kw.pop("unit", None) or UnitFactory(community=world.a),
        applicant_name=kw.pop("applicant_name", "张三"),
        applicant_role=kw.pop("applicant_role", "owner"),
        id_number=kw.pop("id_number", None) or id_number(),
        items=kw.pop("items", [("沙发", 1), ("纸箱", 3)]),
        by=kw.pop("by", None) or world.user("receptionist"),
        **kw,
    )


def _release(world, slip, released, **kw):
    return services.release_goods(
        slip=slip,
        released=released,
        carrier_name=kw.pop("carrier_name", "李四"),
        carrier_id=kw.pop("carrier_id", None) or id_number(),
        signature=kw.pop("signature", SIGN),
        plate="渝A12345",
        by=world.user("security"),
        **kw,
    )


def test_an_owners_slip_is_numbered_and_released_in_full(world):
    slip = _apply(world)
    assert slip.number.startswith(f"FXT-{timezone.localdate().year}-")
    assert slip.valid_to == slip.valid_from  # pass.slip_valid_days = 1
    items = list(slip.items.all())
    _release(world, slip, {items[0].pk: 1, items[1].pk: 3})
    slip.refresh_from_db()
    assert slip.status == SlipStatus.USED
    assert (slip.plate, slip.guard) == ("渝A12345", world.user("security"))
    assert "*" in slip.carrier_id_masked
    assert slip.guard_signature.name.endswith(".png")


def test_partly_used_then_the_rest(world):
    slip = _apply(world)
    sofa, boxes = slip.items.all()
    _release(world, slip, {sofa.pk: 1, boxes.pk: 1})
    assert slip.status == SlipStatus.PARTLY_USED
    _release(world, slip, {boxes.pk: 2})
    assert slip.status == SlipStatus.USED
    with pytest.raises(WorkflowError):
        _release(world, slip, {boxes.pk: 1})


def test_items_not_matching_are_not_released(world):
    slip = _apply(world)
    sofa, boxes = slip.items.all()
    for released, code in [
        ({sofa.pk: 0, boxes.pk: 0}, "nothing_released"),
        ({boxes.pk: 4}, "bad_quantity"),
        ({sofa.pk: -1}, "bad_quantity"),
        ({999999: 1}, "unknown_item"),
    ]:
        with pytest.raises(ValidationError) as exc:
            _release(world, slip, released)
        assert _codes(exc) == {"released": [code]}
    with pytest.raises(ValidationError) as exc:
        _release(world, slip, {sofa.pk: 1}, signature="")
    assert _codes(exc) == {"signature": ["no_signature"]}
    with pytest.raises(ValidationError) as exc:
        _release(world, slip, {sofa.pk: 1}, carrier_id="123")
    assert "carrier_id" in _codes(exc)
    slip.refresh_from_db()
    assert slip.status == SlipStatus.ISSUED
    assert [i.released for i in slip.items.all()] == [0, 0]


def test_a_tenant_needs_the_owners_confirmation(world):
    with pytest.raises(ValidationError) as exc:
        _apply(world, applicant_role="tenant")
    assert _codes(exc) == {"owner_confirmation": ["owner_confirmation_required"]}
    slip = _apply(world, applicant_role="tenant", owner_confirmation="业主电话确认 10:20")
    assert slip.owner_confirmation == "业主电话确认 10:20"


@pytest.mark.parametrize(
    ("kwargs", "field", "code"),
    [
        ({"items": []}, "items", "required"),
        ({"items": [("沙发", 0)]}, "items", "bad_quantity"),
        ({"items": [("", 2)]}, "items", "item_required"),
        ({"id_number": "110101199001011234"}, "id_number", "bad_id_checksum"),
        ({"applicant_role": "friend"}, "applicant_role", "invalid"),
        ({"valid_from": dt.date(2000, 1, 1)}, "valid_from", "past"),
    ],
)
def test_bad_slips_are_refused_with_nothing_saved(world, kwargs, field, code):
    with pytest.raises(ValidationError) as exc:
        _apply(world, **kwargs)
    assert _codes(exc) == {field: [code]}
    assert not ReleaseSlip.objects.exists()


def test_arrears_are_a_warning_never_a_block(world):
    unit = UnitFactory(community=world.a)
    charge = OneOffCharge(
        unit_id=unit.pk,
        amount=Decimal("300.00"),
        fee_code="svc",
        fee_name="物业费",
        reference="test:1",
        day=timezone.localdate(),
    )
    post_one_off_charge(community=world.a, charge=charge, by=world.user("cashier"))
    client = world.client("receptionist")
    body = {
        "unit": unit.pk,
        "applicant_name": "张三",
        "applicant_role": "owner",
        "id_number": id_number(),
        "items": "沙发 1\n纸箱 × 3",
    }
    response = client.post(reverse("passes:slip-create"), body, follow=True)
    assert response.status_code == 200
    slip = ReleaseSlip.objects.get()
    assert slip.arrears == Decimal("300.00")
    assert [(i.description, i.quantity) for i in slip.items.all()] == [("沙发", 1), ("纸箱", 3)]
    assert "300.00" in response.text


def test_the_page_refuses_a_line_without_quantity(world):
    client = world.client("receptionist")
    body = {
        "unit": UnitFactory(community=world.a).pk,
        "applicant_name": "张三",
        "applicant_role": "owner",
        "id_number": id_number(),
        "items": "沙发",
    }
    response = client.post(reverse("passes:slip-create"), body)
    assert response.status_code == 400
    assert not ReleaseSlip.objects.exists()


def test_expired_and_cancelled(world):
    slip = _apply(world)
    assert services.expire_slips(community=world.a, today=slip.valid_to) == 0
    assert services.expire_slips(community=world.a, today=slip.valid_to + dt.timedelta(days=1)) == 1
    slip.refresh_from_db()
    assert slip.status == SlipStatus.EXPIRED
    other = _apply(world)
    with pytest.raises(PermissionDenied):
        services.cancel_slip(slip=other, reason="x", by=world.user("security"))
    services.cancel_slip(slip=other, reason="业主取消", by=world.user("receptionist"))
    assert other.status == SlipStatus.CANCELLED
    with pytest.raises(WorkflowError):
        _release(world, other, {other.items.first().pk: 1})


def test_a_slip_for_tomorrow_is_not_released_today(world):
    slip = _apply(world, valid_from=timezone.localdate() + dt.timedelta(days=1))
    with pytest.raises(ValidationError) as exc:
        _release(world, slip, {slip.items.first().pk: 1})
    assert _codes(exc) == {"released": ["slip_expired"]}


def test_a_unit_of_another_community_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        _apply(world, unit=UnitFactory(community=world.b))
    assert _codes(exc) == {"unit": ["other_community"]}

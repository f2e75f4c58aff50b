"""The counter, unit by unit: the steps in their order, each refused twice or too early; the
buyer verified against the list (agent, company, joint owners); the household registered in
estates; the fees a cashier's receipt of the unit; keys with the owner's signature deliver the
unit (estates), and billing charges from the fee start; a refusal opens a complaint."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from guanjia.estates.models import Ownership, UnitEvent, UnitStatus

from .. import services
from ..models import BuyerKind, DefectState, Delivery, DeliveryEvent, DeliveryStatus, VerifiedAs
from .factories import (
    SIGN,
    delivered,
    notified,
    ready_for_keys,
    receipt_for,
    resident_id,
    verified,
)

pytestmark = pytest.mark.django_db
D = DeliveryStatus


def code_of(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return next(iter(exc.error_dict.values()))[0].code
    return str(exc.code)


def test_one_buyer_through_every_step_is_delivered(world):
    d = delivered(world, defect=True)
    d.refresh_from_db()
    assert d.status == D.DELIVERED
    assert d.delivered_on is not None
    assert d.unit.status == UnitStatus.DELIVERED
    assert d.defects == DefectState.OPEN
    assert d.person is not None
    assert d.person.name == "王买家"
    assert Ownership.objects.filter(unit=d.unit, person=d.person, ends_on__isnull=True).exists()
    assert d.keys_count == 3
    assert d.keys_signature
    assert d.progress == 6
    assert d.next_step == "cards"
    actions = list(DeliveryEvent.objects.filter(delivery=d).values_list("action", flat=True))
    assert actions[:3] == ["created", "notified", "verified"]
    assert "keys" in actions
    assert actions[-1] == "delivered"


def test_cards_after_the_keys_free_ones_by_the_policy(world):
    d = delivered(world)
    d = services.issue_cards(delivery=d, count=3, by=world.user("receptionist"))
    assert (d.cards_free, d.cards_extra) == (2, 1)


@pytest.mark.parametrize("step", ["registered", "fees", "keys", "cards"])
def test_a_step_before_the_ones_it_needs_is_refused(world, step):
    d = notified(world)
    rec = world.user("receptionist")
    calls = {
        "registered": lambda: services.register_household(delivery=d, by=rec),
        "fees": lambda: services.record_fees(delivery=d, receipt_no="X", prepaid_months=1, by=rec),
        "keys": lambda: services.hand_over_keys(
            delivery=d, count=1, description="钥匙", signature=SIGN, by=rec
        ),
        "cards": lambda: services.issue_cards(delivery=d, count=1, by=rec),
    }
    with pytest.raises(ValidationError) as exc:
        calls[step]()
    assert code_of(exc.value) == "out_of_order"
    d.refresh_from_db()
    assert d.progress == 0


def test_keys_before_the_inspection_is_signed_are_refused(world):
    d = verified(world)
    rec = world.user("receptionist")
    services.register_household(delivery=d, by=rec)
    services.record_fees(
        delivery=d, receipt_no=receipt_for(world, d.unit).number, prepaid_months=0, by=rec
    )
    services.sign_documents(delivery=d, signature=SIGN, by=rec)
    with pytest.raises(ValidationError) as exc:
        services.hand_over_keys(delivery=d, count=2, description="钥匙", signature=SIGN, by=rec)
    assert code_of(exc.value) == "out_of_order"
    assert "联合验房" in str(exc.value) or "Joint inspection" in str(exc.value)
    d.unit.refresh_from_db()
    assert d.unit.status == UnitStatus.NOTIFIED


def test_keys_handed_over_twice_are_refused(world):
    d = delivered(world)
    with pytest.raises(ValidationError):
        services.hand_over_keys(
            delivery=d, count=1, description="钥匙", signature=SIGN, by=world.user("receptionist")
        )
    assert UnitEvent.objects.filter(unit=d.unit, to_status=UnitStatus.DELIVERED).count() == 1


def test_a_step_done_twice_is_refused(world):
    d = verified(world)
    with pytest.raises(ValidationError) as exc:
        services.verify_buyer(
            delivery=d, verified_as=VerifiedAs.OWNER, id_number="", by=world.user("receptionist")
        )
    assert code_of(exc.value) == "done"


@pytest.mark.parametrize(
    ("kw", "field", "code"),
    [
        ({"keys": 0}, "count", "invalid"),
        ({"description": " "}, "description", "required"),
        ({"signature": ""}, "signature", "no_signature"),
    ],
)
def test_bad_keys_are_refused_and_the_unit_not_delivered(world, kw, field, code):
    d = ready_for_keys(world)
    args = {"count": kw.get("keys", 2), "description": kw.get("description", "钥匙2把"),
            "signature": kw.get("signature", SIGN)}  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        services.hand_over_keys(delivery=d, by=world.user("receptionist"), **args)
    assert [e.code for e in exc.value.error_dict[field]] == [code]
    d.refresh_from_db()
    assert d.status == D.NOTIFIED
    assert d.keys_at is None


def test_the_id_number_must_be_the_one_on_the_list(world):
    d = notified(world, id_number=resident_id(5))
    with pytest.raises(ValidationError) as exc:
        services.verify_buyer(
            delivery=d, verified_as=VerifiedAs.OWNER, id_number=resident_id(6),
            by=world.user("receptionist"),
        )  # fmt: skip
    assert code_of(exc.value) == "mismatch"
    d.refresh_from_db()
    assert d.verified_at is None


def test_an_agent_needs_the_power_of_attorney(world):
    d = notified(world)
    rec = world.user("receptionist")
    with pytest.raises(ValidationError) as exc:
        services.verify_buyer(delivery=d, verified_as=VerifiedAs.AGENT, id_number="", by=rec)
    assert "attorney_ref" in exc.value.error_dict
    d = services.verify_buyer(
        delivery=d, verified_as=VerifiedAs.AGENT, id_number="", attorney_ref="(2026)京证字1号",
        by=rec,
    )  # fmt: skip
    assert d.verified_as == VerifiedAs.AGENT


def test_joint_owners_not_all_present_need_a_written_authorisation(world):
    d = notified(world, joint_owners="李四")
    number = resident_id(7)
    d = notified(world, joint_owners="李四", id_number=number)
    with pytest.raises(ValidationError) as exc:
        services.verify_buyer(
            delivery=d, verified_as=VerifiedAs.OWNER, id_number=number,
            all_owners_present=False, by=world.user("receptionist"),
        )  # fmt: skip
    assert "attorney_ref" in exc.value.error_dict


def test_a_company_buyer_comes_as_its_contact_person(world):
    person = notified(world)
    with pytest.raises(ValidationError) as exc:
        services.verify_buyer(
            delivery=person, verified_as=VerifiedAs.COMPANY, id_number="",
            by=world.user("receptionist"),
        )  # fmt: skip
    assert code_of(exc.value) == "not_company"
    company = notified(
        world, buyer_name="某某科技有限公司", buyer_kind=BuyerKind.COMPANY,
        contact_person="赵经理", id_number="",
    )  # fmt: skip
    company = services.verify_buyer(
        delivery=company, verified_as=VerifiedAs.COMPANY, id_number="",
        by=world.user("receptionist"),
    )  # fmt: skip
    company = services.register_household(delivery=company, by=world.user("receptionist"))
    assert company.person.kind == "organisation"
    assert company.person.contact_person == "赵经理"


@pytest.mark.parametrize(
    ("months", "receipt", "code"),
    [
        (4, "own", "too_many"),
        (-1, "own", "too_many"),
        (1, "none", "unknown"),
        (1, "blank", "required"),
        (1, "other", "other_unit"),
    ],
)
def test_bad_fees_are_refused(world, months, receipt, code):
    d = verified(world)
    rec = world.user("receptionist")
    services.register_household(delivery=d, by=rec)
    from guanjia.estates.tests.factories import UnitFactory

    number = {
        "own": lambda: receipt_for(world, d.unit).number,
        "none": lambda: "NO-SUCH",
        "blank": lambda: " ",
        "other": lambda: receipt_for(world, UnitFactory(community=world.a)).number,
    }[receipt]()
    with pytest.raises(ValidationError) as exc:
        services.record_fees(delivery=d, receipt_no=number, prepaid_months=months, by=rec)
    assert code_of(exc.value) == code
    d.refresh_from_db()
    assert d.fees_at is None


def test_the_cashier_reads_but_does_not_serve_at_the_counter(world):
    d = notified(world)
    with pytest.raises(PermissionDenied):
        services.verify_buyer(
            delivery=d, verified_as=VerifiedAs.OWNER, id_number="", by=world.user("cashier")
        )


def test_a_refusal_records_the_dispute_and_opens_a_complaint(world):
    from guanjia.tickets.models import Complaint

    d = notified(world)
    with pytest.raises(ValidationError):
        services.refuse_delivery(delivery=d, reason=" ", by=world.user("receptionist"))
    assert not Complaint.objects.exists()
    d = services.refuse_delivery(delivery=d, reason="客厅墙体渗水", by=world.user("receptionist"))
    assert d.status == D.REFUSED
    assert d.refusal_reason == "客厅墙体渗水"
    complaint = Complaint.objects.get()
    assert d.complaint_number == complaint.number
    assert "客厅墙体渗水" in complaint.request.content
    d.unit.refresh_from_db()
    assert d.unit.status == UnitStatus.REFUSED
    # No delivery event: billing does not start the fees.
    assert not UnitEvent.objects.filter(
        unit=d.unit, to_status__in=[UnitStatus.DELIVERED, UnitStatus.DEEMED_DELIVERED]
    ).exists()
    with pytest.raises(ValidationError):
        services.refuse_delivery(delivery=d, reason="again", by=world.user("receptionist"))


def test_billing_charges_a_mid_month_delivery_from_the_fee_start(world):
    from guanjia.billing.services import preview_run
    from guanjia.billing.tests.factories import FeeStandardFactory, FeeStandardVersionFactory
    from guanjia.cashier.tests.factories import item

    fee = item(world.a, "MGMT", "物业服务费")
    standard = FeeStandardFactory(community=world.a, fee_item=fee, name="住宅")
    FeeStandardVersionFactory(standard=standard, rate=Decimal("2.5"))
    with time_machine.travel(dt.datetime(2024, 2, 10, 2, tzinfo=dt.UTC), tick=False):
        d = delivered(world)
    assert d.delivered_on == dt.date(2024, 2, 10)
    with time_machine.travel(dt.datetime(2024, 3, 20, 2, tzinfo=dt.UTC), tick=False):
        preview = preview_run(community=world.a, period=dt.date(2024, 2, 1), fee_item=fee)
    line = next(line for line in preview.lines if line.unit_id == d.unit_id)
    # 89.50 m² × 2.50 = 223.75 a month; half-month rule: from the 15th, 15 of 29 days.
    assert line.amount == Decimal("115.73")
    assert int(line.amount * 100) == 11573  # fen
    assert Delivery.objects.get(pk=d.pk).status == D.DELIVERED

"""Passes: issue by type with fee, deposit and validity by policy, one person one pass,
renew, change, return and refund, forfeit, lost and reissue, confiscate, expire."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from guanjia.accounts.tests.factories import staff
from guanjia.billing.models import LedgerEntry, UnitBalance
from guanjia.core.workflows import WorkflowError
from guanjia.estates.tests.factories import UnitFactory
from guanjia.passes import services
from guanjia.passes.models import GroupStatus, Pass, PassKind, PassStatus

from .factories import group, id_number, issue, photo

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def _codes(exc):
    return {field: [e.code for e in errors] for field, errors in exc.value.error_dict.items()}


def _deposit_held(unit):
    return sum((b.deposit for b in UnitBalance.objects.filter(unit=unit)), Decimal("0"))


def test_a_worker_pass_takes_its_fee_and_deposit_by_policy(world):
    p = issue(world, kind=PassKind.WORKER_LONG)
    assert p.number.startswith(f"CRZ-{TODAY().year}-")
    assert (p.fee, p.deposit, p.status) == (Decimal("5.00"), Decimal("20.00"), "issued")
    assert p.valid_to == TODAY() + dt.timedelta(days=29)
    assert p.id_number_masked.startswith("1101")
    assert "*" in p.id_number_masked
    fee = LedgerEntry.objects.get(unit=p.unit, bill_ref=f"pass:{p.pk}:fee")
    assert (fee.kind, fee.amount) == ("charge", Decimal("5.00"))
    deposit = LedgerEntry.objects.get(unit=p.unit, bill_ref=f"pass:{p.pk}:deposit")
    assert (deposit.kind, deposit.amount) == ("deposit_in", Decimal("-20.00"))
    assert _deposit_held(p.unit) == Decimal("20.00")
    assert [e.to_status for e in p.events.all()] == ["issued"]


def test_short_worker_service_tenant_and_resident_rules(world):
    short = issue(world, kind=PassKind.WORKER_SHORT)
    assert short.valid_to == TODAY() + dt.timedelta(days=14)
    service = issue(world, kind=PassKind.SERVICE)
    assert (service.fee, service.deposit) == (Decimal("5.00"), Decimal("50.00"))
    assert service.valid_to <= dt.date(TODAY().year, 12, 31)  # never across the year end
    with pytest.raises(ValidationError) as exc:
        issue(world, kind=PassKind.TENANT)
    assert _codes(exc) == {"valid_to": ["required"]}
    tenant = issue(world, kind=PassKind.TENANT, valid_to=TODAY() + dt.timedelta(days=100))
    assert (tenant.fee, tenant.deposit) == (Decimal("10.00"), Decimal("0.00"))
    unit = UnitFactory(community=world.a)
    cards = [issue(world, kind=PassKind.RESIDENT, unit=unit) for _ in range(4)]
    assert [c.fee for c in cards] == [0, 0, 0, Decimal("10.00")]  # three free per unit


def test_one_person_one_pass(world):
    number = id_number()
    first = issue(world, id_number=number)
    with pytest.raises(ValidationError) as exc:
        issue(world, id_number=number, kind=PassKind.SERVICE)
    assert _codes(exc) == {"id_number": ["one_pass"]}
    assert first.number in str(exc.value)
    assert Pass.objects.count() == 1
    # the same person in another community is another community's business
    assert issue(world, world.b, id_number=number).community == world.b


@pytest.mark.parametrize(
    ("kwargs", "field", "code"),
    [
        ({"id_number": "110101199001011234"}, "id_number", "bad_id_checksum"),
        ({"id_number": "12345"}, "id_number", "bad_id_format"),
        ({"id_number": " "}, "id_number", "required"),
        ({"holder_name": ""}, "holder_name", "required"),
        ({"photo": None}, "photo", "required"),
        ({"kind": "staff"}, "kind", "invalid"),
        ({"valid_to": dt.date(2000, 1, 1)}, "valid_to", "end_before_start"),
        ({"valid_from": dt.date(2000, 1, 1)}, "valid_from", "past"),
    ],
)
def test_bad_input_is_refused_with_nothing_saved(world, kwargs, field, code):
    with pytest.raises(ValidationError) as exc:
        issue(world, **kwargs)
    assert _codes(exc) == {field: [code]}
    assert not Pass.objects.exists()
    assert not LedgerEntry.objects.exists()


def test_too_long_a_validity_and_a_disguised_photo_are_refused(world):
    with pytest.raises(ValidationError) as exc:
        issue(world, kind=PassKind.WORKER_SHORT, valid_to=TODAY() + dt.timedelta(days=40))
    assert _codes(exc) == {"valid_to": ["too_long"]}
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("face.jpg", b"%PDF-1.4 not a picture", content_type="image/jpeg")
    with pytest.raises(ValidationError) as exc:
        issue(world, photo=fake)
    assert _codes(exc) == {"photo": ["file_content_mismatch"]}
    assert not Pass.objects.exists()


def test_unit_or_group_of_another_community_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        issue(world, unit=UnitFactory(community=world.b))
    assert _codes(exc) == {"unit": ["other_community"]}
    with pytest.raises(ValidationError) as exc:
        issue(world, group=group(world, world.b))
    assert _codes(exc) == {"group": ["other_community"]}


def test_a_suspended_groups_gets_no_new_pass(world):
    g = group(world)
    services.suspend_group(g, reason="违规施工", by=world.user("security"))
    with pytest.raises(ValidationError) as exc:
        issue(world, group=g)
    assert _codes(exc) == {"group": ["group_not_active"]}


def test_roles_without_the_permission_are_refused(world):
    with pytest.raises(PermissionDenied):
        issue(world, by=world.user("area_manager"))
    with pytest.raises(PermissionDenied):
        issue(world, by=staff("receptionist", world.b, username="b-desk"))


def test_a_visitor_slip_needs_the_host_called(world):
    guard = world.user("security")
    with pytest.raises(ValidationError) as exc:
        issue(world, kind=PassKind.VISITOR, by=guard)
    assert _codes(exc) == {"host_called": ["host_not_called"]}
    slip = issue(world, kind=PassKind.VISITOR, by=guard, host_called=True)
    assert (slip.valid_from, slip.valid_to, slip.fee, slip.deposit) == (TODAY(), TODAY(), 0, 0)


def test_renew_extends_and_charges_the_fee_again(world):
    p = issue(world, kind=PassKind.WORKER_SHORT)
    new_end = p.valid_to + dt.timedelta(days=10)
    services.renew_pass(pass_obj=p, valid_to=new_end, by=world.user("receptionist"))
    p.refresh_from_db()
    assert p.valid_to == new_end
    assert p.events.filter(action="renewed").count() == 1
    assert LedgerEntry.objects.filter(unit=p.unit, kind="charge").count() == 2
    with pytest.raises(ValidationError) as exc:
        services.renew_pass(pass_obj=p, valid_to=p.valid_to, by=world.user("receptionist"))
    assert _codes(exc) == {"valid_to": ["end_before_start"]}


def test_change_moves_the_pass_to_another_unit_with_an_event(world):
    p = issue(world)
    other = UnitFactory(community=world.a)
    services.change_pass(pass_obj=p, unit=other, by=world.user("receptionist"))
    p.refresh_from_db()
    assert p.unit == other
    assert p.events.get(action="changed").data["unit"].endswith(other.room_code)
    with pytest.raises(ValidationError) as exc:
        services.change_pass(
            pass_obj=p, unit=UnitFactory(community=world.b), by=world.user("receptionist")
        )
    assert _codes(exc) == {"unit": ["other_community"]}


def test_returned_in_time_the_deposit_is_refunded_once(world):
    p = issue(world)
    services.return_pass(pass_obj=p, by=world.user("receptionist"))
    assert p.status == PassStatus.RETURNED
    cashier = world.user("cashier")
    services.refund_deposit(pass_obj=p, by=cashier)
    p.refresh_from_db()
    assert (p.status, p.deposit_refunded) == (PassStatus.REFUNDED, Decimal("20.00"))
    assert _deposit_held(p.unit) == 0
    with pytest.raises(ValidationError) as exc:
        services.refund_deposit(pass_obj=p, by=cashier)
    assert _codes(exc) == {"amount": ["already_refunded"]}
    assert LedgerEntry.objects.filter(kind="deposit_out").count() == 1


def test_a_refund_above_what_is_held_or_of_nothing_is_refused(world):
    p = issue(world)
    services.return_pass(pass_obj=p, by=world.user("receptionist"))
    cashier = world.user("cashier")
    for amount, code in [(Decimal("20.01"), "above_held"), (Decimal("0"), "bad_amount")]:
        with pytest.raises(ValidationError) as exc:
            services.refund_deposit(pass_obj=p, amount=amount, by=cashier)
        assert _codes(exc) == {"amount": [code]}
    with pytest.raises(ValidationError) as exc:
        services.refund_deposit(pass_obj=p, amount=Decimal("15"), by=cashier)
    assert _codes(exc) == {"note": ["reason_required"]}
    p.refresh_from_db()
    assert p.status == PassStatus.RETURNED
    assert _deposit_held(p.unit) == Decimal("20.00")
    services.refund_deposit(pass_obj=p, amount=Decimal("15"), note="卡面损坏", by=cashier)
    assert p.deposit_refunded == Decimal("15.00")
    assert _deposit_held(p.unit) == 0


def test_no_deposit_to_refund_and_refund_before_return_are_refused(world):
    tenant = issue(world, kind=PassKind.TENANT, valid_to=TODAY() + dt.timedelta(days=30))
    services.return_pass(pass_obj=tenant, by=world.user("receptionist"))
    with pytest.raises(ValidationError) as exc:
        services.refund_deposit(pass_obj=tenant, by=world.user("cashier"))
    assert _codes(exc) == {"amount": ["no_deposit"]}
    out = issue(world)
    with pytest.raises(WorkflowError):
        services.refund_deposit(pass_obj=out, by=world.user("cashier"))
    with pytest.raises(PermissionDenied):
        services.refund_deposit(pass_obj=out, by=world.user("receptionist"))


def test_returned_after_the_window_the_deposit_is_forfeited(world):
    p = issue(world, kind=PassKind.WORKER_SHORT)
    late = p.valid_to + dt.timedelta(days=8)  # window: 7 days
    services.return_pass(pass_obj=p, on=late, by=world.user("receptionist"))
    p.refresh_from_db()
    assert p.status == PassStatus.FORFEITED
    assert p.deposit_refunded == 0
    assert [e.to_status for e in p.events.all()] == ["issued", "returned", "forfeited"]
    assert _deposit_held(p.unit) == 0
    with pytest.raises(WorkflowError):
        services.refund_deposit(pass_obj=p, by=world.user("cashier"))


def test_expiry_then_forfeiture_after_the_window(world):
    p = issue(world, kind=PassKind.WORKER_SHORT)
    after = p.valid_to + dt.timedelta(days=1)
    assert services.expire_passes(community=world.a, today=after) == {
        "expired": 1,
        "forfeited": 0,
    }
    p.refresh_from_db()
    assert p.status == PassStatus.EXPIRED
    assert services.expire_passes(community=world.a, today=after) == {"expired": 0, "forfeited": 0}
    later = p.valid_to + dt.timedelta(days=9)
    assert services.expire_passes(community=world.a, today=later)["forfeited"] == 1
    p.refresh_from_db()
    assert p.status == PassStatus.FORFEITED
    assert _deposit_held(p.unit) == 0


def test_lost_then_reissued_with_a_new_number(world):
    p = issue(world)
    desk = world.user("receptionist")
    services.report_lost(pass_obj=p, by=desk, note="电话挂失")
    assert p.status == PassStatus.LOST
    assert _deposit_held(p.unit) == 0
    new = services.reissue_pass(pass_obj=p, by=desk)
    p.refresh_from_db()
    assert p.status == PassStatus.REISSUED
    assert new.number != p.number
    assert new.replaces == p
    assert (new.fee, new.deposit, new.valid_to) == (Decimal("10.00"), Decimal("20.00"), p.valid_to)
    assert new.id_number_hash == p.id_number_hash
    assert new.photo.name == p.photo.name
    with pytest.raises(WorkflowError):
        services.reissue_pass(pass_obj=p, by=desk)


def test_confiscated_by_security_with_a_reason(world):
    p = issue(world)
    guard = world.user("security")
    with pytest.raises(ValidationError) as exc:
        services.confiscate_pass(pass_obj=p, reason=" ", by=guard)
    assert _codes(exc) == {"reason": ["required"]}
    services.confiscate_pass(pass_obj=p, reason="转借他人", by=guard)
    assert p.status == PassStatus.CONFISCATED
    assert _deposit_held(p.unit) == 0
    ev = p.events.last()
    assert (ev.actor, ev.note) == (guard, "转借他人")


def test_groups_suspend_resume_close_with_events(world):
    g = group(world)
    guard = world.user("security")
    with pytest.raises(ValidationError) as exc:
        services.suspend_group(g, reason="", by=guard)
    assert _codes(exc) == {"reason": ["required"]}
    services.suspend_group(g, reason="停工整改", by=guard)
    assert (g.status, g.reason) == (GroupStatus.SUSPENDED, "停工整改")
    services.resume_group(g, by=guard)
    assert (g.status, g.reason) == (GroupStatus.ACTIVE, "")
    services.close_group(g, by=world.user("receptionist"))
    assert g.status == GroupStatus.CLOSED
    assert [e.to_status for e in g.events.all()] == ["active", "suspended", "active", "closed"]
    with pytest.raises(WorkflowError):
        services.resume_group(g, by=guard)
    with pytest.raises(PermissionDenied):
        services.open_group(community=world.a, kind="renovation", name="x", by=guard)


def test_a_photo_too_large_is_refused(world):
    big = photo()
    big.size = 5 * 1024 * 1024
    with pytest.raises(ValidationError) as exc:
        issue(world, photo=big)
    assert _codes(exc) == {"photo": ["too_large"]}

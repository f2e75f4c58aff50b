"""Keys: the register, authorised collectors, loans signed out and back, overdue, overnight."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from guanjia.desk import services
from guanjia.desk.models import Key, KeyHolding, KeyLoan
from guanjia.desk.selectors import overdue_loans
from guanjia.estates.tests.factories import UnitFactory

from .factories import SIGN, collector, key, loan

pytestmark = pytest.mark.django_db


def _codes(exc):
    return {field: [e.code for e in errors] for field, errors in exc.value.error_dict.items()}


def test_a_key_is_registered_in_its_slot(world):
    k = key(world, cabinet_slot="B-01", count=2)
    assert (k.cabinet_slot, k.count, k.holding) == ("B-01", 2, KeyHolding.OFFICE)


def test_an_owners_spare_needs_its_sealed_envelope_number(world):
    with pytest.raises(ValidationError) as exc:
        key(world, holding=KeyHolding.DEPOSITED)
    assert _codes(exc) == {"envelope_no": ["required"]}
    assert key(world, holding=KeyHolding.DEPOSITED, envelope_no="F-0012").envelope_no == "F-0012"


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("cabinet_slot", {"cabinet_slot": "  "}),
        ("holding", {"holding": "lost"}),
        ("kind", {"kind": "car"}),
        ("count", {"count": 0}),
        ("count", {"count": 100}),
    ],
)
def test_bad_key_fields_are_refused(world, field, kwargs):
    with pytest.raises(ValidationError) as exc:
        key(world, **kwargs)
    assert field in exc.value.error_dict
    assert not Key.objects.exists()


def test_a_taken_slot_and_a_unit_of_another_community_are_refused(world):
    key(world, cabinet_slot="C-1")
    with pytest.raises(ValidationError) as exc:
        key(world, cabinet_slot="C-1")
    assert _codes(exc) == {"cabinet_slot": ["slot_taken"]}
    with pytest.raises(ValidationError) as exc:
        key(world, unit=UnitFactory(community=world.b))
    assert "unit" in exc.value.error_dict


def test_a_role_without_the_permission_cannot_register(world):
    with pytest.raises(PermissionDenied):
        key(world, by=world.user("technician"))


def test_a_loan_is_signed_and_due_back_at_the_end_of_desk_hours(world):
    now = dt.datetime(2026, 5, 4, 10, 0, tzinfo=timezone.get_current_timezone())
    out = loan(world, now=now)
    assert out.out_signature.name.startswith("desk/signatures/")
    assert timezone.localtime(out.due_at).time() == dt.time(20, 0)
    assert timezone.localtime(out.due_at).date() == dt.date(2026, 5, 4)


def test_after_hours_a_loan_is_due_by_midnight(world):
    now = dt.datetime(2026, 5, 4, 21, 30, tzinfo=timezone.get_current_timezone())
    assert timezone.localtime(loan(world, now=now).due_at).time() == dt.time(23, 59, 59)


def test_a_key_already_out_is_refused_and_the_open_loan_stays(world):
    first = loan(world)
    c = collector(world, first.key, name="钱七")
    with pytest.raises(ValidationError) as exc:
        services.lend_key(
            key=first.key,
            collector=c,
            purpose="维修",
            signature=SIGN,
            by=world.user("receptionist"),
        )
    assert _codes(exc) == {"key": ["key_out"]}
    assert list(KeyLoan.objects.values_list("pk", flat=True)) == [first.pk]


@pytest.mark.parametrize(
    ("field", "change"),
    [
        ("purpose", {"purpose": " "}),
        ("signature", {"signature": ""}),
        ("signature", {"signature": "data:image/png;base64,bm90IGEgcG5n"}),
        ("collector", {"collector": None}),
    ],
)
def test_bad_loan_fields_are_refused(world, field, change):
    k = key(world)
    args = {"collector": collector(world, k), "purpose": "看房", "signature": SIGN, **change}
    with pytest.raises(ValidationError) as exc:
        services.lend_key(key=k, by=world.user("receptionist"), **args)
    assert field in exc.value.error_dict
    assert not KeyLoan.objects.exists()


def test_only_an_authorised_collector_of_this_key(world):
    k, other = key(world), key(world)
    with pytest.raises(ValidationError) as exc:
        services.lend_key(
            key=k, collector=collector(world, other), purpose="看房", signature=SIGN,
            by=world.user("receptionist"),
        )  # fmt: skip
    assert _codes(exc) == {"collector": ["not_authorised"]}


def test_a_staff_member_of_the_community_may_borrow(world):
    k = key(world)
    tech = world.user("technician")
    out = services.lend_key(
        key=k, staff=tech, purpose="维修", signature=SIGN, by=world.user("receptionist")
    )
    assert out.staff == tech


def test_return_and_a_second_return(world):
    out = loan(world)
    back = services.return_key(loan=out, signature=SIGN, by=world.user("receptionist"))
    assert back.returned_at
    assert back.return_signature.name
    with pytest.raises(ValidationError) as exc:
        services.return_key(loan=out, signature=SIGN, by=world.user("receptionist"))
    assert _codes(exc) == {"loan": ["returned"]}


def test_overdue_list_and_overnight_approval(world):
    past = timezone.now() - dt.timedelta(days=1)
    out = loan(world, now=past)
    assert list(overdue_loans(world.a)) == [out]
    until = timezone.now() + dt.timedelta(hours=12)
    with pytest.raises(PermissionDenied):
        services.approve_overnight(loan=out, until=until, by=world.user("receptionist"))
    with pytest.raises(ValidationError):
        services.approve_overnight(loan=out, until=past, by=world.user("supervisor"))
    services.approve_overnight(loan=out, until=until, by=world.user("supervisor"))
    assert list(overdue_loans(world.a)) == []


def test_collector_fields(world):
    k = key(world)
    with pytest.raises(ValidationError) as exc:
        services.add_collector(key=k, name=" ", by=world.user("receptionist"))
    assert "name" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        services.add_collector(key=k, name="李四", id_last4="12", by=world.user("receptionist"))
    assert "id_last4" in exc.value.error_dict

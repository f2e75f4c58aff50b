"""Mail and parcels: registered, the household told by SMS, collected by the household only,
held too long listed and returned."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from guanjia.core.notifications.models import OutboundMessage
from guanjia.desk import services
from guanjia.desk.models import Parcel
from guanjia.desk.selectors import parcels_held_too_long
from guanjia.estates.tests.factories import OccupancyFactory, UnitFactory

from .factories import SIGN, household_unit, other_person, parcel

pytestmark = pytest.mark.django_db


def test_registered_and_the_household_is_texted(world, django_capture_on_commit_callbacks):
    unit, owner = household_unit(world.a)
    with django_capture_on_commit_callbacks(execute=True):
        p = parcel(world, unit=unit)
    assert p.notified_at is not None
    message = OutboundMessage.objects.get()
    assert (message.channel, message.to, message.status) == ("sms", owner.mobile, "sent")
    assert unit.room_code in message.text
    assert message.recipient is None


def test_a_unit_without_a_mobile_on_file_is_not_told(world):
    p = parcel(world, unit=UnitFactory(community=world.a))
    assert p.notified_at is None
    assert not OutboundMessage.objects.exists()


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [("addressee", {"addressee": " "}), ("carrier", {"carrier": ""}), ("kind", {"kind": "box"})],
)
def test_bad_parcel_fields_are_refused(world, field, kwargs):
    with pytest.raises(ValidationError) as exc:
        parcel(world, **kwargs)
    assert field in exc.value.error_dict
    assert not Parcel.objects.exists()


def test_a_unit_of_another_community_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        parcel(world, unit=UnitFactory(community=world.b))
    assert "unit" in exc.value.error_dict


def test_collected_with_a_signature_by_the_household(world):
    unit, _owner = household_unit(world.a)
    tenant = OccupancyFactory(unit=unit).person
    p = parcel(world, unit=unit)
    done = services.collect_parcel(
        parcel=p, person=tenant, signature=SIGN, by=world.user("receptionist")
    )
    assert done.collected_by == tenant
    assert done.signature.name
    assert done.collected_at


def test_collecting_for_another_household_is_refused(world):
    p = parcel(world)
    stranger = household_unit(world.a)[1]
    with pytest.raises(ValidationError) as exc:
        services.collect_parcel(
            parcel=p, person=stranger, signature=SIGN, by=world.user("receptionist")
        )
    assert [e.code for e in exc.value.error_dict["collected_by"]] == ["other_household"]
    p.refresh_from_db()
    assert p.collected_at is None
    assert not p.signature


def test_collecting_needs_a_signature_and_a_held_item(world):
    unit, owner = household_unit(world.a)
    p = parcel(world, unit=unit)
    with pytest.raises(ValidationError) as exc:
        services.collect_parcel(parcel=p, person=owner, signature="", by=world.user("receptionist"))
    assert "signature" in exc.value.error_dict
    services.collect_parcel(parcel=p, person=owner, signature=SIGN, by=world.user("receptionist"))
    with pytest.raises(ValidationError) as exc:
        services.collect_parcel(
            parcel=p, person=owner, signature=SIGN, by=world.user("receptionist")
        )
    assert [e.code for e in exc.value.error_dict["collected_by"]] == ["collected"]


def test_held_too_long_is_listed_and_returned(world):
    old = parcel(world, now=timezone.now() - dt.timedelta(days=15))
    parcel(world)
    assert list(parcels_held_too_long(world.a)) == [old]
    with pytest.raises(ValidationError) as exc:
        services.return_parcel(parcel=old, note=" ", by=world.user("receptionist"))
    assert "return_note" in exc.value.error_dict
    services.return_parcel(parcel=old, note="退回顺丰", by=world.user("receptionist"))
    assert list(parcels_held_too_long(world.a)) == []
    with pytest.raises(ValidationError):
        services.return_parcel(parcel=old, note="again", by=world.user("receptionist"))


def test_a_role_without_the_permission(world):
    p = parcel(world)
    with pytest.raises(PermissionDenied):
        services.return_parcel(parcel=p, note="x", by=world.user("technician"))
    with pytest.raises(PermissionDenied):
        services.collect_parcel(
            parcel=p, person=other_person(world.a), signature=SIGN, by=world.user("security")
        )

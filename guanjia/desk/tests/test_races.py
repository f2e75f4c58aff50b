"""Several desks at once, on PostgreSQL: one key goes out once, one parcel is collected once,
one handover is accepted once."""

import pytest
from django.core.exceptions import ValidationError

from guanjia.accounts.tests.factories import staff
from guanjia.core.tests.factories import CommunityFactory
from guanjia.core.tests.races import at_once, postgres_only
from guanjia.desk import services
from guanjia.desk.models import Key, KeyHolding, KeyLoan, Parcel
from guanjia.estates.tests.factories import OwnershipFactory, UnitFactory

from .factories import SIGN


def field_code(act):
    """`at_once` reads `exc.code`, which a field-keyed ValidationError does not have: pass on
    the field's code instead."""

    def wrapped(actor) -> None:
        try:
            act(actor)
        except ValidationError as exc:
            codes = [e.code for errors in exc.error_dict.values() for e in errors]
            raise ValidationError("refused", code=codes[0]) from None

    return wrapped


pytestmark = [pytest.mark.postgres, postgres_only, pytest.mark.django_db(transaction=True)]


def test_six_desks_lending_one_key_at_once_lend_it_once():
    community = CommunityFactory()
    people = [staff("receptionist", community) for _ in range(6)]
    key = services.register_key(
        community=community,
        unit=UnitFactory(community=community),
        holding=KeyHolding.OFFICE,
        cabinet_slot="R-1",
        by=people[0],
    )

    def lend(person) -> None:
        services.lend_key(
            key=Key.objects.get(pk=key.pk), staff=person, purpose="维修", signature=SIGN, by=person
        )

    assert at_once(people, field_code(lend), done="lent") == ["key_out"] * 5 + ["lent"]
    assert KeyLoan.objects.filter(key=key, returned_at__isnull=True).count() == 1


def test_six_desks_handing_one_parcel_over_at_once_hand_it_over_once():
    community = CommunityFactory()
    people = [staff("receptionist", community) for _ in range(6)]
    owner = OwnershipFactory(unit=UnitFactory(community=community))
    parcel = services.register_parcel(
        community=community, unit=owner.unit, addressee="王五", carrier="顺丰", by=people[0]
    )

    def collect(person) -> None:
        services.collect_parcel(
            parcel=Parcel.objects.get(pk=parcel.pk), person=owner.person, signature=SIGN, by=person
        )

    # Refused with the code "collected" (already collected), done once ("handed").
    assert at_once(people, field_code(collect), done="handed") == ["collected"] * 5 + ["handed"]
    assert Parcel.objects.get(pk=parcel.pk).handed_by is not None

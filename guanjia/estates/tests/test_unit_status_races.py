"""Eight people moving one unit at once: the workflow's row lock lets exactly one move."""

import pytest

from guanjia.accounts.tests.factories import staff
from guanjia.core.tests.factories import CommunityFactory
from guanjia.core.tests.races import at_once, postgres_only
from guanjia.estates import services
from guanjia.estates.models import Unit, UnitEvent, UnitStatus

from .factories import UnitFactory


@pytest.mark.postgres
@postgres_only
@pytest.mark.django_db(transaction=True)
def test_eight_people_delivering_one_unit_at_once_move_it_once():
    community = CommunityFactory()
    unit = UnitFactory(community=community, status=UnitStatus.NOTIFIED)
    people = [staff("receptionist", community) for _ in range(8)]

    def deliver(person) -> None:
        services.change_unit_status(
            unit=Unit.objects.get(pk=unit.pk), to=UnitStatus.DELIVERED, by=person
        )

    outcomes = at_once(people, deliver, done="moved")
    assert sorted(outcomes) == ["move_not_allowed"] * 7 + ["moved"]
    assert UnitEvent.objects.filter(unit=unit, to_status=UnitStatus.DELIVERED).count() == 1
    assert Unit.objects.get(pk=unit.pk).status == UnitStatus.DELIVERED

"""Eight people moving one unit at once: the workflow's row lock lets exactly one move."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from guanjia.accounts.tests.factories import staff
from guanjia.core.tests.factories import CommunityFactory
from guanjia.estates import services
from guanjia.estates.models import Unit, UnitEvent, UnitStatus

from .factories import UnitFactory

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="race safety is proven on PostgreSQL"
)


@pytest.mark.postgres
@postgres_only
@pytest.mark.django_db(transaction=True)
def test_eight_people_delivering_one_unit_at_once_move_it_once():
    community = CommunityFactory()
    unit = UnitFactory(community=community, status=UnitStatus.NOTIFIED)
    people = [staff("receptionist", community) for _ in range(8)]
    outcomes: list[str] = []
    barrier = threading.Barrier(len(people))

    def deliver(person) -> None:
        try:
            barrier.wait(timeout=30)
            services.change_unit_status(
                unit=Unit.objects.get(pk=unit.pk), to=UnitStatus.DELIVERED, by=person
            )
            outcomes.append("moved")
        except ValidationError as exc:
            outcomes.append(exc.code or "invalid")
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["move_not_allowed"] * 7 + ["moved"]
    assert UnitEvent.objects.filter(unit=unit, to_status=UnitStatus.DELIVERED).count() == 1
    assert Unit.objects.get(pk=unit.pk).status == UnitStatus.DELIVERED

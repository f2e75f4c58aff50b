"""Visits owed by real tickets, through the services (events and deadlines are real)."""

from __future__ import annotations

from typing import Any

from guanjia.core.models import Community
from guanjia.core.policies.selectors import clear_policy_cache
from guanjia.core.policies.tests.factories import value_row
from guanjia.tickets.tests.factories import PNG, actor, complaint, repair
from guanjia.visits import services
from guanjia.visits.models import Visit
from guanjia.visits.services.recording import Answers

__all__ = [
    "PNG",
    "actor",
    "answers",
    "complaint_visit",
    "every_repair",
    "repair_visit",
    "set_policy",
]


def _generated(community: Community) -> None:
    services.generate_for_community(community)


def complaint_visit(world: Any, community: Community, **kw: Any) -> Visit:
    """The visit owed by a replied complaint (handled by the community's supervisor)."""
    c = complaint(world, community, "replied", **kw)
    _generated(community)
    return Visit.objects.get(complaint=c, source_done_at=c.resolved_at)


def set_policy(world: Any, community: Community, key: str, value: Any) -> None:
    """A community's policy value (test set-up), seen at once."""
    value_row(key, value, company=world.company, community=community)
    clear_policy_cache()


def every_repair(world: Any, community: Community) -> None:
    """The community visits every repair (a share of 100 %)."""
    set_policy(world, community, "visit.repair_rate", "1")


def repair_visit(world: Any, community: Community) -> Visit:
    """A verified repair's visit (the community's share set to 100 %)."""
    every_repair(world, community)
    order = repair(world, community, "verified")
    _generated(community)
    return Visit.objects.get(repair=order)


def answers(satisfaction: str = "satisfied", **kw: Any) -> Answers:
    values = {
        "method": "phone",
        "quality": "satisfied",
        "timeliness": "satisfied",
        "attitude": "satisfied",
        "conduct": "satisfied",
        "satisfaction": satisfaction,
        "comments": "" if satisfaction != "dissatisfied" else "水管还在漏",
    }
    values.update(kw)
    return Answers(**values)


def households(community: Community, count: int, *, zone: Any = None) -> list[Any]:
    """`count` occupied units in one building of one zone, each with its primary contact."""
    from guanjia.estates.tests.factories import BuildingFactory, OccupancyFactory, UnitFactory

    building = BuildingFactory(community=community, **({"zone": zone} if zone else {}))
    units = []
    for n in range(count):
        unit = UnitFactory(community=community, building=building, room_number=f"{n + 101}")
        OccupancyFactory(unit=unit, is_primary_contact=True)
        units.append(unit)
    return units

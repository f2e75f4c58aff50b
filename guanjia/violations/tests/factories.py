"""Violations in a given state, built through the services (events and numbers are real)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import time_machine

from guanjia.core.models import Community
from guanjia.estates.models import Unit
from guanjia.estates.tests.factories import UnitFactory
from guanjia.tickets.tests.factories import PNG
from guanjia.tickets.tests.factories import actor as new_actor
from guanjia.violations import services
from guanjia.violations.models import Violation, ViolationType

__all__ = [
    "PNG",
    "actor",
    "days_later",
    "found",
    "kind",
    "managed_unit",
    "noticed",
    "serving",
    "structural_kind",
]


def actor(world: Any, community: Community, role: str) -> Any:
    """The world's user with `role` in community A; one (the same each time) elsewhere."""
    if community == world.a:
        return world.user(role)
    others: dict[tuple[int, str], Any] = world.__dict__.setdefault("_violation_actors", {})
    key = (community.pk, role)
    if key not in others:
        others[key] = new_actor(world, community, role)
    return others[key]


def kind(name: str = "占用楼道、楼梯、天面堆放物品") -> ViolationType:
    """A type of the shared list (seeded by migration)."""
    return ViolationType.objects.get(community=None, name=name)


def structural_kind() -> ViolationType:
    return ViolationType.objects.get(community=None, name="拆改承重墙、结构")


def managed_unit(world: Any, community: Community) -> Unit:
    """A unit of a zone the community's area manager looks after."""
    unit = UnitFactory(community=community)
    zone = unit.building.zone
    manager = actor(world, community, "area_manager")
    zone.area_manager = manager
    zone.save(update_fields=["area_manager"])
    manager.__dict__.pop("_estates_zones", None)  # the zones it manages, cached per day
    return unit


def found(world: Any, community: Community, **kw: Any) -> Violation:
    """A violation found by the community's area manager, in their zone."""
    values: dict[str, Any] = {
        "unit": kw.pop("unit", None) or managed_unit(world, community),
        "kind": kw.pop("kind", None) or kind(),
        "description": "楼道堆放纸箱杂物",
        "responsible": "owner",
        "source": "patrol",
        "location": "3楼楼道",
        "rule": "管理规约第十二条",
    }
    values.update(kw)
    by = values.pop("by", None) or actor(world, community, "area_manager")
    return services.report_violation(community=community, by=by, **values)


def serving(**kw: Any) -> services.Serving:
    values: dict[str, Any] = {"demand": "请于期限内清理楼道杂物", "signature": PNG}
    values.update(kw)
    return services.Serving(**values)


def noticed(world: Any, community: Community, **kw: Any) -> Violation:
    """A violation with its rectification notice out (deadline: the policy's 7 days)."""
    violation = found(world, community, **kw)
    services.issue_notice(
        violation=violation, serving=serving(), by=actor(world, community, "area_manager")
    )
    violation.refresh_from_db()
    return violation


def days_later(days: int) -> Any:
    """A time machine `days` ahead (a re-check at the deadline, an appeal out of time)."""
    return time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=days), tick=False)

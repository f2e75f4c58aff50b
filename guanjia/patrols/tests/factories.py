"""A zone with checkpoints, a plan and today's patrol, through the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from guanjia.core.models import Community
from guanjia.estates.models import Zone
from guanjia.estates.tests.factories import BuildingFactory, ZoneFactory
from guanjia.patrols import services
from guanjia.patrols.models import Checkpoint, Patrol, PatrolPlan, PatrolStatus, PlanStop


def zone(world: Any, community: Community, **kw: Any) -> Zone:
    """A zone whose area manager is the world's area manager (in community A)."""
    manager = world.user("area_manager") if community == world.a else None
    return ZoneFactory(community=community, area_manager=manager, **kw)


def checkpoint(world: Any, z: Zone, kind: str = "building", name: str = "", **kw: Any) -> Checkpoint:
    building = kw.pop("building", None)
    if building is None and kind in ("building", "floor", "roof"):
        building = BuildingFactory(community=z.community, zone=z)
    count = Checkpoint.objects.filter(zone=z).count()
    return services.create_checkpoint(
        community=z.community,
        data=services.CheckpointData(
            zone=z, kind=kind, name=name or f"{kind}-{count + 1}", building=building
        ),
        by=world.user("supervisor") if z.community == world.a else _other_supervisor(world, z),
    )


def _other_supervisor(world: Any, z: Zone) -> Any:
    from guanjia.accounts.tests.factories import staff

    return staff("supervisor", z.community, company=world.company)


def patrol(world: Any, community: Community | None = None, *, stops: int = 2, **kw: Any) -> Patrol:
    """Today's planned patrol of a new zone of community A with `stops` checkpoints."""
    community = community or world.a
    z = zone(world, community)
    points = [checkpoint(world, z, "gate" if i % 2 else "fire") for i in range(stops)]
    plan = PatrolPlan.objects.create(
        community=community,
        zone=z,
        month=timezone.localdate().replace(day=1),
        per_day=1,
        full_inspection_days=30,
        written_by=world.user("supervisor"),
    )
    PlanStop.objects.bulk_create(
        PlanStop(plan=plan, checkpoint=cp, position=i) for i, cp in enumerate(points, 1)
    )
    p = Patrol.objects.create(
        community=community,
        zone=z,
        plan=plan,
        day=kw.pop("day", timezone.localdate()),
        patroller=z.area_manager,
        status=PatrolStatus.PLANNED,
        **kw,
    )
    return p


def started(world: Any, **kw: Any) -> Patrol:
    p = patrol(world, **kw)
    return services.start_patrol(patrol=p, by=world.user("area_manager"))


def first_day_next_month() -> dt.date:
    return services.plans.next_month(timezone.localdate())

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


def checkpoint(
    world: Any, z: Zone, kind: str = "building", name: str = "", **kw: Any
) -> Checkpoint:
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


def in_progress(world: Any, community: Community, **kw: Any) -> Patrol:
    """Today's patrol under way (its state set directly: the matrix also builds one in B)."""
    p = patrol(world, community, **kw)
    Patrol.objects.filter(pk=p.pk).update(
        status=PatrolStatus.IN_PROGRESS, started_at=timezone.now()
    )
    p.refresh_from_db()
    return p


def scanned(world: Any, community: Community) -> Any:
    """A patrol under way with its first checkpoint scanned: the CheckpointResult."""
    from guanjia.patrols.models import CheckpointResult

    p = in_progress(world, community)
    cp = services.route(p)[0]
    return CheckpointResult.objects.create(
        community=community,
        patrol=p,
        checkpoint=cp,
        zone=p.zone,
        day=p.day,
        scanned_at=timezone.now(),
    )


def finding(world: Any, community: Community, status: str = "open") -> Any:
    """A finding of a patrol under way (an action taken when `status` is "action")."""
    from guanjia.core import workflows
    from guanjia.patrols.models import Finding

    p = in_progress(world, community)
    f = Finding.objects.create(
        community=community,
        patrol=p,
        zone=p.zone,
        description="楼道灯不亮",
        location="3楼",
        found_on=p.day,
        found_by=world.user("supervisor"),
    )
    workflows.record_creation(f, by=None, action="found")
    if status == "action":
        Finding.objects.filter(pk=f.pk).update(
            status="action", action_kind="cleaning", action_ref="cleaning"
        )
        f.refresh_from_db()
    return f


def png_upload() -> Any:
    import base64

    from django.core.files.uploadedfile import SimpleUploadedFile

    from guanjia.tickets.tests.factories import PNG

    return SimpleUploadedFile("photo.png", base64.b64decode(PNG.split(",", 1)[1]), "image/png")

"""Breach records in a given state, built through the services (numbers, events and the
other apps' rows are real)."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from guanjia.core.models import Community
from guanjia.passes import services as pass_services
from guanjia.passes.models import GroupKind, Pass, PassKind
from guanjia.passes.tests.factories import SIGN, id_number, photo
from guanjia.renovation.models import Renovation
from guanjia.renovation.tests.factories import in_progress
from guanjia.sanctions import services
from guanjia.sanctions.models import Breach, SanctionType
from guanjia.tickets.tests.factories import actor as new_actor

__all__ = ["SIGN", "actor", "png"]


def actor(world: Any, community: Community, role: str) -> Any:
    """The world's user with `role` in community A; one (the same each time) elsewhere."""
    if community == world.a:
        return world.user(role)
    others: dict[tuple[int, str], Any] = world.__dict__.setdefault("_sanction_actors", {})
    key = (community.pk, role)
    if key not in others:
        others[key] = new_actor(world, community, role)
    return others[key]


def png(name: str = "evidence.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def line(community: Community, code: str = "smoking") -> SanctionType:
    return SanctionType.objects.get(community=community, code=code)


def site(world: Any, community: Community) -> tuple[Renovation, Pass]:
    """A renovation in progress and a worker's pass in its group (sponsor renovation:<id>)."""
    reno = in_progress(world, community)
    desk = actor(world, community, "receptionist")
    group = pass_services.open_group(
        community=community,
        kind=GroupKind.RENOVATION,
        name=f"{reno.unit.room_code} 装修工地",
        sponsor=f"renovation:{reno.pk}",
        by=desk,
    )
    worker = pass_services.issue_pass(
        community=community,
        kind=PassKind.WORKER_LONG,
        holder_name="王师傅",
        id_number=id_number(),
        unit=reno.unit,
        group=group,
        employer=reno.contractor.name,
        photo=photo(),
        by=desk,
    )
    return reno, worker


def reported(
    world: Any, community: Community, *, code: str = "smoking", number: str | None = None, **kw: Any
) -> Breach:
    if number is None:
        number = site(world, community)[1].number
    report = services.Report(
        kind=line(community, code),
        place=kw.pop("place", "3栋电梯"),
        description=kw.pop("description", "在电梯内吸烟"),
        source=kw.pop("source", "guard"),
        person_kind=kw.pop("person_kind", "worker"),
        pass_number=number,
        **kw,
    )
    return services.report_breach(
        community=community, report=report, photos=[png()], by=actor(world, community, "security")
    )


def verified(world: Any, community: Community, **kw: Any) -> Breach:
    breach = reported(world, community, **kw)
    return services.verify_breach(
        breach=breach, note="监控及照片核实", by=actor(world, community, "area_manager")
    )


def decided(
    world: Any, community: Community, amount: str = "100", measures: dict | None = None, **kw: Any
) -> Breach:
    role = kw.pop("decider", "supervisor")
    breach = verified(world, community, **kw)
    return services.decide_sanction(
        breach=breach,
        amount=Decimal(amount),
        measures=measures or {},
        note="按处罚标准",
        by=actor(world, community, role),
    )


def notified(world: Any, community: Community, **kw: Any) -> Breach:
    breach = decided(world, community, **kw)
    desk = actor(world, community, "area_manager")
    for party in services.parties(breach):
        services.notify_party(breach=breach, party=party, signer="李工", signature=SIGN, by=desk)
    breach.refresh_from_db()
    return breach


def executed(world: Any, community: Community, **kw: Any) -> Breach:
    breach = notified(world, community, **kw)
    return services.execute_breach(
        breach=breach, note="已从押金扣除", by=actor(world, community, "supervisor")
    )


def appealed(world: Any, community: Community, **kw: Any) -> Breach:
    breach = notified(world, community, **kw)
    return services.lodge_appeal(
        breach=breach,
        party="contractor",
        grounds="工人否认吸烟",
        by=actor(world, community, "area_manager"),
    )


def visitor(world: Any, community: Community, **kw: Any) -> Breach:
    """A light record: a visitor named on the spot (no pass, no renovation), with a photo."""
    report = services.Report(
        kind=line(community, kw.pop("code", "littering")),
        place="中心花园",
        description="随地乱扔垃圾",
        source="guard",
        person_kind="visitor",
        person_name="某访客",
    )
    return services.report_breach(
        community=community, report=report, photos=[png()], by=actor(world, community, "security")
    )


def visitor_at(world: Any, community: Community, status: str) -> Breach:
    """A visitor's record taken to `status` (verified, decided, notified, executed, appealed)."""
    breach = visitor(world, community)
    order = ["verified", "decided", "notified", "executed", "appealed"]
    steps = order[: order.index(status) + 1] if status != "appealed" else [*order[:3], "appealed"]
    for step in steps:
        if step == "verified":
            services.verify_breach(
                breach=breach, note="核实", by=actor(world, community, "area_manager")
            )
        elif step == "decided":
            services.decide_sanction(
                breach=breach,
                amount="0",
                measures={"expel": True},
                note="清出",
                by=actor(world, community, "supervisor"),
            )
        elif step == "notified":
            services.notify_party(
                breach=breach,
                party="person",
                signer="某访客",
                signature=SIGN,
                by=actor(world, community, "area_manager"),
            )
        elif step == "executed":
            services.execute_breach(
                breach=breach, note="已清出", by=actor(world, community, "security")
            )
        elif step == "appealed":
            breach.refresh_from_db()
            services.lodge_appeal(
                breach=breach,
                party="person",
                grounds="不服",
                by=actor(world, community, "area_manager"),
            )
    breach.refresh_from_db()
    return breach

"""Tickets in a given state, built through the services (so events and deadlines are real)."""

from __future__ import annotations

from typing import Any

from guanjia.accounts.tests.factories import staff
from guanjia.core.models import Community
from guanjia.estates.tests.factories import UnitFactory
from guanjia.tickets import services as s
from guanjia.tickets.models import Complaint, RepairOrder, ServiceRequest

PNG = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
    "YPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def actor(world: Any, community: Community, role: str) -> Any:
    """The world's user with `role` in community A; a new one elsewhere."""
    if community == world.a:
        return world.user(role)
    return staff(role, community, company=world.company)


def entry(
    world: Any, community: Community, kind: str = "consultation", **kw: Any
) -> ServiceRequest:
    contact = s.Contact(
        channel=kw.pop("channel", "phone"),
        kind=kind,
        content=kw.pop("content", "楼道灯不亮"),
        unit=kw.pop("unit", None) or UnitFactory(community=community),
        requester_name="张三",
        **kw,
    )
    return s.register_contact(
        community=community, contact=contact, by=actor(world, community, "receptionist")
    )


def complaint(world: Any, community: Community, state: str = "registered", **kw: Any) -> Complaint:
    """A complaint moved to `state` (registered, handling, resolved, replied, visited,
    invalid). A visited one is handled by the area manager, so the supervisor signs it off."""
    by = actor(world, community, "supervisor")
    c = s.open_complaint(entry=entry(world, community, "complaint", **kw), by=by)
    if state == "invalid":
        cls = s.Classification(validity="invalid", invalid_reason="不属于物业服务范围")
        return s.classify_complaint(complaint=c, classification=cls, by=by)
    if state == "registered":
        return c
    handler = actor(world, community, "area_manager") if state == "visited" else by
    cls = s.Classification(validity="valid", severity="minor", category="service", handler=handler)
    c = s.classify_complaint(complaint=c, classification=cls, by=by)
    if state in ("resolved", "replied", "visited"):
        c = s.resolve_complaint(complaint=c, result="已更换灯泡", by=by)
    if state in ("replied", "visited"):
        c = s.reply_complaint(complaint=c, reply="已处理，请查看", method="phone", by=by)
    if state == "visited":
        c = s.mark_complaint_visited(complaint=c, by=actor(world, community, "receptionist"))
    return c


REPAIR_STEPS = ["registered", "dispatched", "accepted", "on_site", "completed", "verified"]


def repair(
    world: Any, community: Community, state: str = "registered", urgency: str = "ordinary"
) -> RepairOrder:
    """A repair order moved along the plain path to `state` (see REPAIR_STEPS)."""
    details = s.RepairDetails(location="home", category="plumbing", urgency=urgency)
    o = s.open_repair(
        entry=entry(world, community, "repair", content="厨房水管漏水"),
        details=details,
        by=actor(world, community, "receptionist"),
    )
    tech = actor(world, community, "technician")
    steps = REPAIR_STEPS[1 : REPAIR_STEPS.index(state) + 1]
    for step in steps:
        if step == "dispatched":
            lead = actor(world, community, "engineering_lead")
            o = s.dispatch_repair(order=o, technician=tech, by=lead)
        elif step == "accepted":
            o = s.accept_repair(order=o, by=tech)
        elif step == "on_site":
            o = s.arrive_repair(order=o, by=tech)
        elif step == "completed":
            done = s.Completion(fault="接头老化", work_done="更换接头", materials="接头1个")
            o = s.complete_repair(order=o, completion=done, by=tech)
        elif step == "verified":
            o = s.verify_repair(order=o, satisfied=True, signature=PNG, by=tech)
    return o

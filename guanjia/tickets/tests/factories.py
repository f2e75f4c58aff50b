"""Tickets in a given state, built through the services (so events and deadlines are real)."""

from __future__ import annotations

from typing import Any

from guanjia.accounts.tests.factories import staff
from guanjia.core.models import Community
from guanjia.estates.tests.factories import UnitFactory
from guanjia.tickets import services
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
    contact = services.Contact(
        channel=kw.pop("channel", "phone"),
        kind=kind,
        content=kw.pop("content", "楼道灯不亮"),
        unit=kw.pop("unit", None) or UnitFactory(community=community),
        requester_name="张三",
        **kw,
    )
    return services.register_contact(
        community=community, contact=contact, by=actor(world, community, "receptionist")
    )


def complaint(world: Any, community: Community, state: str = "registered", **kw: Any) -> Complaint:
    """A complaint moved to `state` (registered, handling, resolved, replied, visited,
    invalid). A visited one is handled by the area manager, so the supervisor signs it off."""
    by = actor(world, community, "supervisor")
    complaint_record = services.open_complaint(
        entry=entry(world, community, "complaint", **kw), by=by
    )
    if state == "invalid":
        cls = services.Classification(validity="invalid", invalid_reason="不属于物业服务范围")
        return services.classify_complaint(complaint=complaint_record, classification=cls, by=by)
    if state == "registered":
        return complaint_record
    handler = actor(world, community, "area_manager") if state == "visited" else by
    cls = services.Classification(
        validity="valid", severity="minor", category="service", handler=handler
    )
    complaint_record = services.classify_complaint(
        complaint=complaint_record, classification=cls, by=by
    )
    if state in ("resolved", "replied", "visited"):
        complaint_record = services.resolve_complaint(
            complaint=complaint_record, result="已更换灯泡", by=by
        )
    if state in ("replied", "visited"):
        complaint_record = services.reply_complaint(
            complaint=complaint_record, reply="已处理，请查看", method="phone", by=by
        )
    if state == "visited":
        complaint_record = services.mark_complaint_visited(
            complaint=complaint_record, by=actor(world, community, "receptionist")
        )
    return complaint_record


REPAIR_STEPS = ["registered", "dispatched", "accepted", "on_site", "completed", "verified"]


def repair(
    world: Any, community: Community, state: str = "registered", urgency: str = "ordinary"
) -> RepairOrder:
    """A repair order moved along the plain path to `state` (see REPAIR_STEPS)."""
    details = services.RepairDetails(location="home", category="plumbing", urgency=urgency)
    order = services.open_repair(
        entry=entry(world, community, "repair", content="厨房水管漏水"),
        details=details,
        by=actor(world, community, "receptionist"),
    )
    tech = actor(world, community, "technician")
    steps = REPAIR_STEPS[1 : REPAIR_STEPS.index(state) + 1]
    for step in steps:
        if step == "dispatched":
            lead = actor(world, community, "engineering_lead")
            order = services.dispatch_repair(order=order, technician=tech, by=lead)
        elif step == "accepted":
            order = services.accept_repair(order=order, by=tech)
        elif step == "on_site":
            order = services.arrive_repair(order=order, by=tech)
        elif step == "completed":
            done = services.Completion(fault="接头老化", work_done="更换接头", materials="接头1个")
            order = services.complete_repair(order=order, completion=done, by=tech)
        elif step == "verified":
            order = services.verify_repair(order=order, satisfied=True, signature=PNG, by=tech)
    return order

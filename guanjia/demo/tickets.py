"""Demo service desk: a year of history (`history.py`), then a few contacts, complaints and
repairs of today in each community (idempotent: a community with a register is left alone)."""

from __future__ import annotations

from typing import Any

from guanjia.accounts.models import User
from guanjia.core.models import Community
from guanjia.estates.models import Unit
from guanjia.tickets import services as s
from guanjia.tickets.models import ServiceRequest

from . import history
from .timeline import can_travel

CONSULTATIONS = [
    ("phone", "物业费可以微信缴纳吗？", "可以，前台和业主端均可缴纳。"),
    ("visit", "小区游泳池几点开放？", "每天 9:00–21:00，周一闭馆清洁。"),
]
COMPLAINTS = [
    ("phone", "楼上装修噪音太大，中午也在施工", "handling"),
    ("visit", "地下车库照明不足", "replied"),
    ("letter", "保安态度生硬", "registered"),
]
REPAIRS = [
    ("厨房水管漏水", "home", "plumbing", "emergency", "dispatched"),
    ("楼道灯不亮", "common", "electrical", "ordinary", "completed"),
    ("入户门锁打不开", "home", "doors", "ordinary", "registered"),
]


def _users() -> dict[str, User]:
    return {u.username: u for u in User.objects.filter(username__in=["supervisor", "engineer"])}


def _contact(channel: str, kind: str, content: str, unit: Unit) -> s.Contact:
    return s.Contact(channel=channel, kind=kind, content=content, unit=unit)


def _complaint(community: Community, unit: Unit, row: tuple[str, str, str], by: User) -> None:
    channel, content, state = row
    entry = s.take_contact(
        community=community, contact=_contact(channel, "complaint", content, unit), by=by
    )
    c = entry.complaint
    if state == "registered":
        return
    cls = s.Classification(validity="valid", severity="minor", category="service", handler=by)
    c = s.classify_complaint(complaint=c, classification=cls, by=by)
    if state == "replied":
        c = s.resolve_complaint(complaint=c, result="已增加照明灯具", by=by)
        s.reply_complaint(complaint=c, reply="已处理，欢迎监督", method="phone", by=by)


def _repair(community: Community, unit: Unit, row: tuple[str, ...], users: dict[str, User]) -> None:
    content, location, category, urgency, state = row
    details = s.RepairDetails(location=location, category=category, urgency=urgency)
    entry = s.take_contact(
        community=community,
        contact=_contact("phone", "repair", content, unit),
        by=users["supervisor"],
        repair=details,
    )
    order, tech = entry.repair, users["engineer"]
    if state == "registered":
        return
    order = s.dispatch_repair(order=order, technician=tech, by=tech)
    if state == "completed":
        order = s.accept_repair(order=order, by=tech)
        order = s.arrive_repair(order=order, by=tech)
        s.complete_repair(
            order=order, completion=s.Completion(fault="灯管老化", work_done="更换灯管"), by=tech
        )


def load(*, communities: dict[str, Community], scale: float = 1.0) -> dict[str, Any]:
    """Build the desk of each community that has no register entry yet: its year of history
    (where the clock can be set, see `timeline.py`), then today's contacts."""
    users = _users()
    if len(users) < 2:
        return {"tickets": 0, "history": 0, "steps": 0}
    empty = {
        code: c
        for code, c in communities.items()
        if not ServiceRequest.objects.filter(community=c).exists()
    }
    past = history.load(communities=empty, scale=scale) if can_travel() and empty else {}
    created = 0
    for community in empty.values():
        units = list(Unit.objects.filter(community=community).order_by("pk")[:10])
        if len(units) < 8:
            continue
        created += _today(community, units, users)
    return {
        "tickets": created,
        "history": past.get("contacts", 0),
        "steps": past.get("steps", 0),
    }


def _today(community: Community, units: list[Unit], users: dict[str, User]) -> int:
    by = users["supervisor"]
    for (channel, question, answer), unit in zip(CONSULTATIONS, units, strict=False):
        s.take_contact(
            community=community,
            by=by,
            answer=answer,
            contact=_contact(channel, "consultation", question, unit),
        )
    for row, unit in zip(COMPLAINTS, units[2:], strict=False):
        _complaint(community, unit, row, by)
    for repair_row, unit in zip(REPAIRS, units[5:], strict=False):
        _repair(community, unit, repair_row, users)
    return len(CONSULTATIONS) + len(COMPLAINTS) + len(REPAIRS)

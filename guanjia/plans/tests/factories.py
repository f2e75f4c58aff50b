"""Plans, meetings, cases and summaries in a given state, built through the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from guanjia.core.models import Community
from guanjia.plans import services
from guanjia.plans.models import CaseStudy, Meeting, MonthlySummary, WorkPlan
from guanjia.tickets.tests.factories import actor as new_actor

__all__ = ["actor", "approved", "case", "draft", "meeting", "submitted", "summary", "this_month"]


def actor(world: Any, community: Community, role: str) -> Any:
    """The world's user with `role` in community A; one (the same each time) elsewhere."""
    if community == world.a:
        return world.user(role)
    others: dict[tuple[int, str], Any] = world.__dict__.setdefault("_plans_actors", {})
    key = (community.pk, role)
    if key not in others:
        others[key] = new_actor(world, community, role)
    return others[key]


def this_month() -> dt.date:
    return timezone.localdate().replace(day=1)


def draft(world: Any, community: Community, *, items: int = 1, **kw: Any) -> WorkPlan:
    """A monthly plan of this month with `items` items owned by the receptionist."""
    by = actor(world, community, "supervisor")
    plan = services.create_plan(
        community=community,
        kind=kw.pop("kind", "monthly"),
        period=kw.pop("period", this_month()),
        title=kw.pop("title", "十二月工作计划"),
        by=by,
    )
    owner = actor(world, community, "receptionist")
    for n in range(items):
        services.add_item(plan=plan, title=f"事项{n + 1}", owner=owner, due_on=plan.period, by=by)
    return plan


def submitted(world: Any, community: Community, **kw: Any) -> WorkPlan:
    plan = draft(world, community, **kw)
    services.submit_plan(plan=plan, by=actor(world, community, "supervisor"))
    return plan


def approved(world: Any, community: Community, **kw: Any) -> WorkPlan:
    plan = submitted(world, community, **kw)
    services.approve_plan(plan=plan, by=actor(world, community, "director"))
    return plan


def meeting(world: Any, community: Community, **kw: Any) -> Meeting:
    return services.record_meeting(
        community=community,
        held_on=kw.pop("held_on", timezone.localdate()),
        topics=kw.pop("topics", "上周投诉回顾"),
        by=actor(world, community, "supervisor"),
        **kw,
    )


def case(world: Any, community: Community, tickets: list[Any] | None = None) -> CaseStudy:
    text = services.CaseText(
        title="漏水投诉个案",
        facts="楼上漏水",
        cause="未及时上门",
        lesson="首问负责",
        tickets=tickets or [],
    )
    return services.write_case(
        community=community, text=text, by=actor(world, community, "supervisor")
    )


def summary(world: Any, community: Community, *, words: bool = True) -> MonthlySummary:
    by = actor(world, community, "supervisor")
    s = services.prepare_summary(community=community, month=this_month(), by=by)
    if words:
        services.edit_summary(
            summary=s, highlights="完成投诉回访", problems="无", next_steps="继续", by=by
        )
    return s

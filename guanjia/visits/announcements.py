"""Who is told about a visit (docs/workbench.md): the person a planned visit is given to (or,
given to nobody, those who make visits); the reviewers once a visit is made, declined or
unreachable. A dissatisfied visit tells the supervisors (or, the second time, the director)
from the closed loop itself (`services/loop.py`, `visit.dissatisfied`)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guanjia.core.access import staff_holding
from guanjia.core.notifications.models import Channel
from guanjia.core.notifications.registry import register_event
from guanjia.core.notifications.rules import Happening, notice

from .models import Visit, VisitStatus


def _visitors(visit: Visit, happened: Happening) -> Any:
    if visit.assignee_id is not None:
        return [visit.assignee]
    community = visit.community
    holders = staff_holding(
        ["visits.change_visit"], company_id=community.company_id, community_id=community.pk
    )
    return holders.exclude(pk=visit.judged_id or 0).order_by("pk")


def _reviewers(visit: Visit, happened: Happening) -> Any:
    community = visit.community
    holders = staff_holding(
        ["visits.review_visit"], company_id=community.company_id, community_id=community.pk
    )
    return holders.exclude(pk=visit.judged_id or 0).order_by("pk")


def _context(visit: Visit, happened: Happening) -> dict[str, Any]:
    return {
        "kind": visit.get_kind_display(),
        "number": visit.ticket_number,
        "due": f"{visit.due_on:%Y-%m-%d}",
        "status": visit.get_status_display(),
        "by": happened.actor_name,
    }


def _link(visit: Visit) -> str:
    return reverse("visits:visit-detail", args=[visit.pk])


def register() -> None:
    register_event(
        "visit.planned",
        label=_("A follow-up visit to make"),
        subject=_("Follow-up visit to make: {{ kind }} {{ number }}"),
        body=_("{{ by }} planned a follow-up visit ({{ kind }} {{ number }}) due on {{ due }}."),
        default_channels=(Channel.INBOX,),
    )
    register_event(
        "visit.to_review",
        label=_("A follow-up visit to review"),
        subject=_("Follow-up visit to review: {{ kind }} {{ number }}"),
        body=_("{{ by }} recorded the follow-up visit {{ kind }} {{ number }}: {{ status }}."),
        default_channels=(Channel.INBOX,),
    )
    notice(
        Visit,
        on={"planned"},
        event="visit.planned",
        recipients=_visitors,
        context=_context,
        link=_link,
    )
    notice(
        Visit,
        on={VisitStatus.DONE, VisitStatus.UNREACHABLE, VisitStatus.DECLINED},
        event="visit.to_review",
        recipients=_reviewers,
        context=_context,
        link=_link,
    )

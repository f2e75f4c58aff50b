"""Who is told about a patrol (docs/workbench.md): when the nightly job marks a patrol missed,
those who review patrols (to write the real reason) and the patroller it was planned for."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from guanjia.core.access import staff_holding
from guanjia.core.notifications.models import Channel
from guanjia.core.notifications.registry import register_event
from guanjia.core.notifications.rules import Happening, notice

from .models import Patrol, PatrolStatus


def _reviewers_and_patroller(patrol: Patrol, happened: Happening) -> list[Any]:
    reviewers = staff_holding(
        ["patrols.review_patrol"],
        company_id=patrol.community.company_id,
        community_id=patrol.community_id,
    ).order_by("pk")
    people = list(reviewers)
    if patrol.patroller is not None and patrol.patroller not in people:
        people.append(patrol.patroller)
    return people


def _context(patrol: Patrol, happened: Happening) -> dict[str, Any]:
    return {
        "patrol": str(patrol.zone),
        "day": f"{patrol.day:%Y-%m-%d}",
        "patroller": str(patrol.patroller or ""),
        "reason": patrol.missed_reason,
    }


def register() -> None:
    register_event(
        "patrols.missed",
        label=_("A patrol was missed"),
        subject=_("Patrol of {{ patrol }} on {{ day }} missed"),
        body=_("The patrol of {{ patrol }} on {{ day }} ({{ patroller }}): {{ reason }}"),
        default_channels=(Channel.INBOX, Channel.SMS),
    )
    notice(
        Patrol,
        on={PatrolStatus.MISSED.value},
        event="patrols.missed",
        recipients=_reviewers_and_patroller,
        context=_context,
        link=lambda patrol: patrol.get_absolute_url(),
    )

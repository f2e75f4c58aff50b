"""Letters (来函) replied on time: a KPI of spec §18 / §27, with its raw counts.

Kept apart from selectors/kpis.py so that the KPI page can add it as one more figure."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from guanjia.core.models import Community

from ..models import Channel, LetterStatus, ServiceRequest
from .kpis import Ratio


@dataclass(frozen=True)
class LetterKpis:
    due: int  # letters whose written reply fell due in the period
    pending: int  # of those, not yet approved and not yet late: counted in neither figure
    on_time: Ratio  # approved by the deadline ÷ decided (approved, or missed)


def letter_kpis(
    *, community: Community, start: dt.date, end: dt.date, today: dt.date | None = None
) -> LetterKpis:
    """Letters whose written reply was due from `start` to `end` (inclusive): how many were
    approved by their deadline, out of those already decided. One aggregate query."""
    today = today or timezone.localdate()
    approved = Q(letter_status=LetterStatus.APPROVED)
    missed = Q(letter_reply_missed=True)
    late_now = Q(letter_due__lt=today) & ~approved
    counts = ServiceRequest.objects.filter(
        community=community, channel=Channel.LETTER, letter_due__range=(start, end)
    ).aggregate(
        n=Count("pk"),
        decided=Count("pk", filter=approved | missed | late_now),
        on_time=Count("pk", filter=approved & ~missed),
    )
    return LetterKpis(
        due=counts["n"],
        pending=counts["n"] - counts["decided"],
        on_time=Ratio(counts["on_time"], counts["decided"]),
    )

"""What a shift hands over from the service desk (spec §06): open tickets due before the
next shift ends, repairs dispatched and not finished, complaints awaiting a reply. Read by
the front desk's handover (guanjia.desk) through this public selector only.

Each list is bounded (`limit` rows, the earliest due first, read through the partial
deadline indexes) and comes with its full count, so a community with 100,000 open tickets
costs a handful of indexed queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q

from guanjia.core.models import Community

from ..models import Complaint, ComplaintStatus, RepairOrder, RepairStatus

DISPATCHED_NOT_DONE = (
    RepairStatus.DISPATCHED,
    RepairStatus.ACCEPTED,
    RepairStatus.ON_SITE,
    RepairStatus.QUOTED,
    RepairStatus.WAITING_PARTS,
    RepairStatus.NO_ACCESS,
)
AWAITING_REPLY = (ComplaintStatus.REGISTERED, ComplaintStatus.HANDLING, ComplaintStatus.RESOLVED)


@dataclass(frozen=True)
class OpenTicket:
    kind: str  # "complaint" or "repair"
    pk: int
    number: str
    summary: str
    status: str
    due: dt.datetime | None


@dataclass(frozen=True)
class TicketList:
    rows: list[OpenTicket]
    total: int


def _repairs(rows: Iterable[RepairOrder]) -> list[OpenTicket]:
    return [
        OpenTicket(
            "repair",
            r.pk,
            r.number,
            (r.place or r.description)[:80],
            r.get_status_display(),
            r.complete_due or r.arrive_due,
        )
        for r in rows
    ]


def _complaints(rows: Iterable[Complaint]) -> list[OpenTicket]:
    return [
        OpenTicket(
            "complaint",
            c.pk,
            c.number,
            str(c.get_category_display()),
            c.get_status_display(),
            c.resolve_due or c.first_reply_due,
        )
        for c in rows
    ]


def due_before(community: Community, until: dt.datetime, *, limit: int) -> TicketList:
    """Repairs and complaints with a deadline not met falling before `until` (overdue ones
    included), earliest first."""
    repair_q = Q(complete_due__lt=until, completed_at__isnull=True) | Q(
        arrive_due__lt=until, arrived_at__isnull=True
    )
    complaint_q = Q(resolve_due__lt=until, resolved_at__isnull=True) | Q(
        first_reply_due__lt=until, first_replied_at__isnull=True
    )
    repairs = RepairOrder.objects.filter(repair_q, community=community).exclude(
        status__in=RepairOrder.FINAL_STATUSES
    )
    complaints = Complaint.objects.filter(complaint_q, community=community).exclude(
        status=ComplaintStatus.CLOSED
    )
    rows = _repairs(repairs.order_by("complete_due", "pk")[:limit]) + _complaints(
        complaints.order_by("resolve_due", "pk")[:limit]
    )
    rows.sort(key=lambda t: (t.due is None, t.due or until, t.number))
    return TicketList(rows[:limit], repairs.count() + complaints.count())


def repairs_dispatched_not_done(community: Community, *, limit: int) -> TicketList:
    rows = RepairOrder.objects.filter(community=community, status__in=DISPATCHED_NOT_DONE)
    return TicketList(_repairs(rows.order_by("-pk")[:limit]), rows.count())


def complaints_awaiting_reply(community: Community, *, limit: int) -> TicketList:
    rows = Complaint.objects.filter(community=community, status__in=AWAITING_REPLY)
    return TicketList(_complaints(rows.order_by("-pk")[:limit]), rows.count())

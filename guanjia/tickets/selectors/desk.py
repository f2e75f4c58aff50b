"""Reads of the tickets app: the unit's timeline, lists, the dashboard and each role's overdue."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guanjia.core.models import Community
from guanjia.estates.models import Unit
from guanjia.estates.selectors import TimelineEntry

from ..models import (
    Channel,
    Complaint,
    ComplaintStatus,
    LetterStatus,
    RepairOrder,
    RepairStatus,
    RequestKind,
    RequestStatus,
    ServiceRequest,
)


def tickets_for_unit(unit: Unit, *, limit: int) -> list[TimelineEntry]:
    """The unit's register entries (with their complaint or repair) for its timeline."""
    rows = (
        ServiceRequest.objects.filter(unit=unit)
        .select_related("received_by", "complaint", "repair")
        .order_by("-received_at")[:limit]
    )
    return [
        TimelineEntry(
            at=entry.received_at,
            kind="ticket",
            title=f"{entry.get_kind_display()} {entry.number}: {entry.content[:40]}",
            url=reverse("tickets:request-detail", args=[entry.pk]),
            actor=entry.received_by.display_name,
        )
        for entry in rows
    ]


def overdue_q(now: dt.datetime, *, kind: str) -> Q:
    """Open tickets past a deadline they have not met. For the register ("request"): letters
    whose written reply missed its deadline (the flag the sweep sets, and those the sweep has
    not reached yet)."""
    if kind == "request":
        late = Q(
            channel=Channel.LETTER,
            status=RequestStatus.OPEN,
            letter_due__lt=timezone.localdate(now),
        ) & ~Q(letter_status=LetterStatus.APPROVED)
        return Q(letter_reply_missed=True) | late
    if kind == "complaint":
        return Q(first_reply_due__lt=now, first_replied_at__isnull=True) | Q(
            resolve_due__lt=now, resolved_at__isnull=True
        )
    return Q(arrive_due__lt=now, arrived_at__isnull=True) | Q(
        complete_due__lt=now, completed_at__isnull=True
    )


def due_soon_q(now: dt.datetime, *, kind: str, hours: int = 4) -> Q:
    later = now + dt.timedelta(hours=hours)
    if kind == "complaint":
        return Q(resolve_due__range=(now, later), resolved_at__isnull=True)
    return Q(complete_due__range=(now, later), completed_at__isnull=True) | Q(
        arrive_due__range=(now, later), arrived_at__isnull=True
    )


@dataclass(frozen=True)
class Dashboard:
    """The supervisor's view of the desk today."""

    intake_today: dict[str, int]
    complaints_by_status: dict[str, int]
    repairs_by_status: dict[str, int]
    overdue_complaints: list[Complaint]
    overdue_repairs: list[RepairOrder]
    due_soon_complaints: int
    due_soon_repairs: int
    open_requests: int

    @property
    def intake_rows(self) -> list[tuple[str, int]]:
        return _labelled(self.intake_today, RequestKind)

    @property
    def complaint_rows(self) -> list[tuple[str, int]]:
        return _labelled(self.complaints_by_status, ComplaintStatus)

    @property
    def repair_rows(self) -> list[tuple[str, int]]:
        return _labelled(self.repairs_by_status, RepairStatus)


def _labelled(counts: dict[str, int], choices: Any) -> list[tuple[str, int]]:
    labels = dict(choices.choices)
    return [(str(labels.get(code, code)), count) for code, count in counts.items()]


def _by(qs: QuerySet[Any], field: str) -> dict[str, int]:
    return {row[field]: row["n"] for row in qs.values(field).annotate(n=Count("pk")).order_by()}


def dashboard(community: Community, *, now: dt.datetime | None = None) -> Dashboard:
    now = now or timezone.now()
    start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    requests = ServiceRequest.objects.in_community(community)
    complaints = Complaint.objects.open().filter(community=community)
    repairs = RepairOrder.objects.open().filter(community=community)
    return Dashboard(
        intake_today=_by(requests.filter(received_at__gte=start), "kind"),
        complaints_by_status=_by(complaints, "status"),
        repairs_by_status=_by(repairs, "status"),
        overdue_complaints=list(
            complaints.filter(overdue_q(now, kind="complaint")).select_related("handler")[:25]
        ),
        overdue_repairs=list(
            repairs.filter(overdue_q(now, kind="repair")).select_related("technician", "unit")[:25]
        ),
        due_soon_complaints=complaints.filter(due_soon_q(now, kind="complaint")).count(),
        due_soon_repairs=repairs.filter(due_soon_q(now, kind="repair")).count(),
        open_requests=requests.filter(status=RequestStatus.OPEN).count(),
    )


def countdown(due: dt.datetime | None, *, now: dt.datetime | None = None) -> str:
    """'in 2 h 5 min' or 'overdue by 15 min' for a page; empty without a deadline."""
    if due is None:
        return ""
    now = now or timezone.now()
    delta = due - now
    minutes = int(abs(delta.total_seconds()) // 60)
    text = _("%(h)d h %(m)d min") % {"h": minutes // 60, "m": minutes % 60}
    if minutes >= 24 * 60:
        text = _("%(d)d d %(h)d h") % {"d": minutes // 1440, "h": minutes % 1440 // 60}
    if delta.total_seconds() < 0:
        return _("overdue by %(t)s") % {"t": text}
    return _("in %(t)s") % {"t": text}


def complaint_clock_waits(complaint: Complaint) -> tuple[str, str]:
    """What each clock of a complaint without a deadline waits for, in words (first reply,
    resolution): the resolution clock starts when the complaint is classified (an invalid
    one's is the deadline of its explanation)."""
    resolution = ""
    if complaint.resolve_due is None:
        if complaint.status == ComplaintStatus.REGISTERED:
            resolution = _("starts when the complaint is classified")
        else:
            resolution = _("no deadline set")
    first_reply = "" if complaint.first_reply_due else _("no deadline set")
    return first_reply, resolution


REPAIR_PAUSE_WAITS: dict[str, Any] = {
    RepairStatus.WAITING_PARTS: gettext_lazy("paused: waiting for the parts"),
    RepairStatus.NO_ACCESS: gettext_lazy("paused: waiting for access to the home"),
    RepairStatus.QUOTED: gettext_lazy("paused: waiting for the resident's answer to the quote"),
}


def repair_clock_waits(order: RepairOrder) -> tuple[str, str]:
    """What each clock of a repair without a deadline waits for (arrival, completion): the
    completion clock is paused while the job waits for parts, access or the quote's answer."""
    arrival = "" if order.arrive_due else _("no deadline set")
    completion = ""
    if order.complete_due is None:
        completion = str(REPAIR_PAUSE_WAITS.get(str(order.status), _("paused")))
    return arrival, completion


@dataclass(frozen=True)
class Resident:
    """One person of a unit the desk may pick as the caller: name, relation, masked phone."""

    pk: int
    name: str
    relation: str
    phone_masked: str


def unit_residents(unit: Unit) -> list[Resident]:
    """Today's owners and occupants of `unit` (each person once, owners first), in two
    queries, for the front desk to confirm who is calling."""
    today = timezone.localdate()
    current = Q(starts_on__lte=today) & (Q(ends_on__isnull=True) | Q(ends_on__gte=today))
    seen: dict[int, Resident] = {}
    for ownership in unit.ownerships.filter(current).select_related("person").order_by("pk"):
        person = ownership.person
        seen.setdefault(
            person.pk, Resident(person.pk, person.name, _("Owner"), person.phone_masked)
        )
    occupancies = unit.occupancies.filter(current).select_related("person")
    for occupancy in occupancies.order_by("-is_primary_contact", "pk"):
        person = occupancy.person
        seen.setdefault(
            person.pk,
            Resident(person.pk, person.name, occupancy.get_relation_display(), person.phone_masked),
        )
    return list(seen.values())

"""The supervisor's daily check (spec §02: "check all front-desk registers for completeness
and for complaints still owed a visit, before going home"), from what the other apps can
tell: register entries left open from earlier days, complaints awaiting a reply, tickets past
a deadline, complaint visits due, keys not returned. Each line links to its record."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from guanjia.core.models import Community
from guanjia.desk.selectors import overdue_loans
from guanjia.tickets.models import RequestStatus, ServiceRequest
from guanjia.tickets.selectors.handover import complaints_awaiting_reply, due_before
from guanjia.visits.models import Visit, VisitKind, VisitStatus

# How many lines of each section the page lists (the count says how many there are).
LIMIT = 50


@dataclass(frozen=True)
class CheckLine:
    number: str
    text: str
    url: str
    due: str = ""


@dataclass(frozen=True)
class CheckSection:
    code: str
    label: Promise
    lines: list[CheckLine]
    total: int


def _ticket_url(kind: str, pk: int) -> str:
    name = "tickets:complaint-detail" if kind == "complaint" else "tickets:repair-detail"
    return reverse(name, args=[pk])


def _stamp(value: dt.datetime | None) -> str:
    return f"{timezone.localtime(value):%m-%d %H:%M}" if value else ""


def _open_entries(community: Community, now: dt.datetime) -> CheckSection:
    start = timezone.make_aware(dt.datetime.combine(timezone.localdate(now), dt.time.min))
    rows = ServiceRequest.objects.filter(
        community=community, status=RequestStatus.OPEN, received_at__lt=start
    ).order_by("received_at", "pk")
    lines = [
        CheckLine(
            r.number,
            f"{r.get_kind_display()}: {r.content[:60]}",
            reverse("tickets:request-detail", args=[r.pk]),
            _stamp(r.received_at),
        )
        for r in rows[:LIMIT]
    ]
    return CheckSection(
        "open_entries", _("Register entries still open from earlier days"), lines, rows.count()
    )


def _awaiting_reply(community: Community) -> CheckSection:
    found = complaints_awaiting_reply(community, limit=LIMIT)
    lines = [
        CheckLine(t.number, f"{t.summary} ({t.status})", _ticket_url(t.kind, t.pk), _stamp(t.due))
        for t in found.rows
    ]
    return CheckSection("awaiting_reply", _("Complaints awaiting a reply"), lines, found.total)


def _overdue(community: Community, now: dt.datetime) -> CheckSection:
    found = due_before(community, now, limit=LIMIT)
    lines = [
        CheckLine(t.number, f"{t.summary} ({t.status})", _ticket_url(t.kind, t.pk), _stamp(t.due))
        for t in found.rows
    ]
    return CheckSection("overdue", _("Complaints and repairs past a deadline"), lines, found.total)


def _visits_owed(community: Community, now: dt.datetime) -> CheckSection:
    rows = (
        Visit.objects.filter(
            community=community,
            kind=VisitKind.COMPLAINT,
            status__in=(VisitStatus.DUE, VisitStatus.ATTEMPTED),
            due_on__lte=timezone.localdate(now),
        )
        .select_related("complaint", "unit")
        .order_by("due_on", "pk")
    )
    lines = [
        CheckLine(
            v.complaint.number if v.complaint is not None else str(v.pk),
            v.unit.room_code if v.unit is not None else v.person_name,
            reverse("visits:visit-detail", args=[v.pk]),
            f"{v.due_on:%m-%d}",
        )
        for v in rows[:LIMIT]
    ]
    return CheckSection("visits_owed", _("Complaints still owed a visit"), lines, rows.count())


def _keys_out(community: Community, now: dt.datetime) -> CheckSection:
    rows = overdue_loans(community, now).order_by("pk")
    lines = [
        CheckLine(
            str(loan.key), loan.borrower_name, loan.key.get_absolute_url(), _stamp(loan.due_at)
        )
        for loan in rows[:LIMIT]
    ]
    return CheckSection("keys_out", _("Keys lent and not returned in time"), lines, rows.count())


def daily_check(community: Community, now: dt.datetime | None = None) -> list[CheckSection]:
    """Every section of the check, each with its first LIMIT lines and its count."""
    now = now or timezone.now()
    return [
        _open_entries(community, now),
        _awaiting_reply(community),
        _overdue(community, now),
        _visits_owed(community, now),
        _keys_out(community, now),
    ]


def missing_count(sections: list[CheckSection]) -> int:
    return sum(section.total for section in sections)

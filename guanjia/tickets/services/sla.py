"""The SLA sweep: warnings before a deadline, breaches recorded, complaints escalated.

Idempotent: a DeadlineAlert row per (ticket, deadline, due, stage) is unique, so a repeated
or concurrent run warns once. Candidates are read in bulk, one query per deadline column."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.accounts.models import Membership
from guanjia.core.notifications.services import notify
from guanjia.core.policies.selectors import policy

from ..models import (
    PAUSED_STATUSES,
    Channel,
    Complaint,
    ComplaintStatus,
    DeadlineAlert,
    LetterStatus,
    RepairOrder,
    RequestStatus,
    ServiceRequest,
    Severity,
    Validity,
)
from .complaints import escalate_to_major

MAX_WARN_MIN = 1440  # the policy's maximum: no warning is further ahead than this


@dataclass(frozen=True)
class _Deadline:
    ticket_type: str
    model: Any
    due: str  # column with the deadline
    done: str  # column set when it is met
    met: str  # met flag column
    label: str
    open_filter: dict[str, Any] = field(default_factory=dict)


def _deadlines() -> list[_Deadline]:
    closed = {"status__in": list(Complaint.FINAL_STATUSES)}
    return [
        _Deadline(
            "complaint",
            Complaint,
            "first_reply_due",
            "first_replied_at",
            "first_reply_met",
            _("first reply"),
            closed,
        ),
        _Deadline(
            "complaint",
            Complaint,
            "resolve_due",
            "resolved_at",
            "resolve_met",
            _("resolution"),
            closed,
        ),
        _Deadline(
            "repair",
            RepairOrder,
            "arrive_due",
            "arrived_at",
            "arrive_met",
            _("arrival"),
            {"status__in": ["cancelled"]},
        ),
        _Deadline(
            "repair",
            RepairOrder,
            "complete_due",
            "completed_at",
            "complete_met",
            _("completion"),
            {"status__in": ["cancelled", *PAUSED_STATUSES]},
        ),
    ]


@dataclass
class SweepResult:
    warnings: int = 0
    breaches: int = 0
    escalations: int = 0
    letters_missed: int = 0  # letters newly flagged: written reply deadline missed


def _candidates(
    deadline: _Deadline, until: dt.datetime, stage: str, after: dt.datetime | None = None
) -> QuerySet[Any]:
    """Open tickets whose `d` deadline is due by `until` (and after `after`), not yet alerted."""
    sent = DeadlineAlert.objects.filter(
        ticket_type=deadline.ticket_type,
        ticket_id=OuterRef("pk"),
        deadline=deadline.due,
        due=OuterRef(deadline.due),
        stage=stage,
    )
    due = {f"{deadline.due}__lte": until, f"{deadline.done}__isnull": True}
    if after is not None:
        due[f"{deadline.due}__gt"] = after
    return (
        deadline.model.objects.filter(**due)
        .exclude(**deadline.open_filter)
        .exclude(Exists(sent))
        .select_related(
            "community", "handler" if deadline.ticket_type == "complaint" else "technician"
        )
    )


def _supervisors(community_ids: set[int], role: str) -> dict[int, list[Any]]:
    today = timezone.localdate()
    rows = (
        Membership.objects.filter(
            community_id__in=community_ids, role__name=role, starts_on__lte=today
        )
        .exclude(ends_on__lt=today)
        .select_related("user")
    )
    found: dict[int, list[Any]] = {}
    for membership in rows:
        if membership.user.is_active and membership.community_id is not None:
            found.setdefault(membership.community_id, []).append(membership.user)
    return found


def _handler(ticket: Any) -> Any:
    return getattr(ticket, "handler", None) or getattr(ticket, "technician", None)


def _link(ticket: Any) -> str:
    name = "tickets:complaint-detail" if isinstance(ticket, Complaint) else "tickets:repair-detail"
    return reverse(name, args=[ticket.pk])


def _tell(
    tickets: list[Any], deadline: _Deadline, event: str, watchers: dict[int, list[Any]]
) -> None:
    for ticket in tickets:
        due = getattr(ticket, deadline.due)
        context = {
            "number": ticket.number,
            "deadline": deadline.label,
            "due": timezone.localtime(due).strftime("%Y-%m-%d %H:%M"),
            "summary": str(getattr(ticket, "description", "") or ticket.category)[:60],
        }
        people = {user.pk: user for user in watchers.get(ticket.community_id, [])}
        handler = _handler(ticket)
        if handler is not None:
            people[handler.pk] = handler
        for user in people.values():
            notify(user, event, context, community=ticket.community, link=_link(ticket))


def _record(tickets: list[Any], deadline: _Deadline, stage: str) -> None:
    DeadlineAlert.objects.bulk_create(
        [
            DeadlineAlert(
                community_id=ticket.community_id,
                ticket_type=deadline.ticket_type,
                ticket_id=ticket.pk,
                deadline=deadline.due,
                due=getattr(ticket, deadline.due),
                stage=stage,
            )
            for ticket in tickets
        ],
        ignore_conflicts=True,
    )


def _sweep_one(deadline: _Deadline, now: dt.datetime, result: SweepResult) -> None:
    breached = list(_candidates(deadline, now, DeadlineAlert.Stage.BREACH))
    if breached:
        deadline.model.objects.filter(pk__in=[ticket.pk for ticket in breached]).update(
            **{deadline.met: False}
        )
        _record(breached, deadline, DeadlineAlert.Stage.BREACH)
        watchers = _supervisors({ticket.community_id for ticket in breached}, "supervisor")
        _tell(breached, deadline, "ticket.deadline_breached", watchers)
        result.breaches += len(breached)
    horizon = now + dt.timedelta(minutes=MAX_WARN_MIN)
    ahead = list(_candidates(deadline, horizon, DeadlineAlert.Stage.WARNING, after=now))
    communities = {ticket.community_id: ticket.community for ticket in ahead}
    leads = {
        community_id: policy(complaint, "ticket.warn_before_min")
        for community_id, complaint in communities.items()
    }
    warn = [
        ticket
        for ticket in ahead
        if now
        < getattr(ticket, deadline.due)
        <= now + dt.timedelta(minutes=leads[ticket.community_id])
    ]
    if warn:
        _record(warn, deadline, DeadlineAlert.Stage.WARNING)
        watchers = _supervisors({ticket.community_id for ticket in warn}, "supervisor")
        _tell(warn, deadline, "ticket.deadline_warning", watchers)
        result.warnings += len(warn)


def _escalate(now: dt.datetime, result: SweepResult) -> None:
    due = (
        Complaint.objects.filter(
            validity=Validity.VALID,
            escalate_at__lte=now,
            escalated_at__isnull=True,
            resolved_at__isnull=True,
        )
        .exclude(severity=Severity.MAJOR)
        .exclude(status=ComplaintStatus.CLOSED)
        .select_related("community", "request")
    )
    tickets = list(due)
    directors = _supervisors({ticket.community_id for ticket in tickets}, "director")
    for complaint in tickets:
        escalate_to_major(complaint=complaint, at=now)
        context = {"number": complaint.number, "summary": complaint.request.content[:60]}
        for user in directors.get(complaint.community_id, []):
            notify(
                user,
                "complaint.escalated",
                context,
                community=complaint.community,
                link=_link(complaint),
            )
    result.escalations += len(tickets)


def letter_deadline(day: dt.date) -> dt.datetime:
    """The instant a written reply due on `day` is late: the end of that local day."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def _letters(stage: str, **due: Any) -> list[ServiceRequest]:
    """Open letters without an approved reply whose `letter_due` matches, not yet alerted.

    `letter_due` is fixed when the letter is received, so an alert per stage is enough."""
    sent = DeadlineAlert.objects.filter(
        ticket_type="request", ticket_id=OuterRef("pk"), deadline="letter_due", stage=stage
    )
    return list(
        ServiceRequest.objects.filter(
            channel=Channel.LETTER, status=RequestStatus.OPEN, letter_due__isnull=False, **due
        )
        .exclude(letter_status=LetterStatus.APPROVED)
        .exclude(Exists(sent))
        .select_related("community", "received_by", "letter_drafted_by")
    )


def _alert_letters(letters: list[ServiceRequest], stage: str, event: str) -> None:
    DeadlineAlert.objects.bulk_create(
        [
            DeadlineAlert(
                community_id=letter.community_id,
                ticket_type="request",
                ticket_id=letter.pk,
                deadline="letter_due",
                due=letter_deadline(letter.letter_due),
                stage=stage,
            )
            for letter in letters
            if letter.letter_due is not None
        ],
        ignore_conflicts=True,
    )
    watchers = _supervisors({letter.community_id for letter in letters}, "supervisor")
    for letter in letters:
        assert letter.letter_due is not None  # noqa: S101 (filtered in the query)
        context = {
            "number": letter.number,
            "deadline": _("written reply"),
            "due": timezone.localtime(letter_deadline(letter.letter_due)).strftime(
                "%Y-%m-%d %H:%M"
            ),
            "summary": (letter.subject or letter.content)[:60],
        }
        people = {user.pk: user for user in watchers.get(letter.community_id, [])}
        writer = letter.letter_drafted_by or letter.received_by
        people[writer.pk] = writer
        link = reverse("tickets:request-detail", args=[letter.pk])
        for user in people.values():
            if user.is_active:
                notify(user, event, context, community=letter.community, link=link)


def _sweep_letters(now: dt.datetime, result: SweepResult) -> None:
    """Letters whose written reply is late (breach) or due within the warning lead."""
    today = timezone.localdate(now)
    # The persisted flag: set once, whether or not the breach alert was sent before.
    result.letters_missed += (
        ServiceRequest.objects.filter(
            channel=Channel.LETTER,
            status=RequestStatus.OPEN,
            letter_due__lt=today,
            letter_reply_missed=False,
        )
        .exclude(letter_status=LetterStatus.APPROVED)
        .update(letter_reply_missed=True)
    )
    late = _letters(DeadlineAlert.Stage.BREACH, letter_due__lt=today)
    if late:
        _alert_letters(late, DeadlineAlert.Stage.BREACH, "ticket.deadline_breached")
        result.breaches += len(late)
    horizon = timezone.localdate(now + dt.timedelta(minutes=MAX_WARN_MIN))
    ahead = _letters(DeadlineAlert.Stage.WARNING, letter_due__gte=today, letter_due__lte=horizon)
    leads = {
        letter.community_id: policy(letter.community, "ticket.warn_before_min") for letter in ahead
    }
    warn = [
        letter
        for letter in ahead
        if letter.letter_due is not None
        and now
        < letter_deadline(letter.letter_due)
        <= now + dt.timedelta(minutes=leads[letter.community_id])
    ]
    if warn:
        _alert_letters(warn, DeadlineAlert.Stage.WARNING, "ticket.deadline_warning")
        result.warnings += len(warn)


@transaction.atomic
def sweep_deadlines(*, now: dt.datetime | None = None) -> SweepResult:
    """Run the sweep once (the schedule calls it every 5 minutes)."""
    now = now or timezone.now()
    result = SweepResult()
    for deadline in _deadlines():
        _sweep_one(deadline, now, result)
    _sweep_letters(now, result)
    _escalate(now, result)
    return result

"""Visits owed by rule (spec §14): every complaint once resolved, a reproducible random share
of repairs and every repeat repair, a share of help requests. Each rule reads its policies;
a ticket's resolution owes at most one visit, so a second run adds nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.core.access import require_perm
from guanjia.core.db import advisory_lock
from guanjia.core.jobs.services import run_once
from guanjia.core.models import Community
from guanjia.core.policies.selectors import policy
from guanjia.tickets.models import (
    Complaint,
    ComplaintStatus,
    RepairOrder,
    RepairStatus,
    RequestKind,
    RequestStatus,
    ServiceRequest,
    Severity,
    Validity,
)

from ..models import Visit, VisitEvent, VisitKind, VisitStatus
from .loop import close_verified_repair
from .planning import routine_visits

if TYPE_CHECKING:
    from guanjia.core.access import User

BATCH = 2000
# The kinds a run generates (the others are planned by people or by a survey's answers).
GENERATED = (
    VisitKind.COMPLAINT,
    VisitKind.REPAIR,
    VisitKind.REWORK,
    VisitKind.HELP,
    VisitKind.ROUTINE,
)


def in_sample(kind: str, pk: int, rate: Decimal) -> bool:
    """Whether ticket `pk` falls in the share `rate`: the same answer on every run and every
    machine (a hash of the ticket, not a random draw), independent across kinds."""
    if rate >= 1:
        return True
    digest = hashlib.blake2b(f"{kind}:{pk}".encode(), digest_size=4).digest()
    return int.from_bytes(digest, "big") % 10000 < int(rate * 10000)


@dataclass(frozen=True)
class Rules:
    """A community's policies for generation, read once per run."""

    complaint_days: int
    repair_days: int
    repair_rate: Decimal
    rework_days: int
    help_days: int
    help_rate: Decimal
    since: dt.datetime
    close_after_visit: bool

    @classmethod
    def of(cls, community: Community, now: dt.datetime) -> Rules:
        def p(key: str) -> Any:
            return policy(community, key)

        return cls(
            complaint_days=p("complaint.visit_days"),
            repair_days=p("visit.repair_days"),
            repair_rate=p("visit.repair_rate"),
            rework_days=p("visit.rework_days"),
            help_days=p("visit.help_days"),
            help_rate=p("visit.help_rate"),
            since=now - dt.timedelta(days=p("visit.lookback_days")),
            close_after_visit=p("visit.repair_close_after_visit"),
        )


def _due(done_at: Any, days: int) -> dt.date:
    return timezone.localdate(done_at) + dt.timedelta(days=days)


def _complaints(community: Community, rules: Rules) -> Iterator[Visit]:
    rows = Complaint.objects.filter(
        community=community,
        status__in=(ComplaintStatus.RESOLVED, ComplaintStatus.REPLIED),
        validity=Validity.VALID,
        request__is_anonymous=False,
        resolved_at__gte=rules.since,
    ).values_list(
        "pk",
        "resolved_at",
        "severity",
        "handler_id",
        "request__unit_id",
        "request__requester_name",
        "request__requester_phone",
    )
    seen = _seen("complaint", community, rules.since)
    rounds = _rounds("complaint", community)
    for pk, done, severity, handler, unit, name, phone in rows.iterator(chunk_size=BATCH):
        if (pk, done) in seen:
            continue
        yield Visit(
            community=community,
            kind=VisitKind.COMPLAINT,
            complaint_id=pk,
            source_done_at=cast(dt.datetime, done),
            round=rounds.get(pk, 0) + 1,
            unit_id=unit,
            person_name=name,
            phone=phone,
            judged_id=handler,
            by_director=severity == Severity.MAJOR,
            due_on=_due(done, rules.complaint_days),
        )


def _repairs(community: Community, rules: Rules, unvisited: list[int]) -> Iterator[Visit]:
    """The sampled repairs and every rework; where a repair closes only after its visit, the
    verified ones owed none are put in `unvisited` (to close)."""
    rows = RepairOrder.objects.filter(
        community=community,
        status__in=(RepairStatus.VERIFIED, RepairStatus.CLOSED),
        verified_at__gte=rules.since,
    ).values_list(
        "pk",
        "status",
        "verified_at",
        "rework_of_id",
        "technician_id",
        "unit_id",
        "request__requester_name",
        "request__requester_phone",
    )
    seen = _seen("repair", community, rules.since)
    for pk, status, done, rework_of, technician, unit, name, phone in rows.iterator(
        chunk_size=BATCH
    ):
        rework = rework_of is not None
        if (pk, done) in seen:
            continue
        if not (rework or in_sample("repair", pk, rules.repair_rate)):
            if rules.close_after_visit and status == RepairStatus.VERIFIED:
                unvisited.append(pk)
            continue
        yield Visit(
            community=community,
            kind=VisitKind.REWORK if rework else VisitKind.REPAIR,
            repair_id=pk,
            source_done_at=cast(dt.datetime, done),
            unit_id=unit,
            person_name=name or "",
            phone=phone or "",
            judged_id=technician,
            due_on=_due(done, rules.rework_days if rework else rules.repair_days),
        )


def _help_requests(community: Community, rules: Rules) -> Iterator[Visit]:
    rows = ServiceRequest.objects.filter(
        community=community,
        kind=RequestKind.HELP,
        status=RequestStatus.CLOSED,
        is_anonymous=False,
        answered_at__gte=rules.since,
    ).values_list(
        "pk", "answered_at", "answered_by_id", "unit_id", "requester_name", "requester_phone"
    )
    seen = _seen("request", community, rules.since)
    for pk, done, answered_by, unit, name, phone in rows.iterator(chunk_size=BATCH):
        if (pk, done) in seen or not in_sample("help", pk, rules.help_rate):
            continue
        yield Visit(
            community=community,
            kind=VisitKind.HELP,
            request_id=pk,
            source_done_at=cast(dt.datetime, done),
            unit_id=unit,
            person_name=name,
            phone=phone,
            judged_id=answered_by,
            due_on=_due(done, rules.help_days),
        )


def _seen(field: str, community: Community, since: dt.datetime) -> set[tuple[int, Any]]:
    """The (ticket, resolution) pairs that already have their visit."""
    rows = Visit.objects.filter(
        community=community, source_done_at__gte=since, **{f"{field}__isnull": False}
    ).values_list(f"{field}_id", "source_done_at")
    return set(rows.iterator(chunk_size=BATCH * 5))


def _rounds(field: str, community: Community) -> dict[int, int]:
    """How many visits each ticket had before (a second visit goes to the director)."""
    rows = (
        Visit.objects.filter(community=community, **{f"{field}__isnull": False})
        .values(f"{field}_id")
        .annotate(n=Count("pk"))
        .values_list(f"{field}_id", "n")
    )
    return dict(rows)


def _chunks(visits: Iterable[Visit]) -> Iterator[list[Visit]]:
    chunk: list[Visit] = []
    for visit in visits:
        chunk.append(visit)
        if len(chunk) >= BATCH:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _save(chunk: list[Visit], *, by: User | None, now: dt.datetime) -> int:
    created = Visit.objects.bulk_create(chunk)
    VisitEvent.objects.bulk_create(
        VisitEvent(
            visit=visit,
            actor=by,
            at=now,
            action="generated",
            to_status=VisitStatus.DUE,
        )
        for visit in created
    )
    return len(created)


@transaction.atomic
def generate_for_community(
    community: Community, *, by: User | None = None, now: dt.datetime | None = None
) -> dict[str, int]:
    """Create the visits the rules owe in one community; counts by kind. One run at a time
    per community (an advisory lock), so two runs never create the same visit twice."""
    now = now or timezone.now()
    advisory_lock(f"visits.generate:{community.pk}")
    rules = Rules.of(community, now)
    counts: dict[str, int] = {str(kind): 0 for kind in GENERATED}
    unvisited: list[int] = []
    sources = (
        _complaints(community, rules),
        _repairs(community, rules, unvisited),
        _help_requests(community, rules),
        routine_visits(community, now),
    )
    for source in sources:
        for chunk in _chunks(source):
            _save(chunk, by=by, now=now)
            for visit in chunk:
                counts[visit.kind] += 1
    _close_unvisited(unvisited, by=by)
    return counts


def _close_unvisited(pks: list[int], *, by: User | None) -> None:
    """Spec §15 where a repair closes only after its visit: a repair outside the sample owes
    no visit, so it closes when the run finds it."""
    note = _("No follow-up visit owed (outside the sample).")
    for order in RepairOrder.objects.filter(pk__in=pks).select_related("community"):
        close_verified_repair(order, by=by, note=note)


def generate_visits(*, community: Community, by: User) -> dict[str, int]:
    """The supervisor's "generate now" (the schedule runs the same rules every night)."""
    require_perm(by, "visits.add_visit", community)
    return generate_for_community(community, by=by)


def generate_all(*, now: dt.datetime | None = None) -> dict[str, int]:
    """The nightly job: every active community."""
    totals: dict[str, int] = {}
    for community in Community.objects.filter(is_active=True).order_by("pk"):
        for kind, n in generate_for_community(community, now=now).items():
            totals[kind] = totals.get(kind, 0) + n
    return totals


def generate_nightly() -> dict[str, int] | None:
    """The schedule's entry (daily, 02:30): once per local day (`run_once`)."""
    day = timezone.localdate()
    return run_once(f"visits.generate:{day}", generate_all, label="Generate follow-up visits")

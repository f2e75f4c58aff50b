"""The receptionist's measures (spec §04, §24): register completeness, entries answered on
time, call-backs (follow-up visits) made on time. Area managers' visits use the same count."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from guanjia.core.policies.selectors import policy
from guanjia.tickets.models import RequestKind, ServiceRequest
from guanjia.visits.models import Visit, VisitStatus

from . import Evidence, MonthContext, Outcome, keep, measure, rate

# A complete entry names who asked and how to reach them (or is anonymous) (spec §04 step 2).
COMPLETE = Q(is_anonymous=True) | (
    ~Q(requester_phone="") & (~Q(requester_name="") | Q(person__isnull=False))
)
# Entries the desk answers itself; repairs and complaints have their own clocks.
ANSWERED_AT_DESK = (
    RequestKind.CONSULTATION,
    RequestKind.SUGGESTION,
    RequestKind.PRAISE,
    RequestKind.HELP,
    RequestKind.ADMIN_SERVICE,
)
VISITED = (VisitStatus.DONE, VisitStatus.ESCALATED, VisitStatus.REVIEWED)


def _entries(ctx: MonthContext, employees: list[int]) -> Any:
    return ServiceRequest.objects.filter(
        community=ctx.community,
        received_by__in=employees,
        received_at__gte=ctx.start_at,
        received_at__lt=ctx.end_at,
    )


def _entry_evidence(rows: Any, why: str) -> dict[int, list[Evidence]]:
    evidence: dict[int, list[Evidence]] = {}
    for employee, pk, number in rows.order_by("received_at", "pk"):
        url = reverse("tickets:request-detail", args=[pk])
        keep(evidence, employee, Evidence(f"{number}: {why}", url))
    return evidence


def _rates(counts: Any, evidence: dict[int, list[Evidence]], text: str) -> dict[int, Outcome]:
    outcomes = {}
    for row in counts:
        employee, ok, total = row["employee"], row["ok"], row["total"]
        outcomes[employee] = Outcome(
            numerator=ok,
            denominator=total,
            achievement=rate(ok, total),
            formula=text % {"ok": ok, "n": total},
            evidence=evidence.get(employee, []),
        )
    return outcomes


@measure(
    "register_completeness",
    label=_("Register completeness"),
    roles=("receptionist",),
    source="tickets",
    evidence=_("The register entries without the requester's name or phone"),
)
def register_completeness(ctx: MonthContext) -> dict[int, Outcome]:
    """Complete entries ÷ entries the employee registered this month."""
    entries = _entries(ctx, ctx.with_role("receptionist"))
    counts = entries.values(employee=F("received_by")).annotate(
        total=Count("pk"), ok=Count("pk", filter=COMPLETE)
    )
    missing = entries.exclude(COMPLETE).values_list("received_by", "pk", "number")
    evidence = _entry_evidence(missing, gettext("requester's name or phone missing"))
    return _rates(counts, evidence, gettext("%(ok)s of %(n)s entries complete"))


@measure(
    "on_time_closure",
    label=_("Entries answered on time"),
    roles=("receptionist",),
    source="tickets",
    evidence=_("The entries answered late or not at all"),
)
def on_time_closure(ctx: MonthContext) -> dict[int, Outcome]:
    """Entries answered within appraisal.desk_answer_hours ÷ entries the desk answers."""
    hours = policy(ctx.community, "appraisal.desk_answer_hours")
    entries = _entries(ctx, ctx.with_role("receptionist")).filter(kind__in=ANSWERED_AT_DESK)
    on_time = Q(
        answered_at__isnull=False, answered_at__lte=F("received_at") + dt.timedelta(hours=hours)
    )
    counts = entries.values(employee=F("received_by")).annotate(
        total=Count("pk"), ok=Count("pk", filter=on_time)
    )
    late = entries.exclude(on_time).values_list("received_by", "pk", "number")
    evidence = _entry_evidence(
        late, gettext("not answered within %(hours)s hours") % {"hours": hours}
    )
    return _rates(counts, evidence, gettext("%(ok)s of %(n)s entries answered on time"))


def visits_on_time(ctx: MonthContext, employees: list[int]) -> dict[int, Outcome]:
    """Visits made by their due day ÷ visits the employee made that fell due this month."""
    visits = Visit.objects.filter(
        community=ctx.community,
        visitor__in=employees,
        due_on__gte=ctx.start,
        due_on__lte=ctx.end,
        status__in=VISITED,
    )
    on_time = Q(visited_on__lte=F("due_on"))
    counts = visits.values(employee=F("visitor")).annotate(
        total=Count("pk"), ok=Count("pk", filter=on_time)
    )
    evidence: dict[int, list[Evidence]] = {}
    late = visits.exclude(on_time).values_list("visitor", "pk", "due_on", "visited_on")
    for employee, pk, due, done in late.order_by("due_on", "pk"):
        label = gettext("visit due %(due)s made %(done)s") % {"due": due, "done": done}
        keep(evidence, employee, Evidence(label, reverse("visits:visit-detail", args=[pk])))
    return _rates(counts, evidence, gettext("%(ok)s of %(n)s visits on time"))


@measure(
    "callbacks",
    label=_("Call-backs on time"),
    roles=("receptionist",),
    source="visits",
    evidence=_("The follow-up visits made after their due day"),
)
def callbacks(ctx: MonthContext) -> dict[int, Outcome]:
    return visits_on_time(ctx, ctx.with_role("receptionist"))

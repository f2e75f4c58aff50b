"""The area manager's measures (spec §03, §24), each over the zones the employee looks
after: the zone's collection rate, patrols done, violations corrected, renovation sites
inspected, visits made on time and valid complaints from the zone."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from guanjia.billing.models import LedgerEntry
from guanjia.core.policies.selectors import policy
from guanjia.patrols.models import Patrol, PatrolKind, PatrolStatus
from guanjia.renovation.models import Inspection, Renovation
from guanjia.tickets.models import Complaint, Validity
from guanjia.violations.models import Violation, ViolationStatus

from . import Evidence, MonthContext, Outcome, keep, measure, rate
from .desk import visits_on_time
from .money import ZERO, collection, rate_outcome

ROLE = ("area_manager",)
CORRECTED = (ViolationStatus.CORRECTED, ViolationStatus.TRANSFERRED)


def _managers(ctx: MonthContext) -> dict[int, list[int]]:
    """The area managers scored, with the zones they look after."""
    return {pk: ctx.zones.get(pk, []) for pk in ctx.with_role(*ROLE)}


def _all_zones(ctx: MonthContext) -> list[int]:
    return sorted({zone for zones in _managers(ctx).values() for zone in zones})


def _by_zone(
    managers: dict[int, list[int]], counts: dict[int, tuple[int, int]]
) -> dict[int, tuple[int, int]]:
    """Per employee, the sum of their zones' (numerator, denominator)."""
    totals = {}
    for employee, zones in managers.items():
        pairs = [counts.get(zone, (0, 0)) for zone in zones]
        totals[employee] = (sum(p[0] for p in pairs), sum(p[1] for p in pairs))
    return totals


def _outcomes(
    ctx: MonthContext,
    counts: dict[int, tuple[int, int]],
    text: str,
    evidence: dict[int, list[Evidence]],
) -> dict[int, Outcome]:
    managers = _managers(ctx)
    zone_of_evidence: dict[int, list[Evidence]] = {}
    for employee, zones in managers.items():
        for zone in zones:
            zone_of_evidence.setdefault(employee, []).extend(evidence.get(zone, []))
    return {
        employee: Outcome(
            numerator=ok,
            denominator=total,
            achievement=rate(ok, total),
            formula=text % {"ok": ok, "n": total},
            evidence=zone_of_evidence.get(employee, [])[:30],
        )
        for employee, (ok, total) in _by_zone(managers, counts).items()
    }


@measure(
    "zone_collection_rate",
    label=_("Zone collection rate"),
    roles=ROLE,
    source="billing",
    evidence=_("The community's arrears of the month"),
)
def zone_collection_rate(ctx: MonthContext) -> dict[int, Outcome]:
    """The zones' current collection rate of the month ÷ billing.target_collection_rate."""
    entries = LedgerEntry.objects.filter(
        community=ctx.community, period=ctx.start, unit__building__zone__in=_all_zones(ctx)
    )
    totals = collection(entries, "unit__building__zone")
    target = Decimal(policy(ctx.community, "billing.target_collection_rate"))
    link = Evidence(
        gettext("Arrears of %(month)s") % {"month": f"{ctx.start:%Y-%m}"},
        reverse("billing:overview"),
    )
    outcomes = {}
    for employee, zones in _managers(ctx).items():
        billed = sum((totals.get(z, (ZERO, ZERO))[0] for z in zones), ZERO)
        collected = sum((totals.get(z, (ZERO, ZERO))[1] for z in zones), ZERO)
        outcomes[employee] = rate_outcome(billed, collected, target, link)
    return outcomes


@measure(
    "patrol_completion",
    label=_("Patrols done"),
    roles=ROLE,
    source="patrols",
    evidence=_("The patrols missed or not done"),
)
def patrol_completion(ctx: MonthContext) -> dict[int, Outcome]:
    """Routine patrols done ÷ routine patrols due so far this month in the zones (§27)."""
    last = min(ctx.end, timezone.localdate())
    patrols = Patrol.objects.filter(
        community=ctx.community,
        zone__in=_all_zones(ctx),
        kind=PatrolKind.ROUTINE,
        day__gte=ctx.start,
        day__lte=last,
    )
    counts = {
        row["zone"]: (row["ok"], row["total"])
        for row in patrols.values("zone")
        .annotate(total=Count("pk"), ok=Count("pk", filter=Q(status=PatrolStatus.DONE)))
        .order_by()
    }
    evidence: dict[int, list[Evidence]] = {}
    missed = patrols.exclude(status=PatrolStatus.DONE).values_list("zone_id", "pk", "day", "round")
    for zone, pk, day, round_ in missed.order_by("day", "pk"):
        label = gettext("patrol of %(day)s (round %(round)s) not done") % {
            "day": f"{day:%Y-%m-%d}",
            "round": round_,
        }
        keep(evidence, zone, Evidence(label, reverse("patrols:patrol-detail", args=[pk])))
    return _outcomes(ctx, counts, gettext("%(ok)s of %(n)s patrols done"), evidence)


@measure(
    "violations_corrected",
    label=_("Violations corrected"),
    roles=ROLE,
    source="violations",
    evidence=_("The violations found this month and not yet corrected"),
)
def violations_corrected(ctx: MonthContext) -> dict[int, Outcome]:
    """Violations corrected (or transferred) ÷ found this month in the zones (§27)."""
    found = Violation.objects.filter(
        community=ctx.community,
        unit__building__zone__in=_all_zones(ctx),
        found_at__gte=ctx.start_at,
        found_at__lt=ctx.end_at,
    ).exclude(status=ViolationStatus.CANCELLED)
    counts = {
        row["unit__building__zone"]: (row["ok"], row["total"])
        for row in found.values("unit__building__zone")
        .annotate(total=Count("pk"), ok=Count("pk", filter=Q(status__in=CORRECTED)))
        .order_by()
    }
    evidence: dict[int, list[Evidence]] = {}
    rows = found.exclude(status__in=CORRECTED).values_list("unit__building__zone", "pk", "number")
    for zone, pk, number in rows.order_by("found_at", "pk"):
        label = gettext("%(number)s not corrected") % {"number": number}
        keep(evidence, zone, Evidence(label, reverse("violations:violation-detail", args=[pk])))
    return _outcomes(ctx, counts, gettext("%(ok)s of %(n)s violations corrected"), evidence)


def _required(site: Any, ctx: MonthContext, interval: int) -> int:
    """Inspections a site needed this month: its days under works ÷ the interval."""
    first = max(ctx.start, site["permit_issued_on"])
    last = min(ctx.end, site["planned_end"], timezone.localdate())
    days = (last - first).days + 1
    return math.ceil(days / interval) if days > 0 else 0


@measure(
    "renovation_inspections",
    label=_("Renovation sites inspected"),
    roles=ROLE,
    source="renovation",
    evidence=_("The sites inspected fewer times than required"),
)
def renovation_inspections(ctx: MonthContext) -> dict[int, Outcome]:
    """Site inspections made ÷ required (reno.inspect_interval_days) in the zones (§27)."""
    interval = max(1, int(policy(ctx.community, "reno.inspect_interval_days")))
    sites = list(
        Renovation.objects.filter(
            community=ctx.community,
            zone__in=_all_zones(ctx),
            permit_issued_on__isnull=False,
            permit_issued_on__lte=ctx.end,
            planned_end__gte=ctx.start,
        ).values("pk", "number", "zone_id", "permit_issued_on", "planned_end")
    )
    done = dict(
        Inspection.objects.filter(
            renovation__in=[s["pk"] for s in sites], on__gte=ctx.start, on__lte=ctx.end
        )
        .values_list("renovation")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[int, tuple[int, int]] = {}
    evidence: dict[int, list[Evidence]] = {}
    for site in sites:
        need, made = _required(site, ctx, interval), done.get(site["pk"], 0)
        ok, total = counts.get(site["zone_id"], (0, 0))
        counts[site["zone_id"]] = (ok + min(made, need), total + need)
        if made < need:
            label = gettext("%(number)s: %(made)s of %(need)s inspections") % {
                "number": site["number"],
                "made": made,
                "need": need,
            }
            url = reverse("renovation:renovation-detail", args=[site["pk"]])
            keep(evidence, site["zone_id"], Evidence(label, url))
    return _outcomes(ctx, counts, gettext("%(ok)s of %(n)s inspections made"), evidence)


@measure(
    "visits_done",
    label=_("Visits made on time"),
    roles=ROLE,
    source="visits",
    evidence=_("The follow-up visits made after their due day"),
)
def visits_done(ctx: MonthContext) -> dict[int, Outcome]:
    return visits_on_time(ctx, ctx.with_role(*ROLE))


@measure(
    "zone_complaints",
    label=_("Complaints from the zone"),
    roles=ROLE,
    source="tickets",
    evidence=_("The valid complaints from the zone's units"),
)
def zone_complaints(ctx: MonthContext) -> dict[int, Outcome]:
    """appraisal.complaint_deduction points off per valid complaint registered this month
    from a unit of the zones."""
    per_case = Decimal(policy(ctx.community, "appraisal.complaint_deduction"))
    rows = Complaint.objects.filter(
        community=ctx.community,
        validity=Validity.VALID,
        request__unit__building__zone__in=_all_zones(ctx),
        request__received_at__gte=ctx.start_at,
        request__received_at__lt=ctx.end_at,
    ).values_list("request__unit__building__zone", "pk", "number")
    by_zone: dict[int, list[Evidence]] = {}
    for zone, pk, number in rows.order_by("pk"):
        url = reverse("tickets:complaint-detail", args=[pk])
        by_zone.setdefault(zone, []).append(Evidence(str(number), url))
    outcomes = {}
    for employee, zones in _managers(ctx).items():
        cases = [item for zone in zones for item in by_zone.get(zone, [])]
        outcomes[employee] = Outcome(
            numerator=len(cases),
            denominator=len(cases),
            deduction=per_case * len(cases),
            formula=gettext("%(n)s valid complaint(s)") % {"n": len(cases)},
            evidence=cases[:30],
        )
    return outcomes

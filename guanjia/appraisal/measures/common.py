"""Measures of every appraised role: spot checks and attendance (weighted) and the reward
and penalty points (a bonus, spec §24: "plus/minus from rewards/penalties")."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from guanjia.attendance.models import AttendanceDay, DayResult
from guanjia.conduct.models import CheckStatus, ConductRecord, SpotCheck, SpotCheckItem
from guanjia.conduct.models.records import IN_FORCE
from guanjia.core.policies.selectors import policy

from . import BONUS, Evidence, MonthContext, Outcome, keep, measure, rate

EVERYONE = ("receptionist", "cashier", "area_manager", "supervisor")
SIGNED = (CheckStatus.ACKNOWLEDGED, CheckStatus.REFUSED)
PRESENT = (DayResult.PRESENT, DayResult.LATE, DayResult.EARLY, DayResult.LATE_EARLY)
LATE = (DayResult.LATE, DayResult.EARLY, DayResult.LATE_EARLY)


@measure(
    "spot_checks",
    label=_("Spot checks passed"),
    roles=EVERYONE,
    source="conduct",
    evidence=_("The spot checks with failed items"),
)
def spot_checks(ctx: MonthContext) -> dict[int, Outcome]:
    """Items passed ÷ items checked in the checks signed (or refused) this month."""
    scope = Q(
        check_row__community=ctx.community,
        check_row__employee__in=list(ctx.roles),
        check_row__status__in=SIGNED,
        check_row__submitted_at__gte=ctx.start_at,
        check_row__submitted_at__lt=ctx.end_at,
    )
    counts = (
        SpotCheckItem.objects.filter(scope)
        .values("check_row__employee")
        .annotate(
            total=Count("pk", filter=~Q(result="")), failed=Count("pk", filter=Q(result="fail"))
        )
    )
    failed_checks = SpotCheck.objects.filter(
        community=ctx.community,
        employee__in=list(ctx.roles),
        status__in=SIGNED,
        submitted_at__gte=ctx.start_at,
        submitted_at__lt=ctx.end_at,
        failures__gt=0,
    ).values_list("employee_id", "pk", "number", "failures")
    evidence: dict[int, list[Evidence]] = {}
    for employee, pk, number, failures in failed_checks.order_by("submitted_at", "pk"):
        label = gettext("%(number)s: %(n)s item(s) failed") % {"number": number, "n": failures}
        keep(evidence, employee, Evidence(label, reverse("conduct:check-detail", args=[pk])))
    outcomes = {}
    for row in counts:
        employee, total, failed = row["check_row__employee"], row["total"], row["failed"]
        outcomes[employee] = Outcome(
            numerator=total - failed,
            denominator=total,
            achievement=rate(total - failed, total),
            formula=gettext("%(ok)s of %(n)s items passed") % {"ok": total - failed, "n": total},
            evidence=evidence.get(employee, []),
        )
    return outcomes


@measure(
    "attendance",
    label=_("Attendance"),
    roles=EVERYONE,
    source="attendance",
    evidence=_("The days late, early, absent or missing a punch"),
)
def attendance(ctx: MonthContext) -> dict[int, Outcome]:
    """Days present ÷ rostered days not on leave (spec §27), less points per late day."""
    days = AttendanceDay.objects.filter(
        community=ctx.community, employee__in=list(ctx.roles), day__gte=ctx.start, day__lte=ctx.end
    )
    counts = days.values("employee").annotate(
        due=Count("pk", filter=~Q(result=DayResult.LEAVE)),
        present=Count("pk", filter=Q(result__in=PRESENT)),
        lates=Count("pk", filter=Q(result__in=LATE)),
        halves=Sum("absent_halves"),
    )
    per_late = Decimal(policy(ctx.community, "appraisal.late_deduction"))
    labels = dict(DayResult.choices)
    evidence: dict[int, list[Evidence]] = {}
    flagged = days.exclude(result__in=(DayResult.PRESENT, DayResult.LEAVE)).values_list(
        "employee_id", "day", "result", "late_minutes", "early_minutes"
    )
    for employee, day, result, late, early in flagged.order_by("day", "pk"):
        minutes = gettext(" (%(n)s min)") % {"n": late + early} if late + early else ""
        url = reverse("attendance:employee", args=[employee]) + f"?month={day:%Y-%m}"
        keep(evidence, employee, Evidence(f"{day:%Y-%m-%d} {labels[result]}{minutes}", url))
    outcomes = {}
    for row in counts:
        employee = row["employee"]
        outcomes[employee] = Outcome(
            numerator=row["present"],
            denominator=row["due"],
            achievement=rate(row["present"], row["due"]),
            deduction=per_late * row["lates"],
            formula=gettext("%(present)s of %(due)s days present, %(lates)s late or early")
            % {"present": row["present"], "due": row["due"], "lates": row["lates"]},
            evidence=evidence.get(employee, []),
        )
    return outcomes


@measure(
    "conduct_points",
    label=_("Rewards and penalties"),
    roles=EVERYONE,
    source="conduct",
    evidence=_("The rewards and penalties that took effect this month"),
    kind=BONUS,
)
def conduct_points(ctx: MonthContext) -> dict[int, Outcome]:
    """The points of the records in force that took effect this month, times
    appraisal.conduct_points_factor."""
    factor = Decimal(policy(ctx.community, "appraisal.conduct_points_factor"))
    rows = ConductRecord.objects.filter(
        community=ctx.community,
        employee__in=list(ctx.roles),
        status__in=IN_FORCE,
        effective_on__gte=ctx.start,
        effective_on__lte=ctx.end,
    ).values_list("employee_id", "pk", "number", "level__name", "points")
    outcomes: dict[int, Outcome] = {}
    for employee, pk, number, level, points in rows.order_by("effective_on", "pk"):
        outcome = outcomes.setdefault(employee, Outcome())
        outcome.numerator += points
        outcome.denominator += 1
        outcome.bonus = factor * outcome.numerator
        outcome.formula = gettext("%(points)s points × %(factor)s") % {
            "points": outcome.numerator,
            "factor": factor.normalize(),
        }
        url = reverse("conduct:record-detail", args=[pk])
        outcome.evidence.append(Evidence(f"{number} {level} ({points:+d})", url))
    return outcomes

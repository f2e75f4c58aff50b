"""The monthly computation (spec §24): every appraised employee of a community scored on
their role's measures for a month, in a few bulk queries per measure (never a query per
employee), written in one transaction; run as a job with progress."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from guanjia.accounts.models import Membership
from guanjia.core.models import Community
from guanjia.core.policies.selectors import policy
from guanjia.estates.models import Zone

from ..measures import BONUS, EVIDENCE_KEPT, MEASURES, Measure, MonthContext, Outcome
from ..models import Grade, MonthlyScore, ScoreLine
from ..policies import APPRAISED_ROLES, parse_weights

TWO = Decimal("0.01")
HUNDRED = Decimal(100)
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class MonthSummary:
    community_id: int
    month: dt.date
    employees: int
    lines: int


def month_end(month: dt.date) -> dt.date:
    following = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def grade_for(community: Community, score: Decimal) -> str:
    """The grade band of a score (appraisal.grade_*_min)."""
    for grade in (Grade.A, Grade.B, Grade.C, Grade.D):
        if score >= policy(community, f"appraisal.grade_{grade.lower()}_min"):
            return str(grade)
    return str(Grade.E)


def weights_of(community: Community, role: str) -> dict[str, int]:
    return parse_weights(policy(community, f"appraisal.weights.{role}"))


def staff_of_month(
    community: Community, start: dt.date, end: dt.date
) -> dict[int, tuple[str, int]]:
    """Employee id -> (role, days in the team) of the appraised staff who worked in the
    community during the month (the role held longest; an acting cover counts too)."""
    rows = (
        Membership.objects.filter(
            community=community, role__name__in=APPRAISED_ROLES, starts_on__lte=end
        )
        .exclude(ends_on__lt=start)
        .values_list("user_id", "role__name", "starts_on", "ends_on")
    )
    best: dict[int, tuple[str, int]] = {}
    for user, role, starts, ends in rows.order_by("user_id", "pk"):
        days = (min(end, ends or end) - max(start, starts)).days + 1
        if days > best.get(user, ("", 0))[1]:
            best[user] = (role, days)
    return best


def _zones(community: Community, managers: list[int]) -> dict[int, list[int]]:
    zones: dict[int, list[int]] = {}
    rows = Zone.objects.filter(community=community, area_manager__in=managers)
    for zone, manager in rows.values_list("pk", "area_manager_id").order_by("pk"):
        zones.setdefault(manager, []).append(zone)
    return zones


def _line(measure: Measure, weight: int, outcome: Outcome, position: int) -> ScoreLine:
    if measure.kind == BONUS:
        points = outcome.bonus
        lost = -points if points < 0 else Decimal(0)
    else:
        full = Decimal(weight)
        points = max(Decimal(0), full * outcome.achievement - (outcome.deduction or 0))
        points = min(full, points)
        lost = full - points
    evidence = outcome.evidence if lost > 0 or measure.kind == BONUS else []
    return ScoreLine(
        measure=measure.code,
        label=str(measure.label)[:100],
        source=measure.source,
        weight=weight,
        numerator=outcome.numerator,
        denominator=outcome.denominator,
        achievement=outcome.achievement.quantize(Decimal("0.0001")),
        points=points.quantize(TWO, ROUND_HALF_UP),
        lost=lost.quantize(TWO, ROUND_HALF_UP),
        formula=outcome.formula[:300],  # empty: the page says "nothing to count" in its language
        evidence=[item.as_json() for item in evidence[:EVIDENCE_KEPT]],
        position=position,
    )


def _lines_of(
    role: str, weights: dict[str, int], results: dict[str, dict[int, Outcome]], employee: int
) -> list[ScoreLine]:
    lines = []
    codes = [*weights, *(c for c, m in MEASURES.items() if m.kind == BONUS and role in m.roles)]
    for position, code in enumerate(codes):
        outcome = results.get(code, {}).get(employee) or Outcome()
        lines.append(_line(MEASURES[code], weights.get(code, 0), outcome, position))
    return lines


def compute_month(
    community: Community, month: dt.date, *, progress: Progress | None = None
) -> MonthSummary:
    """Score every appraised employee of `community` for `month` (its first day) and store the
    scores, their lines and evidence; a rater's adjustments stay. Idempotent: a second run
    replaces the computed part."""
    start, end = month.replace(day=1), month_end(month)
    staff = staff_of_month(community, start, end)
    roles = {pk: role for pk, (role, _days) in staff.items()}
    managers = [pk for pk, role in roles.items() if role == "area_manager"]
    ctx = MonthContext(community, start, end, roles, _zones(community, managers))
    weights = {role: weights_of(community, role) for role in set(roles.values())}
    wanted = {code for w in weights.values() for code in w} | {
        c for c, m in MEASURES.items() if m.kind == BONUS
    }
    results: dict[str, dict[int, Outcome]] = {}
    todo = [MEASURES[code] for code in MEASURES if code in wanted]
    for done, measure in enumerate(todo, 1):
        results[measure.code] = measure.compute(ctx) if roles else {}
        if progress is not None:
            progress(done, len(todo) + 1, str(measure.label))
    lines = {pk: _lines_of(role, weights[role], results, pk) for pk, role in roles.items()}
    _store(community, start, staff, lines)
    if progress is not None:
        progress(len(todo) + 1, len(todo) + 1, gettext("Scores saved"))
    return MonthSummary(community.pk, start, len(staff), sum(len(v) for v in lines.values()))


@transaction.atomic
def _store(
    community: Community,
    month: dt.date,
    staff: dict[int, tuple[str, int]],
    lines: dict[int, list[ScoreLine]],
) -> None:
    now = timezone.now()
    existing = {
        s.employee_id: s
        for s in MonthlyScore.objects.select_for_update().filter(community=community, month=month)
    }
    new: list[MonthlyScore] = []
    changed: list[MonthlyScore] = []
    for employee, (role, days) in staff.items():
        computed = min(
            HUNDRED, max(Decimal(0), sum((x.points for x in lines[employee]), Decimal(0)))
        )
        score = existing.get(employee) or MonthlyScore(
            community=community, employee_id=employee, month=month
        )
        total = min(HUNDRED, max(Decimal(0), computed + (score.adjustment or 0)))
        score.role, score.days, score.computed, score.total = role, days, computed, total
        score.grade, score.computed_at = grade_for(community, total), now
        score.updated_at = now
        (changed if score.pk else new).append(score)
    MonthlyScore.objects.bulk_create(new)
    MonthlyScore.objects.bulk_update(
        changed, ["role", "days", "computed", "total", "grade", "computed_at", "updated_at"]
    )
    scores = {s.employee_id: s for s in [*new, *changed]}
    ScoreLine.objects.filter(score__in=list(scores.values())).delete()
    rows = []
    for employee, items in lines.items():
        for line in items:
            line.score = scores[employee]
            rows.append(line)
    ScoreLine.objects.bulk_create(rows, batch_size=2000)


def run_month(run: Any, *, community_id: int, month: str) -> dict[str, Any]:
    """The job: compute one community's month with progress (docs/jobs.md)."""
    from guanjia.core.jobs.services import report_progress

    community = Community.objects.get(pk=community_id)

    def progress(done: int, total: int, message: str) -> None:
        report_progress(run, done=done, total=total, message=message)

    summary = compute_month(community, dt.date.fromisoformat(month), progress=progress)
    return {"employees": summary.employees, "lines": summary.lines, "month": month}


def compute_last_month() -> None:
    """The nightly schedule: last month's scores of every community, once a month each."""
    from guanjia.core.jobs.services import run_once

    last = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
    month = last.replace(day=1)
    for community in Community.objects.order_by("pk"):
        run_once(
            f"appraisal.month:{community.pk}:{month:%Y-%m}",
            functools.partial(compute_month, community, month),
            label=gettext("Monthly scores of %(month)s") % {"month": f"{month:%Y-%m}"},
        )

"""The quarterly, annual and probation appraisal (spec §24): open, self-assess, rate,
review, confirm, publish, appeal, resolve, close. Each step one function: permission,
lock, check, the workflow's transition (which writes the event and tells who must act)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanjia.conduct.models import ConductRecord
from guanjia.conduct.models.records import RecordStatus
from guanjia.core import workflows
from guanjia.core.access import User, has_perm_in, require_perm
from guanjia.core.calendars.selectors.clock import add_working_days
from guanjia.core.models import Community
from guanjia.core.policies.selectors import policy
from guanjia.core.workflows import Code, WorkflowDenied

from ..models import Appraisal, Grade, Kind, MonthlyScore, ProbationOutcome, Status
from ..models.appraisals import OPEN_PERM, REVIEW
from .compute import grade_for, month_end, staff_of_month
from .limits import excellent_refusals

TWO = Decimal("0.01")


def period_of(kind: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """The quarter or year that contains `day`."""
    if kind == Kind.YEAR:
        return dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)
    first = dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    return first, month_end(dt.date(first.year, first.month + 2, 1))


def base_scores(
    employees: list[int], start: dt.date, end: dt.date
) -> dict[int, tuple[Decimal, list]]:
    """Per employee, the average of the monthly scores of the period weighted by the days in
    each team (a transfer counts pro rata), with the months counted. One query."""
    rows = MonthlyScore.objects.filter(
        employee__in=employees, month__gte=start.replace(day=1), month__lte=end
    ).values_list(
        "employee_id", "community_id", "community__name", "role", "month", "days", "total"
    )
    sums: dict[int, tuple[Decimal, int, list]] = {}
    for employee, community, name, role, month, days, total in rows.order_by("month", "pk"):
        weighted, count, parts = sums.get(employee, (Decimal(0), 0, []))
        parts.append(
            {
                "community": name,
                "community_id": community,
                "role": role,
                "month": f"{month:%Y-%m}",
                "days": days,
                "score": str(total),
            }
        )
        sums[employee] = (weighted + total * days, count + days, parts)
    return {
        employee: ((weighted / days).quantize(TWO), parts)
        for employee, (weighted, days, parts) in sums.items()
        if days
    }


def _self_assessment_due(community: Community) -> dt.date:
    days = policy(community, "appraisal.self_assessment_days")
    return timezone.localdate() + dt.timedelta(days=days)


@transaction.atomic
def open_period(*, community: Community, kind: str, day: dt.date, by: User) -> list[Appraisal]:
    """Open the quarter's or the year's appraisal of every appraised employee of the
    community (those already open are left alone)."""
    require_perm(by, OPEN_PERM, community)
    if kind not in (Kind.QUARTER, Kind.YEAR):
        raise ValidationError({"kind": _("Open a quarter or a year.")}, code="invalid")
    start, end = period_of(kind, day)
    staff = staff_of_month(community, start, end)
    done = set(
        Appraisal.objects.filter(community=community, kind=kind, period_start=start).values_list(
            "employee_id", flat=True
        )
    )
    bases = base_scores([pk for pk in staff if pk not in done], start, end)
    due = _self_assessment_due(community) if kind == Kind.YEAR else None
    rows = [
        Appraisal(
            community=community,
            employee_id=pk,
            role=role,
            kind=kind,
            period_start=start,
            period_end=end,
            opened_by=by,
            base_score=bases.get(pk, (None, []))[0],
            parts=bases.get(pk, (None, []))[1],
            self_assessment_due=due,
        )
        for pk, (role, _days) in sorted(staff.items())
        if pk not in done
    ]
    created = Appraisal.objects.bulk_create(rows)
    for appraisal in created:
        workflows.record_creation(appraisal, by=by)
    return created


@transaction.atomic
def open_probation(
    *, community: Community, employee: User, start: dt.date, end: dt.date, by: User
) -> Appraisal:
    """The review at the end of an employee's probation (confirm, extend or terminate)."""
    require_perm(by, OPEN_PERM, community)
    if end < start:
        raise ValidationError(
            {"period_end": _("The end must not be before the start.")}, code="period"
        )
    staff = staff_of_month(community, start, end)
    if employee.pk not in staff:
        raise ValidationError(
            {
                "employee": _("%(name)s is not appraised in this community in that period.")
                % {"name": employee}
            },
            code="not_staff",
        )
    if Appraisal.objects.filter(
        community=community, employee=employee, kind=Kind.PROBATION, period_start=start
    ).exists():
        raise ValidationError(_("This employee already has this appraisal."), code="duplicate")
    base, parts = base_scores([employee.pk], start, end).get(employee.pk, (None, []))
    appraisal = Appraisal.objects.create(
        community=community,
        employee=employee,
        role=staff[employee.pk][0],
        kind=Kind.PROBATION,
        period_start=start,
        period_end=end,
        opened_by=by,
        base_score=base,
        parts=parts,
        self_assessment_due=_self_assessment_due(community),
    )
    workflows.record_creation(appraisal, by=by)
    return appraisal


def self_assess(*, appraisal: Appraisal, text: str, by: User) -> Appraisal:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the self-assessment.")}, code="required")
    if not appraisal.needs_self_assessment:
        raise ValidationError(_("A quarterly appraisal has no self-assessment."), code="no_self")
    workflows.transition(appraisal, Status.SELF_ASSESSED, by=by, self_assessment=text[:4000])
    return appraisal


@transaction.atomic
def declare_dispute(*, appraisal: Appraisal, rater: User, reason: str, by: User) -> Appraisal:
    """The employee names a rater they are in dispute with: the next level rates."""
    locked = workflows.lock(appraisal)
    if by.pk != locked.employee_id:
        raise WorkflowDenied(Code.NOT_PERMITTED, _("Only the employee declares a dispute."))
    if locked.status not in (Status.OPEN, Status.SELF_ASSESSED):
        raise ValidationError(_("The appraisal is already rated."), code="already_rated")
    if not (reason or "").strip():
        raise ValidationError(
            {"reason": _("Say what the dispute is about.")}, code="reason_required"
        )
    if rater.pk == by.pk:
        raise ValidationError({"rater": _("Name the rater, not yourself.")}, code="invalid")
    locked.disputed_with, locked.dispute_reason = rater, reason.strip()[:500]
    locked.save(update_fields=["disputed_with", "dispute_reason", "updated_at"])
    workflows.record_event(
        locked, by=by, action="dispute", note=f"{rater}: {locked.dispute_reason}"
    )
    appraisal.refresh_from_db()
    return appraisal


def in_dispute(appraisal: Appraisal, user: User) -> bool:
    """Whether `user` is party to a dispute with the employee: named by them, or the
    proposer or approver of a penalty the employee is appealing."""
    if appraisal.disputed_with_id == user.pk:
        return True
    return ConductRecord.objects.filter(
        Q(proposed_by=user) | Q(decided_by=user),
        employee=appraisal.employee_id,
        status=RecordStatus.APPEALED,
    ).exists()


def check_rater(appraisal: Appraisal, by: User) -> None:
    """Refuse a rater rating themselves, or party to a dispute (the next level rates)."""
    if by.pk == appraisal.employee_id:
        raise WorkflowDenied(Code.NOT_PERMITTED, _("Nobody rates their own appraisal."))
    if in_dispute(appraisal, by):
        raise WorkflowDenied(
            Code.NOT_PERMITTED,
            _(
                "You are party to a dispute with %(name)s: the next level (the director) rates "
                "this appraisal."
            )
            % {"name": appraisal.employee},
        )
    if appraisal.disputed_with_id and not has_perm_in(by, REVIEW, appraisal.community_id):
        raise WorkflowDenied(
            Code.NOT_PERMITTED, _("The rater is in dispute: the next level rates this appraisal.")
        )


def parse_score(raw: Any) -> Decimal:
    try:
        score = Decimal(str(raw)).quantize(TWO)
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError({"score": _("Enter a score from 0 to 100.")}, code="invalid") from exc
    if not Decimal(0) <= score <= Decimal(100):
        raise ValidationError({"score": _("Enter a score from 0 to 100.")}, code="range")
    return score


def _graded(appraisal: Appraisal, score: Decimal) -> str:
    grade = grade_for(appraisal.community, score)
    if grade == Grade.A:
        refusals = excellent_refusals(appraisal, score)
        if refusals:
            raise ValidationError(
                {
                    "score": _("%(name)s cannot be graded excellent: %(why)s.")
                    % {"name": appraisal.employee, "why": "; ".join(refusals)}
                },
                code="excellent_refused",
            )
    return grade


def _probation(appraisal: Appraisal, outcome: str, until: dt.date | None) -> dict[str, Any]:
    if appraisal.kind != Kind.PROBATION:
        return {}
    if outcome not in ProbationOutcome.values:
        raise ValidationError(
            {"probation_outcome": _("Choose confirm, extend or terminate.")}, code="required"
        )
    if outcome == ProbationOutcome.EXTEND and (until is None or until <= appraisal.period_end):
        raise ValidationError(
            {
                "probation_until": _("Give the new end of the probation, after %(end)s.")
                % {"end": appraisal.period_end}
            },
            code="required",
        )
    return {
        "probation_outcome": outcome,
        "probation_until": until if outcome == ProbationOutcome.EXTEND else None,
    }


@transaction.atomic
def rate(*, appraisal: Appraisal, score: Any, by: User, **details: Any) -> Appraisal:
    """The supervisor's rating: a score (a different one from the monthly average needs a
    reason), the grade of its band within the limits, comments; a probation's outcome."""
    locked = workflows.lock(appraisal)
    check_rater(locked, by)
    value = parse_score(score)
    reason = (details.get("score_reason") or "").strip()
    if locked.base_score is not None and value != locked.base_score and not reason:
        raise ValidationError(
            {
                "score_reason": _("The score differs from the monthly average (%(base)s): say why.")
                % {"base": locked.base_score}
            },
            code="reason_required",
        )
    fields = _probation(
        locked, details.get("probation_outcome", ""), details.get("probation_until")
    )
    texts: dict[str, Any] = {
        k: (details.get(k) or "").strip()[:2000]
        for k in ("strengths", "improvements", "training_needs")
    }
    workflows.transition(
        locked,
        Status.RATED,
        by=by,
        note=reason,
        rater=by,
        score=value,
        score_reason=reason[:500],
        grade=_graded(locked, value),
        **texts,
        **fields,
    )
    appraisal.refresh_from_db()
    return appraisal


def review(*, appraisal: Appraisal, note: str, by: User) -> Appraisal:
    workflows.transition(appraisal, Status.REVIEWED, by=by, note=(note or "").strip(), reviewer=by)
    return appraisal


def confirm(*, appraisal: Appraisal, by: User) -> Appraisal:
    workflows.transition(appraisal, Status.CONFIRMED, by=by, confirmed_by=by)
    return appraisal


def publish(*, appraisal: Appraisal, by: User) -> Appraisal:
    """Publish to the employee; the appeal window runs appraisal.appeal_workdays."""
    today = timezone.localdate()
    days = policy(appraisal.community, "appraisal.appeal_workdays")
    until = add_working_days(today, days, community=appraisal.community)
    workflows.transition(appraisal, Status.PUBLISHED, by=by, published_on=today, appeal_until=until)
    return appraisal


@transaction.atomic
def appeal(*, appraisal: Appraisal, grounds: str, by: User) -> Appraisal:
    locked = workflows.lock(appraisal)
    grounds = (grounds or "").strip()
    if not grounds:
        raise ValidationError({"grounds": _("Give the grounds of the appeal.")}, code="required")
    if locked.appeal_until and timezone.localdate() > locked.appeal_until:
        raise ValidationError(
            _("The appeal window closed on %(day)s.") % {"day": locked.appeal_until},
            code="appeal_closed",
        )
    workflows.transition(
        locked, Status.APPEALED, by=by, note=grounds[:2000], appeal_grounds=grounds[:2000]
    )
    appraisal.refresh_from_db()
    return appraisal


@transaction.atomic
def resolve_appeal(*, appraisal: Appraisal, result: str, by: User, score: Any = None) -> Appraisal:
    """HR's decision on the appeal (final); a changed score is graded again within the limits."""
    locked = workflows.lock(appraisal)
    result = (result or "").strip()
    if not result:
        raise ValidationError({"result": _("Give the decision on the appeal.")}, code="required")
    fields: dict[str, Any] = {"appeal_result": result[:2000]}
    if score not in (None, ""):
        value = parse_score(score)
        fields.update(score=value, grade=_graded(locked, value))
    workflows.transition(locked, Status.RESOLVED, by=by, note=result[:2000], **fields)
    appraisal.refresh_from_db()
    return appraisal


def close(*, appraisal: Appraisal, by: User | None) -> Appraisal:
    """Close after the appeal window (HR, or the nightly job) or after the appeal."""
    if (
        appraisal.status == Status.PUBLISHED
        and appraisal.appeal_until
        and timezone.localdate() <= appraisal.appeal_until
    ):
        raise ValidationError(
            _("The appeal window is open until %(day)s.") % {"day": appraisal.appeal_until},
            code="appeal_open",
        )
    workflows.transition(appraisal, Status.CLOSED, by=by)
    return appraisal


def close_expired() -> int:
    """The nightly job: close published appraisals whose appeal window has passed."""
    closed = 0
    rows = Appraisal.objects.filter(status=Status.PUBLISHED, appeal_until__lt=timezone.localdate())
    for appraisal in rows.select_related("community").order_by("pk"):
        close(appraisal=appraisal, by=None)
        closed += 1
    return closed

"""Proposals generated from what the other registers hold (spec §23): substantiated
complaints about an employee, failed spot checks, computed attendance (a late arrival, an
early leave, an absence: `guanjia.attendance.selectors.attendance_findings`), and the
cumulative rules of the level table (3 written warnings → a demerit). They are only
proposals: a person confirms the facts, the employee signs, an approver decides (spec §22:
"computed results are never penalties by themselves")."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.attendance.models import DayResult
from guanjia.attendance.selectors import attendance_findings
from guanjia.core.access import User, require_perm
from guanjia.core.models import Community
from guanjia.core.policies.selectors import policy
from guanjia.tickets.models import Complaint
from guanjia.tickets.models.complaints import ComplaintStatus, Validity

from ..models import (
    ConductRecord,
    RecordLevel,
    RecordStatus,
    Source,
    SpotCheck,
)
from ..models.checks import SIGNED_STATUSES
from ._common import add_months, staff_of
from .checks import failed_items_text
from .records import Evidence, propose_record

DONE = (
    ComplaintStatus.RESOLVED,
    ComplaintStatus.REPLIED,
    ComplaintStatus.VISITED,
    ComplaintStatus.CLOSED,
)
# A suggestion counted records that stay counted unless it was dropped or rejected.
UNUSED = (RecordStatus.DROPPED, RecordStatus.REJECTED)


def _level(community: Community, source: str) -> RecordLevel | None:
    return RecordLevel.objects.filter(company_id=community.company_id, default_for=source).first()


def _from_complaints(community: Community, since: dt.date, by: User | None) -> int:
    level = _level(community, Source.COMPLAINT)
    if level is None:
        return 0
    staff = set(staff_of(community).values_list("pk", flat=True))
    taken = ConductRecord.objects.filter(complaint__isnull=False).values("complaint_id")
    rows = (
        Complaint.objects.filter(
            community=community,
            validity=Validity.VALID,
            status__in=DONE,
            about_employee__isnull=False,
            resolved_at__date__gte=since,
        )
        .exclude(pk__in=taken)
        .select_related("request", "about_employee")
    )
    count = 0
    for complaint in rows:
        if complaint.about_employee_id not in staff:
            continue
        employee = complaint.about_employee
        if employee is None:
            continue
        facts = _("Substantiated complaint %(number)s: %(content)s") % {
            "number": complaint.number,
            "content": complaint.request.content,
        }
        propose_record(
            community=community,
            employee=employee,
            level=level,
            facts=facts[:2000],
            event_date=timezone.localdate(complaint.resolved_at or complaint.created_at),
            evidence=Evidence(source=Source.COMPLAINT, complaint=complaint),
            by=by,
        )
        count += 1
    return count


def _from_checks(community: Community, since: dt.date, by: User | None) -> int:
    level = _level(community, Source.SPOT_CHECK)
    if level is None:
        return 0
    rows = (
        SpotCheck.objects.filter(
            community=community,
            status__in=SIGNED_STATUSES,
            failures__gt=0,
            submitted_at__date__gte=since,
        )
        .exclude(records__isnull=False)
        .select_related("employee", "community")
    )
    count = 0
    staff = set(staff_of(community).values_list("pk", flat=True))
    for check in rows:
        if check.employee_id not in staff:
            continue
        propose_record(
            community=community,
            employee=check.employee,
            level=level,
            facts=failed_items_text(check),
            event_date=timezone.localdate(check.submitted_at or check.created_at),
            evidence=Evidence(source=Source.SPOT_CHECK, spot_check=check),
            by=by,
        )
        count += 1
    return count


# Results that propose a penalty; a missing punch is explained and approved, not penalised.
PENALISED = (
    DayResult.LATE,
    DayResult.EARLY,
    DayResult.LATE_EARLY,
    DayResult.HALF_ABSENT,
    DayResult.ABSENT,
)


def _months(since: dt.date, until: dt.date) -> list[dt.date]:
    months, month = [], since.replace(day=1)
    while month <= until:
        months.append(month)
        month = add_months(month, 1)
    return months


def _from_attendance(community: Community, since: dt.date, by: User | None) -> int:
    """One proposal a day found late, early or absent (the level the table proposes for
    attendance, else the verbal warning); a day already proposed never again (its stable
    reference `att:<employee>:<day>`)."""
    level = _level(community, Source.ATTENDANCE) or (
        RecordLevel.objects.filter(company_id=community.company_id, code="verbal_warning").first()
    )
    if level is None:
        return 0
    taken = set(
        ConductRecord.objects.filter(community=community, source=Source.ATTENDANCE).values_list(
            "evidence_ref", flat=True
        )
    )
    staff = {user.pk: user for user in staff_of(community)}
    today, count = timezone.localdate(), 0
    for month in _months(since, today):
        for employee_month in attendance_findings(community, month):
            employee = staff.get(employee_month.employee_id)
            if employee is None:
                continue
            for finding in employee_month.findings:
                if (
                    finding.result not in PENALISED
                    or finding.day < since
                    or finding.day >= today  # a day is judged once it is over
                    or finding.reference in taken
                ):
                    continue
                facts = _(
                    "Attendance %(day)s: %(result)s (late %(late)s min, early %(early)s min, "
                    "absent %(absent)s day)"
                ) % {
                    "day": f"{finding.day:%Y-%m-%d}",
                    "result": DayResult(finding.result).label,
                    "late": finding.late_minutes,
                    "early": finding.early_minutes,
                    "absent": finding.absent_days,
                }
                propose_record(
                    community=community,
                    employee=employee,
                    level=level,
                    facts=facts,
                    event_date=finding.day,
                    evidence=Evidence(
                        source=Source.ATTENDANCE, reference=finding.reference, text=facts[:500]
                    ),
                    by=by,
                )
                taken.add(finding.reference)
                count += 1
    return count


def _cumulative(community: Community, by: User | None) -> int:
    """N records in force of a level within `rp.cumulative_months` suggest one of its higher
    level; a record counts once (unless that suggestion was dropped or rejected)."""
    since = add_months(timezone.localdate(), -policy(community, "rp.cumulative_months"))
    levels = RecordLevel.objects.filter(
        company_id=community.company_id, converts_after__isnull=False, converts_to__isnull=False
    ).select_related("converts_to")
    staff = {u.pk: u for u in staff_of(community)}
    count = 0
    for level in levels:
        counted = ConductRecord.objects.filter(suggestions__isnull=False).exclude(
            suggestions__status__in=UNUSED
        )
        rows = (
            ConductRecord.objects.in_force()
            .filter(community=community, level=level, event_date__gte=since)
            .exclude(pk__in=counted.values("pk"))
            .order_by("employee_id", "event_date", "pk")
        )
        by_employee: dict[int, list[ConductRecord]] = {}
        for row in rows:
            by_employee.setdefault(row.employee_id, []).append(row)
        after, higher = level.converts_after, level.converts_to
        if after is None or higher is None:
            continue
        for employee_id, records in by_employee.items():
            if employee_id not in staff or len(records) < after:
                continue
            used = records[:after]
            numbers = "、".join(r.number for r in used)
            propose_record(
                community=community,
                employee=staff[employee_id],
                level=higher,
                facts=_("%(count)s × %(level)s: %(numbers)s (suggested by the rule, to confirm)")
                % {"count": len(used), "level": level.name, "numbers": numbers},
                event_date=timezone.localdate(),
                evidence=Evidence(source=Source.CUMULATIVE, reference=used[-1].number),
                by=by,
                based_on=used,
            )
            count += 1
    return count


@transaction.atomic
def generate_proposals(*, community: Community, by: User | None) -> dict[str, int]:
    """Every proposal the registers call for in one community now; counts by source. The
    same complaint, check or set of records never proposes twice."""
    if by is not None:
        require_perm(by, "conduct.add_conductrecord", community)
    since = timezone.localdate() - dt.timedelta(days=policy(community, "rp.proposal_lookback_days"))
    return {
        Source.COMPLAINT: _from_complaints(community, since, by),
        Source.SPOT_CHECK: _from_checks(community, since, by),
        Source.ATTENDANCE: _from_attendance(community, since, by),
        Source.CUMULATIVE: _cumulative(community, by),
    }


def generate_nightly() -> dict[str, int]:
    """The scheduled job: proposals in every open community, then minor penalties lapse."""
    from .records import expire_records

    totals: dict[str, int] = {}
    for community in Community.objects.filter(is_active=True).select_related("company"):
        for key, value in generate_proposals(community=community, by=None).items():
            totals[key] = totals.get(key, 0) + value
    totals["expired"] = expire_records()
    return totals

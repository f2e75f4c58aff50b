"""Punches (spec §22): recorded on the web at the post, imported from the attendance
machine (importers.py), or a missing one explained and approved (补卡), at most
`att.max_missing_punch` a month."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.core import workflows
from guanjia.core.access import User, require_perm
from guanjia.core.models import Community
from guanjia.core.policies.selectors import policy

from ..models import MissingPunch, MissingStatus, Punch, PunchColumns, PunchSource
from ._common import ROSTERED, check_month_open, field_error, month_end, month_start, required
from .compute import recompute_day


@transaction.atomic
def record_punch(*, community: Community, by: User, at: dt.datetime | None = None) -> Punch:
    """The employee punches in or out on the web at the post: now."""
    require_perm(by, ROSTERED, community)
    moment = (at or timezone.now()).replace(microsecond=0)
    day = timezone.localtime(moment).date()
    check_month_open(community.pk, [day], by, "at")
    punch, created = Punch.objects.get_or_create(
        employee=by, at=moment, defaults={"community": community, "source": PunchSource.WEB}
    )
    if not created:
        raise field_error("at", _("This punch is already recorded."), "duplicate")
    recompute_day(community, by.pk, day)
    return punch


def add_punches(
    *, community: Community, rows: Sequence[tuple[int, dt.datetime]], batch_id: int | None
) -> int:
    """Machine punches (already checked by the importer): the ones already recorded are left
    alone, so the same file twice adds nothing. Returns how many were new."""
    if not rows:
        return 0
    ats = [at for _employee, at in rows]
    known = set(
        Punch.objects.filter(
            employee_id__in={employee for employee, _at in rows},
            at__range=(min(ats), max(ats)),
        ).values_list("employee_id", "at")
    )
    new = [
        Punch(
            community=community,
            employee_id=employee,
            at=at,
            source=PunchSource.MACHINE,
            batch_id=batch_id,
        )
        for employee, at in rows
        if (employee, at) not in known
    ]
    Punch.objects.bulk_create(new, batch_size=2000, ignore_conflicts=True)
    return len(new)


@transaction.atomic
def save_punch_columns(
    *, community: Community, staff_no: str, punched_at: str, date: str, time: str, by: User
) -> PunchColumns:
    """How the community's attendance machine names its columns (mapped once)."""
    require_perm(by, "attendance.add_punch", community)
    staff = required(staff_no, "staff_no", _("Name the staff number column."))
    both, day, clock = punched_at.strip(), date.strip(), time.strip()
    if not both and not (day and clock):
        raise field_error(
            "punched_at",
            _("Name the date and time column, or the date column and the time column."),
            "required",
        )
    if both and (day or clock):
        raise field_error(
            "date", _("Either one date and time column, or a date and a time column."), "invalid"
        )
    names = [name for name in (staff, both, day, clock) if name]
    if len(set(names)) != len(names):
        raise field_error("staff_no", _("Each column has its own name."), "repeated")
    columns, _created = PunchColumns.objects.update_or_create(
        community=community,
        defaults={"staff_no": staff, "punched_at": both, "date": day, "time": clock},
    )
    return columns


@transaction.atomic
def request_missing_punch(
    *, community: Community, at: dt.datetime, explanation: str, by: User
) -> MissingPunch:
    """The employee explains a punch they missed; the supervisor approves it."""
    require_perm(by, ROSTERED, community)
    text = required(explanation, "explanation", _("Explain why the punch is missing."))
    if at > timezone.now():
        raise field_error("at", _("A missing punch is in the past."), "future")
    day = timezone.localtime(at).date()
    check_month_open(community.pk, [day], by, "at")
    if Punch.objects.filter(employee=by, at=at.replace(microsecond=0)).exists():
        raise field_error("at", _("This punch is already recorded."), "duplicate")
    limit = policy(community, "att.max_missing_punch")
    low = dt.datetime.combine(month_start(day), dt.time(), tzinfo=timezone.get_current_timezone())
    high = low.replace() + (month_end(day) - month_start(day)) + dt.timedelta(days=1)
    used = MissingPunch.objects.filter(
        employee=by,
        at__gte=low,
        at__lt=high,
        status__in=(MissingStatus.REQUESTED, MissingStatus.APPROVED),
    ).count()
    if used >= limit:
        raise field_error(
            "at",
            _("At most %(limit)d missing punches may be explained in a month.") % {"limit": limit},
            "too_many",
        )
    missing = MissingPunch.objects.create(
        community=community, employee=by, at=at.replace(microsecond=0), explanation=text[:500]
    )
    workflows.record_creation(missing, by=by)
    workflows.request_approval(missing, by=by, note=text[:500])
    return missing


@transaction.atomic
def decide_missing_punch(
    *, missing: MissingPunch, approve: bool, by: User, reason: str = ""
) -> MissingPunch:
    locked = workflows.lock(missing)
    day = timezone.localtime(locked.at).date()
    if approve:
        check_month_open(locked.community_id, [day], by, "missing")
    workflows.decide(locked, approve, by=by, reason=reason)
    if approve:
        Punch.objects.get_or_create(
            employee_id=locked.employee_id,
            at=locked.at,
            defaults={"community_id": locked.community_id, "source": PunchSource.EXPLAINED},
        )
        recompute_day(locked.community, locked.employee_id, day)
    return locked

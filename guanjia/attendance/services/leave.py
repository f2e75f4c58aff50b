"""Leave (请假, spec §22): requested by the employee with its type, dates, reason and (for
sick leave) a certificate; decided by the level its length needs; the annual allowance."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from guanjia.core import workflows
from guanjia.core.access import User, require_perm
from guanjia.core.calendars.selectors import calendar_days
from guanjia.core.files.checks import check_upload
from guanjia.core.files.types import JPEG, PDF, PNG, WEBP
from guanjia.core.models import Community

from ..models import HOLDING, Leave, LeaveAllowance, LeaveKind, LeaveStatus
from ._common import ROSTERED, check_month_open, field_error, required
from .compute import compute

CERTIFICATE_TYPES = (PDF, JPEG, PNG, WEBP)
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024  # a scanned certificate; a technical limit
MAX_LEAVE_DAYS = 366


def leave_days(community: Community, kind: str, first: dt.date, last: dt.date) -> int:
    """Annual leave counts the calendar's working days (holidays and rest days are not taken
    from the allowance); every other kind counts calendar days."""
    if kind != LeaveKind.ANNUAL:
        return (last - first).days + 1
    return sum(1 for day in calendar_days(community, first, last) if day.is_working)


def annual_balance(employee: User, year: int, *, exclude: int | None = None) -> int | None:
    """Annual leave days left in `year` (None: HR gave no allowance); requested leave holds
    its days."""
    allowance = LeaveAllowance.objects.filter(employee=employee, year=year).first()
    if allowance is None:
        return None
    taken = Leave.objects.filter(
        employee=employee, kind=LeaveKind.ANNUAL, status__in=HOLDING, starts_on__year=year
    )
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    return allowance.days - sum(taken.values_list("days", flat=True))


@transaction.atomic
def request_leave(
    *,
    community: Community,
    kind: str,
    starts_on: dt.date,
    ends_on: dt.date,
    explanation: str,
    by: User,
    attachment: Any = None,
) -> Leave:
    """The employee's own leave request (a 请假单), sent for approval at once."""
    require_perm(by, ROSTERED, community)
    if kind not in LeaveKind.values:
        raise field_error("kind", _("Choose the type of leave."), "invalid")
    if ends_on < starts_on:
        raise field_error("ends_on", _("Leave cannot end before it starts."), "before_start")
    if (ends_on - starts_on).days >= MAX_LEAVE_DAYS:
        raise field_error("ends_on", _("Ask at most a year of leave at once."), "too_long")
    text = required(explanation, "explanation", _("Give the reason for the leave."))
    checked = None
    if attachment:
        if attachment.size > MAX_ATTACHMENT_BYTES:
            raise field_error("attachment", _("The file is larger than 10 MB."), "too_large")
        checked = check_upload(attachment, CERTIFICATE_TYPES, field="attachment")
    elif kind == LeaveKind.SICK:
        raise field_error(
            "attachment", _("Sick leave needs the medical certificate."), "certificate_required"
        )
    overlapping = Leave.objects.select_for_update().filter(
        employee=by, status__in=HOLDING, starts_on__lte=ends_on, ends_on__gte=starts_on
    )
    clash = overlapping.first()
    if clash is not None:
        raise field_error(
            "starts_on",
            _("This leave overlaps your leave from %(first)s to %(last)s.")
            % {"first": clash.starts_on.isoformat(), "last": clash.ends_on.isoformat()},
            "overlap",
        )
    days = leave_days(community, kind, starts_on, ends_on)
    if days == 0:
        raise field_error("ends_on", _("These dates hold no working day."), "no_days")
    if kind == LeaveKind.ANNUAL:
        balance = annual_balance(by, starts_on.year)
        if balance is None or days > balance:
            raise field_error(
                "ends_on",
                _("Annual leave left for %(year)d: %(left)d days; this asks %(days)d.")
                % {"year": starts_on.year, "left": balance or 0, "days": days},
                "over_balance",
            )
    check_month_open(community.pk, [starts_on, ends_on], by, "starts_on")
    leave = Leave(
        community=community,
        employee=by,
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        days=days,
        explanation=text[:500],
    )
    if checked is not None:
        leave.attachment = checked.file
        leave.original_name = (getattr(attachment, "name", "") or "")[-200:]
    leave.save()
    workflows.record_creation(leave, by=by)
    workflows.request_approval(leave, by=by, note=text[:500])
    return leave


@transaction.atomic
def decide_leave(*, leave: Leave, approve: bool, by: User, reason: str = "") -> Leave:
    """The level the leave's length needs decides; never the employee themself."""
    locked = workflows.lock(leave)
    if by.pk == locked.employee_id:
        raise workflows.WorkflowDenied("own_request", _("Nobody approves their own leave."))
    if approve:
        check_month_open(locked.community_id, [locked.starts_on, locked.ends_on], by, "leave")
    workflows.decide(locked, approve, by=by, reason=reason)
    if approve:
        compute(
            locked.community, locked.starts_on, locked.ends_on, employee_ids=[locked.employee_id]
        )
    return locked


@transaction.atomic
def set_allowance(
    *, community: Community, employee: User, year: int, days: int, by: User
) -> LeaveAllowance:
    """HR gives an employee's annual leave days for a year."""
    require_perm(by, "attendance.add_leaveallowance", community)
    if not 2000 <= year <= 2100:
        raise field_error("year", _("Enter a year such as 2026."), "invalid")
    if not 0 <= days <= 60:
        raise field_error("days", _("Between 0 and 60 days."), "invalid")
    from ._common import works_here

    if not works_here(employee, community):
        raise field_error("employee", _("Choose active staff of this community."), "not_staff")
    row, _created = LeaveAllowance.objects.update_or_create(
        employee=employee, year=year, defaults={"community": community, "days": days}
    )
    return row


__all__ = ["LeaveStatus", "annual_balance", "decide_leave", "request_leave", "set_allowance"]

"""The monthly attendance sheet (考勤表): submitted by the supervisor, then locked; HR reopens
it for a correction."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.core import workflows
from guanjia.core.access import User, require_perm
from guanjia.core.models import Community

from ..models import AttendanceSheet, SheetStatus
from ._common import field_error, month_end
from .compute import compute


def sheet_for(community: Community, month: dt.date) -> AttendanceSheet:
    """The month's sheet, created open the first time it is asked for."""
    first = month.replace(day=1)
    sheet = AttendanceSheet.objects.filter(community=community, month=first).first()
    if sheet is not None:
        return sheet
    try:
        with transaction.atomic():
            return AttendanceSheet.objects.create(community=community, month=first)
    except IntegrityError:
        return AttendanceSheet.objects.get(community=community, month=first)


@transaction.atomic
def submit_sheet(*, community: Community, month: dt.date, by: User) -> AttendanceSheet:
    """The supervisor submits a finished month to HR: computed once more, then locked."""
    require_perm(by, "attendance.submit_attendancesheet", community)
    first = month.replace(day=1)
    if month_end(first) >= timezone.localdate():
        raise field_error("month", _("Submit a month once it is over."), "not_over")
    sheet = workflows.lock(sheet_for(community, first))
    workflows.check_transition(sheet, SheetStatus.SUBMITTED, by=by)
    compute(community, first, month_end(first))
    workflows.transition(
        sheet, SheetStatus.SUBMITTED, by=by, submitted_by=by, submitted_at=timezone.now()
    )
    return sheet


@transaction.atomic
def reopen_sheet(*, sheet: AttendanceSheet, note: str, by: User) -> AttendanceSheet:
    """HR reopens a submitted month for a correction (why is kept in the event)."""
    text = (note or "").strip()
    if not text:
        raise field_error("note", _("Say what is to be corrected."), "required")
    workflows.transition(sheet, SheetStatus.OPEN, by=by, note=text[:500])
    return sheet

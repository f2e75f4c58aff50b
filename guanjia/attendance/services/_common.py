from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from guanjia.core.access import User, has_perm_in
from guanjia.core.models import Community

from ..models import AttendanceSheet, SheetStatus

ROSTERED = "attendance.be_rostered"
CORRECT = "attendance.correct_attendance"


def field_error(field: str, message: Any, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def required(value: str, field: str, message: Any) -> str:
    text = (value or "").strip()
    if not text:
        raise field_error(field, message, "required")
    return text


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(day: dt.date) -> dt.date:
    first = day.replace(day=1)
    return (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


def works_here(user: User, community: Community | int) -> bool:
    """Whether `user` is active staff who may be rostered in `community`."""
    return bool(user.is_active) and has_perm_in(user, ROSTERED, community)


def check_month_open(community_id: int, days: list[dt.date], by: User, field: str) -> None:
    """A month whose sheet was submitted is locked: only HR may correct it."""
    months = {month_start(day) for day in days}
    submitted = AttendanceSheet.objects.filter(
        community_id=community_id, month__in=months, status=SheetStatus.SUBMITTED
    ).values_list("month", flat=True)
    locked = sorted(submitted)
    if locked and not has_perm_in(by, CORRECT, community_id):
        raise field_error(
            field,
            _("The attendance sheet of %(month)s was submitted to HR: corrections to it need HR.")
            % {"month": locked[0].strftime("%Y-%m")},
            "sheet_submitted",
        )

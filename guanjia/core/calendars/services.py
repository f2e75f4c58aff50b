"""Every write to the working calendars: exceptions, working weeks and office hours.

Each change is kept by django-simple-history with who made it; a removed exception stays in
its history. The clock API (reads) is in selectors and re-exported here for convenience.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from guanjia.core.models import Community, Company

from .models import WEEKDAY_FIELDS, Holiday, WorkingSchedule
from .selectors import Clock, add_working_days, deadline, elapsed, is_working_day

if TYPE_CHECKING:
    from guanjia.core.access import User

__all__ = [
    "Clock",
    "OfficeHours",
    "add_working_days",
    "create_holiday",
    "deadline",
    "delete_holiday",
    "elapsed",
    "is_working_day",
    "reset_working_schedule",
    "save_working_schedule",
    "update_holiday",
]


@dataclass(frozen=True)
class OfficeHours:
    """Office hours of a working day: a morning and an optional afternoon period."""

    morning_opens: dt.time
    morning_closes: dt.time
    afternoon_opens: dt.time | None = None
    afternoon_closes: dt.time | None = None


def _save(row: models.Model, *, by: User, duplicate: str) -> None:
    """Validate (constraints included), then save with `by` as the author of the history row."""
    row.full_clean()
    row._history_user = by  # type: ignore[attr-defined]  # read by django-simple-history
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError as exc:  # a concurrent save won the unique constraint
        raise ValidationError(duplicate, code="duplicate") from exc


@transaction.atomic
def create_holiday(
    *, owner: Community | Company, date: dt.date, kind: str, name: str, by: User
) -> Holiday:
    """Add an exception for one community, or (owner a Company) for all its communities."""
    if isinstance(owner, Community):
        holiday = Holiday(company_id=owner.company_id, community=owner)
    else:
        holiday = Holiday(company=owner, community=None)
    holiday.date, holiday.kind, holiday.name = date, kind, name.strip()
    _save(holiday, by=by, duplicate=_("There is already an exception that day."))
    return holiday


@transaction.atomic
def update_holiday(*, holiday: Holiday, date: dt.date, kind: str, name: str, by: User) -> Holiday:
    """Change an exception's date, kind or name; its scope never changes."""
    holiday = Holiday.objects.select_for_update().get(pk=holiday.pk)
    holiday.date, holiday.kind, holiday.name = date, kind, name.strip()
    _save(holiday, by=by, duplicate=_("There is already an exception that day."))
    return holiday


@transaction.atomic
def delete_holiday(*, holiday: Holiday, by: User) -> None:
    """Remove an exception; its history (with this removal and who made it) is kept."""
    holiday = Holiday.objects.select_for_update().get(pk=holiday.pk)
    holiday._history_user = by  # type: ignore[attr-defined]  # read by django-simple-history
    holiday.delete()


@transaction.atomic
def save_working_schedule(
    *, owner: Community | Company, weekdays: Collection[int], hours: OfficeHours, by: User
) -> WorkingSchedule:
    """Set the working week (ISO weekday numbers) and office hours of a community, or the
    company's default (owner a Company)."""
    if isinstance(owner, Community):
        lookup = {"company_id": owner.company_id, "community": owner}
    else:
        lookup = {"company_id": owner.pk, "community": None}
    # order_by(pk): the default ordering joins the community, which FOR UPDATE refuses on PG.
    row = WorkingSchedule.objects.select_for_update().filter(**lookup).order_by("pk").first()
    row = row or WorkingSchedule(**lookup)
    if not set(weekdays) <= set(range(1, 8)):
        raise ValidationError(_("Unknown day of the week."), code="weekday")
    for number, field in enumerate(WEEKDAY_FIELDS, start=1):
        setattr(row, field, number in weekdays)
    row.morning_opens, row.morning_closes = hours.morning_opens, hours.morning_closes
    row.afternoon_opens, row.afternoon_closes = hours.afternoon_opens, hours.afternoon_closes
    _save(row, by=by, duplicate=_("This working schedule was just changed; try again."))
    return row


@transaction.atomic
def reset_working_schedule(*, community: Community, by: User) -> None:
    """Drop the community's own schedule: it follows the company default again."""
    for row in (
        WorkingSchedule.objects.select_for_update().filter(community=community).order_by("pk")
    ):
        row._history_user = by  # type: ignore[attr-defined]  # read by django-simple-history
        row.delete()

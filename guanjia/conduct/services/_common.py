"""Small helpers of the conduct services."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet

from guanjia.core.access import User, staff_holding
from guanjia.core.models import Community

STAFF_PERM = "conduct.view_own_records"


def field_error(field: str, message: Any, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def text(value: str | None, field: str, limit: int, *, required: Any = None) -> str:
    """The stripped text; a field error when required and blank, or longer than `limit`."""
    from django.utils.translation import gettext as _

    cleaned = (value or "").strip()
    if "\x00" in cleaned:
        raise field_error(field, _("This text holds a character that cannot be saved."), "nul")
    if required is not None and not cleaned:
        raise field_error(field, required, "required")
    if len(cleaned) > limit:
        raise field_error(
            field, _("At most %(limit)s characters, please.") % {"limit": limit}, "too_long"
        )
    return cleaned


def staff_of(community: Community) -> QuerySet[User]:
    """The community's staff today (every community role holds the own-records permission)."""
    return staff_holding([STAFF_PERM], company_id=community.company_id, community_id=community.pk)


def is_staff_of(community: Community, user: User) -> bool:
    return staff_of(community).filter(pk=user.pk).exists()


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (or earlier), the month's last day when it has no such day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return day.replace(year=year, month=month + 1, day=min(day.day, last))


ModelT = TypeVar("ModelT", bound=Model)


def back(obj: ModelT, locked: ModelT) -> ModelT:
    """The caller's object updated to what the service saved (services work on a locked
    copy), and returned."""
    for model_field in obj._meta.concrete_fields:
        setattr(obj, model_field.attname, getattr(locked, model_field.attname))
    return obj

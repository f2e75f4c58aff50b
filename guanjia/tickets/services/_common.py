"""What the ticket services share: deadlines and the shape of a field's refusal. (Moves and
their events are core.workflows'.)"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError

from guanjia.core.calendars.selectors import Clock, deadline
from guanjia.core.models import Community


def calendar_deadline(start: dt.datetime, minutes: int, community: Community) -> dt.datetime:
    """A service limit: calendar time, not suspended by weekends or holidays (spec §0.4)."""
    return deadline(start, dt.timedelta(minutes=minutes), clock=Clock.CALENDAR, community=community)


def not_blank(value: str, field: str, message: str) -> None:
    if not value or not value.strip():
        raise ValidationError({field: message}, code="required")


def field_error(field: str, message: str, code: str) -> ValidationError:
    """A ValidationError on one field that keeps its code (for tests and the API)."""
    return ValidationError({field: ValidationError(message, code=code)})

"""What every workflow service shares: checking a move and writing its event row."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from guanjia.core.calendars.selectors import Clock, deadline
from guanjia.core.models import Community


def check_move(ticket: Any, new: str, moves: dict[str, frozenset[str]]) -> None:
    """Refuse a move the workflow table does not list from the ticket's current state."""
    if new not in moves[ticket.status]:
        old_label = ticket.get_status_display()
        new_label = dict(type(ticket)._meta.get_field("status").choices).get(new, new)
        raise ValidationError(
            _("%(number)s is %(old)s: it cannot move to %(new)s.")
            % {"number": ticket.number, "old": old_label, "new": new_label},
            code="move_not_allowed",
        )


def calendar_deadline(start: dt.datetime, minutes: int, community: Community) -> dt.datetime:
    """A service limit: calendar time, not suspended by weekends or holidays (spec §0.4)."""
    return deadline(start, dt.timedelta(minutes=minutes), clock=Clock.CALENDAR, community=community)


def not_blank(value: str, field: str, message: str) -> None:
    if not value or not value.strip():
        raise ValidationError({field: message}, code="required")


def field_error(field: str, message: str, code: str) -> ValidationError:
    """A ValidationError on one field that keeps its code (for tests and the API)."""
    return ValidationError({field: ValidationError(message, code=code)})

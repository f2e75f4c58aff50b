"""Small helpers shared by the renovation services."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from guanjia.core import workflows

from ..models import Renovation


def lock(renovation: Renovation) -> Renovation:
    locked: Renovation = workflows.lock(renovation)
    return locked


def text(value: Any, field: str, limit: int, *, required: bool = False) -> str:
    """A stripped text no longer than `limit`; required ones not blank."""
    cleaned = str(value or "").strip()
    if required and not cleaned:
        raise refuse(field, _("This field is required."), "required")
    if len(cleaned) > limit:
        raise refuse(
            field, _("At most %(limit)s characters, please.") % {"limit": limit}, "too_long"
        )
    return cleaned


def refuse(field: str, message: Any, code: str) -> ValidationError:
    """A refusal on one field that keeps its code (a dict of plain messages loses it)."""
    return ValidationError({field: ValidationError(message, code=code)})


def done(original: Renovation, locked: Renovation) -> Renovation:
    """Copy the saved row back onto the caller's object (the service worked on a locked copy)."""
    if original is not locked:
        for field in locked._meta.concrete_fields:
            setattr(original, field.attname, getattr(locked, field.attname))
    return original

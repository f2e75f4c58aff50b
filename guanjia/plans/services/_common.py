from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ValidationError

from guanjia.core.access import get_access
from guanjia.core.models import Community


def field_error(field: str, message: Any, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def refusal(message: Any, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def required(value: str | None, field: str, message: Any) -> str:
    text = (value or "").strip()
    if not text:
        raise field_error(field, message, "required")
    return text


def works_in(person: Any, community: Community) -> bool:
    """Whether `person` is an active staff member who works in `community` today (a current
    membership there, acting ones included, or a company-wide role of its company)."""
    if person is None or not person.is_active:
        return False
    access = get_access(person)
    return access.is_superuser or community.pk in access.community_ids


T = TypeVar("T")


def copy_back(obj: T, locked: Any) -> T:
    """The locked copy's saved values onto the caller's object, which is returned."""
    if obj is not locked:
        for model_field in obj._meta.concrete_fields:  # type: ignore[attr-defined]
            setattr(obj, model_field.attname, getattr(locked, model_field.attname))
    return obj

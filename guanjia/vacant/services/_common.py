from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError


def field_error(field: str, message: Any, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def required(value: str, field: str, message: Any) -> str:
    text = (value or "").strip()
    if not text:
        raise field_error(field, message, "required")
    return text

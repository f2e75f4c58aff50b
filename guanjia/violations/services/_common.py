from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone


def field_error(field: str, message: Any, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def refusal(message: Any, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def required(value: str, field: str, message: Any) -> str:
    text = (value or "").strip()
    if not text:
        raise field_error(field, message, "required")
    return text


def today() -> dt.date:
    return timezone.localdate()

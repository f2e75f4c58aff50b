"""Small helpers shared by the sanctions services."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ZERO = Decimal("0.00")


def field_error(field: str, message: Any, code: str) -> ValidationError:
    """A refusal on one field that keeps its code."""
    return ValidationError({field: ValidationError(message, code=code)})


def text(value: Any, field: str, limit: int, *, required: bool = False) -> str:
    """A stripped text no longer than `limit`; required ones not blank."""
    cleaned = str(value or "").strip()
    if required and not cleaned:
        raise field_error(field, _("This field is required."), "required")
    if len(cleaned) > limit:
        raise field_error(
            field, _("At most %(limit)s characters, please.") % {"limit": limit}, "too_long"
        )
    return cleaned


def yuan(value: Any, field: str, *, high: Decimal) -> Decimal:
    """An amount in yuan: not negative, at most two decimals, at most `high`."""
    try:
        amount = Decimal(str(value if value is not None else "0").strip() or "0")
    except (InvalidOperation, ValueError):
        amount = Decimal("NaN")
    if not amount.is_finite() or amount != amount.quantize(Decimal("0.01")):
        raise field_error(
            field, _("Enter an amount in yuan with at most two decimals."), "bad_amount"
        )
    if amount < 0:
        raise field_error(field, _("The amount cannot be negative."), "negative")
    if amount > high:
        raise field_error(
            field,
            _("The amount is above the highest allowed, %(high)s yuan.") % {"high": f"{high:.2f}"},
            "above_max",
        )
    return amount.quantize(Decimal("0.01"))

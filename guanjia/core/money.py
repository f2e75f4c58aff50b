"""Money (ARCHITECTURE.md mechanism 5): `Decimal` yuan in Python, integer fen in the database.

SQLite keeps decimals as floats, so every amount is stored as a whole number of fen (分) in a
big integer column; Python code only ever sees `Decimal` yuan with exactly two places.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP, Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

FEN = Decimal("0.01")
JIAO = Decimal("0.1")


class RoundingRule(models.TextChoices):
    """How an amount computed with more than two places becomes money."""

    HALF_UP = "half_up", _("Round half up to the fen")  # 四舍五入到分
    DOWN = "down", _("Round down to the fen")  # 舍去
    UP = "up", _("Round up to the fen")  # 进位
    JIAO = "jiao", _("Round half up to the jiao")  # 四舍五入到角


_ROUNDING: dict[str, tuple[Decimal, str]] = {
    RoundingRule.HALF_UP: (FEN, ROUND_HALF_UP),
    RoundingRule.DOWN: (FEN, ROUND_DOWN),
    RoundingRule.UP: (FEN, ROUND_UP),
    RoundingRule.JIAO: (JIAO, ROUND_HALF_UP),
}


def _as_decimal(value: Any) -> Decimal:
    if isinstance(value, float):
        raise ValidationError(_("Money cannot be a float: use a Decimal."), code="money_float")
    if isinstance(value, bool):
        raise ValidationError(_("Enter an amount in yuan."), code="money_invalid")
    try:
        amount = Decimal(value) if not isinstance(value, Decimal) else value
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise ValidationError(_("Enter an amount in yuan."), code="money_invalid") from exc
    if not amount.is_finite():
        raise ValidationError(_("Enter an amount in yuan."), code="money_invalid")
    return amount


def to_fen(amount: Decimal | int | str) -> int:
    """Whole fen of an amount in yuan; more than two decimal places is refused (round first)."""
    value = _as_decimal(amount)
    fen = value * 100
    if fen != fen.to_integral_value():
        raise ValidationError(
            _("An amount has at most two decimal places (fen)."), code="money_too_precise"
        )
    return int(fen)


def from_fen(fen: int) -> Decimal:
    """Decimal yuan with two places from whole fen."""
    return (Decimal(int(fen)) / 100).quantize(FEN)


def round_money(amount: Decimal, rule: str = RoundingRule.HALF_UP) -> Decimal:
    """Round a computed amount to money by a rule; the result always has two places."""
    step, mode = _ROUNDING[rule]
    return _as_decimal(amount).quantize(step, rounding=mode).quantize(FEN)


def format_money(amount: Decimal | None) -> str:
    """¥1,234.50; -¥12.00 for a negative amount; an empty string for None."""
    if amount is None:
        return ""
    value = _as_decimal(amount).quantize(FEN, rounding=ROUND_HALF_UP)
    sign = "-" if value < 0 else ""
    return f"{sign}¥{abs(value):,.2f}"


class MoneyField(models.BigIntegerField):
    """An amount in yuan (`Decimal`, two places) stored as integer fen."""

    # For django-stubs: Python code sets and reads Decimal yuan, not int.
    _pyi_private_set_type: Any
    _pyi_private_get_type: Any

    description = _("Amount of money in yuan, stored in fen")

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Decimal | None:
        return None if value is None else from_fen(value)

    def to_python(self, value: Any) -> Decimal | None:
        if value is None or value == "":
            return None
        amount = _as_decimal(value)
        to_fen(amount)  # refuses more than two places
        return amount.quantize(FEN)

    def get_prep_value(self, value: Any) -> int | None:
        if value is None:
            return None
        if hasattr(value, "resolve_expression"):
            return value  # type: ignore[no-any-return]
        return to_fen(value)

    def formfield(self, **kwargs: Any) -> Any:
        defaults: dict[str, Any] = {
            "form_class": forms.DecimalField,
            "max_digits": 15,
            "decimal_places": 2,
        }
        defaults.update(kwargs)
        return models.Field.formfield(self, **defaults)

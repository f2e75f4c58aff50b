"""`{{ amount|money }}` → ¥1,234.50 (`{% load money %}`)."""

from __future__ import annotations

from decimal import Decimal

from django import template

from guanjia.core.money import format_money

register = template.Library()


@register.filter(name="money")
def money(value: Decimal | int | str | None) -> str:
    """Format yuan for display; an empty string for None or a value that is not money."""
    if value is None or value == "":
        return ""
    try:
        return format_money(Decimal(str(value)))
    except Exception:
        return ""

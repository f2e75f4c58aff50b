"""Shared list filters (django-filter)."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _


class OrderingFilter(django_filters.OrderingFilter):
    """django-filter's OrderingFilter with lazy choice labels.

    django-filter builds "Full name (descending)" with `%` when the FilterSet class is
    declared, which fixes the label in whatever language is active at import. Here both the
    label and "(descending)" stay lazy, so each request sees them in its own language. Give
    translatable `field_labels` for every field a page shows."""

    def build_choices(self, fields: Any, labels: Any) -> list[tuple[str, Any]]:
        ascending = [
            (param, labels.get(field) or capfirst(param.replace("_", " ")))
            for field, param in fields.items()
        ]
        descending = [
            (f"-{param}", labels.get(f"-{param}") or format_lazy(_("{} (descending)"), label))
            for param, label in ascending
        ]
        return [choice for pair in zip(ascending, descending, strict=True) for choice in pair]


class AnyYesNoSelect(forms.NullBooleanSelect):
    """The yes/no select of a list's filter bar: unchosen reads 不限 ("Any"), not 未知.

    Django's NullBooleanSelect labels the empty choice "Unknown" (未知), which on a filter bar
    reads as if the list were filtered by an unknown value ("我的: 未知")."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.choices = [("", _("Any")), ("true", _("Yes")), ("false", _("No"))]

    def format_value(self, value: Any) -> list[str]:  # type: ignore[override]
        # A list, as Select's options match by membership ("" is in every string).
        chosen = super().format_value(value)
        return [""] if chosen == "unknown" else [chosen]


class BooleanFilter(django_filters.BooleanFilter):
    """django-filter's BooleanFilter with the filter bar's select (AnyYesNoSelect).

    Use it for every yes/no filter of a list (a test checks every FilterSet); give a widget
    of your own for other labels (e.g. 全部 / 在用 / 已停用)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", AnyYesNoSelect)
        super().__init__(*args, **kwargs)

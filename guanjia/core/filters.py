"""Shared list filters (django-filter)."""

from __future__ import annotations

from typing import Any

import django_filters
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

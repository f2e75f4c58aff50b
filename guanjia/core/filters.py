"""Shared list filters (django-filter): the base of every list's FilterSet, which the page,
the Excel export and the API use alike, and an OrderingFilter with lazy labels."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _

from .models import Community


class CommunityFilterSet(django_filters.FilterSet):
    """One list's filters, for its page, its export and its API.

    With `community` (a page, an export: the current community) the `community` filter is
    dropped and the choices of every related filter (a ModelChoiceFilter whose model has
    `in_community`) are that community's rows; without it (the API) `?community=<id>`
    narrows the list and the choices are the rows the caller may see. Filter on indexed
    columns only: lists stay fast at 300,000 units (docs/decisions/0009-lists-and-api.md)."""

    community = django_filters.NumberFilter(label=_("Community"), field_name="community")

    def __init__(self, *args: Any, community: Community | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.community = community
        if community is not None:
            del self.filters["community"]  # a page lists its current community only
        for each in self.filters.values():
            model = getattr(getattr(each, "queryset", None), "model", None)
            if model is not None and hasattr(model.objects, "in_community"):
                each.queryset = self._choices(model)
        self.limit_choices()
        for field in self.form.fields.values():
            css = "form-select" if hasattr(field, "choices") else "form-control"
            field.widget.attrs.setdefault("class", f"{css} {css}-sm")

    def limit_choices(self) -> None:
        """Choices of related filters whose rows are not community rows (a subclass's);
        called before the form is built."""

    def _choices(self, model: Any) -> QuerySet[Any]:
        if self.community is not None:
            return model.objects.in_community(self.community)  # type: ignore[no-any-return]
        user = getattr(self.request, "user", None)
        return model.objects.visible_to(user) if user else model.objects.none()  # type: ignore[no-any-return]


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

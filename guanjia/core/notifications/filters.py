"""Filters for the outbox page."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.forms import Select
from django.utils.translation import gettext_lazy as _

from guanjia.core.filters import OrderingFilter

from .models import OUTSIDE_CHANNELS, OutboundMessage, OutboundStatus


class OutboundMessageFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    channel = django_filters.ChoiceFilter(
        label=_("Channel"), choices=[(c.value, c.label) for c in OUTSIDE_CHANNELS]
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=OutboundStatus.choices)
    ordering = OrderingFilter(
        fields=(("created_at", "created_at"), ("status", "status")),
        field_labels={"created_at": _("Time"), "status": _("Status")},
        label=_("Order by"),
    )

    class Meta:
        model = OutboundMessage
        fields = ["channel", "status"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            is_select = isinstance(field.widget, Select)
            css = "form-select form-select-sm" if is_select else "form-control form-control-sm"
            field.widget.attrs.setdefault("class", css)

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Subject, event, or the recipient's name or username."""
        return queryset.filter(
            Q(subject__icontains=value)
            | Q(template__icontains=value)
            | Q(recipient__full_name__icontains=value)
            | Q(recipient__username__icontains=value)
        )

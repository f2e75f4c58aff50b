"""The lists' filters (pages and API): spot checks and rewards and penalties."""

from __future__ import annotations

from typing import Any

import django_filters as filters
from django.utils.translation import gettext_lazy as _

from guanjia.core.filters import BooleanFilter, CommunityFilterSet, OrderingFilter

from .models import Cadence, CheckStatus, ConductRecord, RecordKind, RecordStatus, Source, SpotCheck


class CheckFilter(CommunityFilterSet):
    status = filters.ChoiceFilter(label=_("Status"), choices=CheckStatus.choices)
    cadence = filters.ChoiceFilter(label=_("Check"), choices=Cadence.choices)
    failed = BooleanFilter(label=_("With failures"), method="with_failures")
    ordering = OrderingFilter(fields=["created_at", "status"])

    class Meta:
        model = SpotCheck
        fields = ["status", "cadence"]

    def with_failures(self, qs: Any, name: str, value: bool | None) -> Any:
        if value is None:
            return qs
        return qs.filter(failures__gt=0) if value else qs.filter(failures=0)


class RecordFilter(CommunityFilterSet):
    kind = filters.ChoiceFilter(label=_("Type"), choices=RecordKind.choices)
    status = filters.ChoiceFilter(label=_("Status"), choices=RecordStatus.choices)
    source = filters.ChoiceFilter(label=_("Evidence"), choices=Source.choices)
    date_from = filters.DateFilter(label=_("From"), field_name="event_date", lookup_expr="gte")
    date_to = filters.DateFilter(label=_("To"), field_name="event_date", lookup_expr="lte")
    ordering = OrderingFilter(fields=["event_date", "status"])

    class Meta:
        model = ConductRecord
        fields = ["kind", "status", "source"]

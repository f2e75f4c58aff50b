"""The move-in lists' filters: one FilterSet per list, used by its page and its API."""

from __future__ import annotations

from typing import Any

import django_filters as filters
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanjia.core.filters import BooleanFilter, CommunityFilterSet

from .models import (
    BatchStatus,
    Defect,
    DefectState,
    DefectStatus,
    Delivery,
    DeliveryBatch,
    DeliveryStatus,
    Responsible,
)


class BatchFilter(CommunityFilterSet):
    status = filters.ChoiceFilter(label=_("Status"), choices=BatchStatus.choices)

    class Meta:
        model = DeliveryBatch
        fields = ["status"]


class DeliveryFilter(CommunityFilterSet):
    batch = filters.NumberFilter(label=_("Batch"), field_name="batch")
    status = filters.ChoiceFilter(label=_("Status"), choices=DeliveryStatus.choices)
    defects = filters.ChoiceFilter(label=_("Defects"), choices=DefectState.choices[1:])

    class Meta:
        model = Delivery
        fields = ["batch", "status", "defects"]


class DefectFilter(CommunityFilterSet):
    status = filters.ChoiceFilter(label=_("Status"), choices=DefectStatus.choices)
    responsible = filters.ChoiceFilter(label=_("Rectified by"), choices=Responsible.choices)
    overdue = BooleanFilter(label=_("Overdue"), method="filter_overdue")

    class Meta:
        model = Defect
        fields = ["status", "responsible", "overdue"]

    def filter_overdue(self, queryset: QuerySet[Any], name: str, value: bool | None) -> Any:
        if value is None:
            return queryset
        overdue = queryset.overdue(timezone.localdate())  # type: ignore[attr-defined]
        return overdue if value else queryset.exclude(pk__in=overdue.values("pk"))

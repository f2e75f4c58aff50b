"""The front desk's list filters: one FilterSet per list, used by its page and its API
(guanjia.core.filters.CommunityFilterSet), on indexed columns."""

from __future__ import annotations

from typing import Any

import django_filters as filters
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanjia.core.filters import BooleanFilter, CommunityFilterSet

from .models import (
    FoundItem,
    Handover,
    HandoverStatus,
    Key,
    KeyHolding,
    KeyLoan,
    Notice,
    NoticeKind,
    NoticeStatus,
    Parcel,
    ParcelKind,
    Post,
)


class KeyFilter(CommunityFilterSet):
    holding = filters.ChoiceFilter(label=_("Held as"), choices=KeyHolding.choices)
    slot = filters.CharFilter(
        label=_("Cabinet slot"), field_name="cabinet_slot", lookup_expr="startswith"
    )

    class Meta:
        model = Key
        fields = ["holding", "slot"]


class KeyLoanFilter(CommunityFilterSet):
    out = BooleanFilter(label=_("Still out"), method="filter_out")
    overdue = BooleanFilter(label=_("Overdue"), method="filter_overdue")

    class Meta:
        model = KeyLoan
        fields = ["out", "overdue"]

    def filter_out(self, qs: QuerySet[Any], name: str, value: bool | None) -> QuerySet[Any]:
        if value is None:
            return qs
        return qs.filter(returned_at__isnull=value)

    def filter_overdue(self, qs: QuerySet[Any], name: str, value: bool | None) -> QuerySet[Any]:
        if not value:
            return qs
        return qs.filter(returned_at__isnull=True, due_at__lt=timezone.now())


class ParcelFilter(CommunityFilterSet):
    held = BooleanFilter(label=_("Held"), method="filter_held")
    kind = filters.ChoiceFilter(label=_("Kind"), choices=ParcelKind.choices)

    class Meta:
        model = Parcel
        fields = ["held", "kind"]

    def filter_held(self, qs: QuerySet[Any], name: str, value: bool | None) -> QuerySet[Any]:
        if value is None:
            return qs
        if value:
            return qs.filter(collected_at__isnull=True, returned_at__isnull=True)
        return qs.exclude(collected_at__isnull=True, returned_at__isnull=True)


class HandoverFilter(CommunityFilterSet):
    status = filters.ChoiceFilter(label=_("Status"), choices=HandoverStatus.choices)
    post = filters.ModelChoiceFilter(label=_("Post"), queryset=Post.objects.all())
    discrepancies = BooleanFilter(label=_("With discrepancies"), method="filter_discrepancies")
    late = BooleanFilter(label=_("Late relief"), method="filter_late")

    class Meta:
        model = Handover
        fields = ["status", "post", "discrepancies", "late"]

    def filter_discrepancies(
        self, qs: QuerySet[Any], name: str, value: bool | None
    ) -> QuerySet[Any]:
        return qs.filter(discrepancy_count__gt=0) if value else qs

    def filter_late(self, qs: QuerySet[Any], name: str, value: bool | None) -> QuerySet[Any]:
        return qs.filter(late_minutes__gt=0) if value else qs


class PostFilter(CommunityFilterSet):
    class Meta:
        model = Post
        fields: list[str] = []


class FoundItemFilter(CommunityFilterSet):
    unclaimed = BooleanFilter(label=_("Not claimed yet"), method="filter_unclaimed")

    class Meta:
        model = FoundItem
        fields = ["unclaimed"]

    def filter_unclaimed(self, qs: QuerySet[Any], name: str, value: bool | None) -> QuerySet[Any]:
        if value is None:
            return qs
        return qs.filter(claimed_at__isnull=value)


class NoticeFilter(CommunityFilterSet):
    status = filters.ChoiceFilter(label=_("Status"), choices=NoticeStatus.choices)
    kind = filters.ChoiceFilter(label=_("Kind"), choices=NoticeKind.choices)

    class Meta:
        model = Notice
        fields = ["status", "kind"]

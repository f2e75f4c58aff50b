"""The passes lists' filters: one FilterSet per list, for its page and its API, on indexed
columns."""

from __future__ import annotations

from typing import Any

import django_filters as filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from guanjia.core.filters import BooleanFilter, CommunityFilterSet

from .models import (
    GateCheck,
    GateResult,
    GroupKind,
    GroupStatus,
    Pass,
    PassGroup,
    PassKind,
    PassStatus,
    ReleaseSlip,
    SlipStatus,
)


class PassFilter(CommunityFilterSet):
    status = filters.ChoiceFilter(label=_("Status"), choices=PassStatus.choices)
    kind = filters.ChoiceFilter(label=_("Type"), choices=PassKind.choices)
    group = filters.ModelChoiceFilter(label=_("Pass group"), queryset=PassGroup.objects.all())
    number = filters.CharFilter(label=_("Pass number"), field_name="number", lookup_expr="exact")
    deposit_held = BooleanFilter(label=_("With a deposit"), method="filter_deposit")

    class Meta:
        model = Pass
        fields = ["status", "kind", "group", "number", "deposit_held"]

    def filter_deposit(self, qs: QuerySet[Any], name: str, value: bool | None) -> QuerySet[Any]:
        if value is None:
            return qs
        return qs.filter(deposit__gt=0) if value else qs.filter(deposit=0)


class GroupFilter(CommunityFilterSet):
    status = filters.ChoiceFilter(label=_("Status"), choices=GroupStatus.choices)
    kind = filters.ChoiceFilter(label=_("Kind"), choices=GroupKind.choices)
    sponsor = filters.CharFilter(label=_("Sponsor"), field_name="sponsor", lookup_expr="exact")

    class Meta:
        model = PassGroup
        fields = ["status", "kind", "sponsor"]


class SlipFilter(CommunityFilterSet):
    status = filters.ChoiceFilter(label=_("Status"), choices=SlipStatus.choices)
    number = filters.CharFilter(label=_("Slip number"), field_name="number", lookup_expr="exact")

    class Meta:
        model = ReleaseSlip
        fields = ["status", "number"]


class GateCheckFilter(CommunityFilterSet):
    result = filters.ChoiceFilter(label=_("Result"), choices=GateResult.choices)

    class Meta:
        model = GateCheck
        fields = ["result"]

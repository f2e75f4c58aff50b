"""The patrol lists' filters, used by the pages and the API."""

from __future__ import annotations

import django_filters as filters
from django.utils.translation import gettext_lazy as _

from guanjia.core.filters import CommunityFilterSet, OrderingFilter
from guanjia.estates.models import Zone

from .models import (
    Checkpoint,
    CheckpointKind,
    Finding,
    FindingStatus,
    Patrol,
    PatrolKind,
    PatrolPlan,
    PatrolStatus,
)


class CheckpointFilter(CommunityFilterSet):
    zone = filters.ModelChoiceFilter(label=_("Zone"), queryset=Zone.objects.all())
    kind = filters.ChoiceFilter(label=_("Type"), choices=CheckpointKind.choices)

    class Meta:
        model = Checkpoint
        fields = ["zone", "kind"]


class PlanFilter(CommunityFilterSet):
    zone = filters.ModelChoiceFilter(label=_("Zone"), queryset=Zone.objects.all())
    month = filters.DateFilter(label=_("Month"), field_name="month")

    class Meta:
        model = PatrolPlan
        fields = ["zone", "month"]


class PatrolFilter(CommunityFilterSet):
    zone = filters.ModelChoiceFilter(label=_("Zone"), queryset=Zone.objects.all())
    status = filters.ChoiceFilter(label=_("Status"), choices=PatrolStatus.choices)
    kind = filters.ChoiceFilter(label=_("Type"), choices=PatrolKind.choices)
    day_from = filters.DateFilter(label=_("From"), field_name="day", lookup_expr="gte")
    day_to = filters.DateFilter(label=_("To"), field_name="day", lookup_expr="lte")
    ordering = OrderingFilter(
        fields=["day", "status"], field_labels={"day": _("Day"), "status": _("Status")}
    )

    class Meta:
        model = Patrol
        fields = ["zone", "status", "kind"]


class FindingFilter(CommunityFilterSet):
    zone = filters.ModelChoiceFilter(label=_("Zone"), queryset=Zone.objects.all())
    status = filters.ChoiceFilter(label=_("Status"), choices=FindingStatus.choices)
    found_from = filters.DateFilter(label=_("Found from"), field_name="found_on", lookup_expr="gte")
    found_to = filters.DateFilter(label=_("Found to"), field_name="found_on", lookup_expr="lte")

    class Meta:
        model = Finding
        fields = ["zone", "status"]

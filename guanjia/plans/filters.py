"""The supervisor's lists' filters, used by the pages, the workbench's links and the API."""

from __future__ import annotations

from typing import Any

import django_filters as filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from guanjia.core.filters import BooleanFilter, CommunityFilterSet, OrderingFilter

from .models import (
    ActionItem,
    CaseStudy,
    Meeting,
    MeetingKind,
    MonthlySummary,
    PlanKind,
    PlanStatus,
    SummaryStatus,
    WorkPlan,
)


class PlanFilter(CommunityFilterSet):
    q = filters.CharFilter(label=_("Search"), method="search")
    kind = filters.ChoiceFilter(label=_("Kind"), choices=PlanKind.choices)
    status = filters.ChoiceFilter(label=_("Status"), choices=PlanStatus.choices)
    period_from = filters.DateFilter(label=_("From"), field_name="period", lookup_expr="gte")
    period_to = filters.DateFilter(label=_("To"), field_name="period", lookup_expr="lte")
    ordering = OrderingFilter(fields=["period", "status"])

    class Meta:
        model = WorkPlan
        fields = ["q"]

    def search(self, qs: QuerySet[WorkPlan], name: str, value: str) -> QuerySet[WorkPlan]:
        return qs.filter(title__icontains=value.strip())


class MeetingFilter(CommunityFilterSet):
    q = filters.CharFilter(label=_("Search"), method="search")
    kind = filters.ChoiceFilter(label=_("Kind"), choices=MeetingKind.choices)
    held_from = filters.DateFilter(label=_("From"), field_name="held_on", lookup_expr="gte")
    held_to = filters.DateFilter(label=_("To"), field_name="held_on", lookup_expr="lte")
    ordering = OrderingFilter(fields=["held_on"])

    class Meta:
        model = Meeting
        fields = ["q"]

    def search(self, qs: QuerySet[Meeting], name: str, value: str) -> QuerySet[Meeting]:
        value = value.strip()
        return qs.filter(Q(topics__icontains=value) | Q(decisions__icontains=value))


class ActionFilter(CommunityFilterSet):
    q = filters.CharFilter(label=_("Search"), field_name="title", lookup_expr="icontains")
    open = BooleanFilter(label=_("Open"), method="by_open")
    mine = BooleanFilter(label=_("Mine"), method="by_mine")
    due_to = filters.DateFilter(label=_("Due by"), field_name="due_on", lookup_expr="lte")
    ordering = OrderingFilter(fields=["due_on", "closed_on"])

    class Meta:
        model = ActionItem
        fields = ["q"]

    def by_open(self, qs: Any, name: str, value: bool | None) -> Any:
        if value is None:
            return qs
        return qs.filter(closed_on__isnull=value)

    def by_mine(self, qs: Any, name: str, value: bool | None) -> Any:
        if value is None or self.request is None:
            return qs
        mine = Q(owner=self.request.user)
        return qs.filter(mine) if value else qs.exclude(mine)


class CaseFilter(CommunityFilterSet):
    q = filters.CharFilter(label=_("Search"), method="search")
    used_in_training = BooleanFilter(label=_("Used in training"))
    written_from = filters.DateFilter(label=_("From"), field_name="written_on", lookup_expr="gte")
    written_to = filters.DateFilter(label=_("To"), field_name="written_on", lookup_expr="lte")
    ordering = OrderingFilter(fields=["written_on"])

    class Meta:
        model = CaseStudy
        fields = ["q"]

    def search(self, qs: QuerySet[CaseStudy], name: str, value: str) -> QuerySet[CaseStudy]:
        value = value.strip()
        return qs.filter(Q(title__icontains=value) | Q(lesson__icontains=value))


class SummaryFilter(CommunityFilterSet):
    status = filters.ChoiceFilter(label=_("Status"), choices=SummaryStatus.choices)
    month_from = filters.DateFilter(label=_("From"), field_name="month", lookup_expr="gte")
    month_to = filters.DateFilter(label=_("To"), field_name="month", lookup_expr="lte")
    ordering = OrderingFilter(fields=["month"])

    class Meta:
        model = MonthlySummary
        fields = ["status"]

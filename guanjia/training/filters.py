"""The lists' filters (pages and API): plans, sessions, tests, inductions."""

from __future__ import annotations

from typing import Any

import django_filters as filters
from django.utils.translation import gettext_lazy as _

from guanjia.core.filters import BooleanFilter, CommunityFilterSet, OrderingFilter

from .models import (
    Assessment,
    AssessmentKind,
    Induction,
    PlanKind,
    PlanStatus,
    SessionKind,
    SessionStatus,
    TrainingPlan,
    TrainingSession,
)


class PlanFilter(CommunityFilterSet):
    kind = filters.ChoiceFilter(label=_("Plan"), choices=PlanKind.choices)
    status = filters.ChoiceFilter(label=_("Status"), choices=PlanStatus.choices)
    year = filters.NumberFilter(label=_("Year"), field_name="year", min_value=2000, max_value=2100)
    ordering = OrderingFilter(fields=["year", "status"])

    class Meta:
        model = TrainingPlan
        fields = ["kind", "status", "year"]


class SessionFilter(CommunityFilterSet):
    kind = filters.ChoiceFilter(label=_("Type"), choices=SessionKind.choices)
    status = filters.ChoiceFilter(label=_("Status"), choices=SessionStatus.choices)
    date_from = filters.DateFilter(label=_("From"), field_name="starts_at", lookup_expr="date__gte")
    date_to = filters.DateFilter(label=_("To"), field_name="starts_at", lookup_expr="date__lte")
    planned = BooleanFilter(label=_("In a plan"), method="in_plan")
    ordering = OrderingFilter(fields=["starts_at", "status"])

    class Meta:
        model = TrainingSession
        fields = ["kind", "status"]

    def in_plan(self, qs: Any, name: str, value: bool | None) -> Any:
        if value is None:
            return qs
        return qs.filter(plan__isnull=not value)


class TestFilter(CommunityFilterSet):
    kind = filters.ChoiceFilter(label=_("Type"), choices=AssessmentKind.choices)
    is_induction = BooleanFilter(label=_("Induction test"))
    ordering = OrderingFilter(fields=["created_at"])

    class Meta:
        model = Assessment
        fields = ["kind", "is_induction"]


class InductionFilter(CommunityFilterSet):
    passed = BooleanFilter(label=_("Passed"), method="with_pass")
    ordering = OrderingFilter(fields=["starts_on"])

    class Meta:
        model = Induction
        fields: list[str] = []

    def with_pass(self, qs: Any, name: str, value: bool | None) -> Any:
        if value is None:
            return qs
        return qs.filter(passed_on__isnull=not value)

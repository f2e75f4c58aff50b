"""The violation list's filter, used by the pages (the list and the re-check list), the
workbench's links and the API."""

from __future__ import annotations

from typing import Any

import django_filters as filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from guanjia.core.filters import BooleanFilter, CommunityFilterSet, OrderingFilter

from .models import AWAITING_RECHECK, Responsible, Source, Violation, ViolationStatus, ViolationType


class ViolationFilter(CommunityFilterSet):
    q = filters.CharFilter(label=_("Search"), method="search")
    status = filters.ChoiceFilter(label=_("Status"), choices=ViolationStatus.choices)
    kind = filters.ModelChoiceFilter(label=_("Type"), queryset=ViolationType.objects.all())
    source = filters.ChoiceFilter(
        label=pgettext_lazy("violation", "Source"), choices=Source.choices
    )
    responsible = filters.ChoiceFilter(label=_("Person responsible"), choices=Responsible.choices)
    due = BooleanFilter(label=_("Re-check due"), method="by_due")
    appeal_pending = BooleanFilter(label=_("Appeal to decide"), method="by_appeal")
    predates_office = BooleanFilter(label=_("Predates the office"))
    found_from = filters.DateFilter(
        label=_("Found from"), field_name="found_at", lookup_expr="date__gte"
    )
    found_to = filters.DateFilter(
        label=_("Found to"), field_name="found_at", lookup_expr="date__lte"
    )
    ordering = OrderingFilter(fields=["found_at", "deadline", "status"])

    class Meta:
        model = Violation
        fields = ["q"]

    def limit_choices(self) -> None:
        kinds = ViolationType.objects.all()
        if self.community is not None:
            kinds = ViolationType.objects.filter(
                Q(community__isnull=True) | Q(community=self.community)
            )
        self.filters["kind"].queryset = kinds

    def search(self, qs: QuerySet[Violation], name: str, value: str) -> QuerySet[Violation]:
        value = value.strip()
        return qs.filter(
            Q(number=value) | Q(unit__room_code__icontains=value) | Q(person_name__icontains=value)
        )

    def by_due(self, qs: Any, name: str, value: bool | None) -> Any:
        if value is None:
            return qs
        due = Q(status__in=AWAITING_RECHECK, deadline__lte=timezone.localdate())
        return qs.filter(due) if value else qs.exclude(due)

    def by_appeal(self, qs: Any, name: str, value: bool | None) -> Any:
        if value is None:
            return qs
        pending = Q(appeal_on__isnull=False, appeal_decision="")
        return qs.filter(pending) if value else qs.exclude(pending)

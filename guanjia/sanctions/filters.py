"""The breach list's filter, used by the page, the workbench's links and the API."""

from __future__ import annotations

import django_filters as filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from guanjia.core.filters import BooleanFilter, CommunityFilterSet, OrderingFilter
from guanjia.renovation.models import Contractor

from .models import Breach, BreachStatus, PersonKind, SanctionType, Source


class BreachFilter(CommunityFilterSet):
    q = filters.CharFilter(label=_("Search"), method="search")
    status = filters.ChoiceFilter(label=_("Status"), choices=BreachStatus.choices)
    kind = filters.ModelChoiceFilter(label=_("Breach"), queryset=SanctionType.objects.all())
    source = filters.ChoiceFilter(label=_("Found by"), choices=Source.choices)
    person_kind = filters.ChoiceFilter(label=_("Person"), choices=PersonKind.choices)
    contractor = filters.ModelChoiceFilter(label=_("Contractor"), queryset=Contractor.objects.all())
    unidentified = BooleanFilter(label=_("Refused to identify"))
    occurred_from = filters.DateFilter(
        label=_("From"), field_name="occurred_at", lookup_expr="date__gte"
    )
    occurred_to = filters.DateFilter(
        label=_("To"), field_name="occurred_at", lookup_expr="date__lte"
    )
    ordering = OrderingFilter(fields=["occurred_at", "status"])

    class Meta:
        model = Breach
        fields = ["q"]

    def search(self, qs: QuerySet[Breach], name: str, value: str) -> QuerySet[Breach]:
        value = value.strip()
        return qs.filter(
            Q(number=value) | Q(pass_number=value.upper()) | Q(person_name__icontains=value)
        )

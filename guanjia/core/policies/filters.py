"""Filters of the proposals list."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from .models import PolicyProposal, ProposalStatus


class ProposalFilter(django_filters.FilterSet):
    """Proposals by status and by key (a search text)."""

    status = django_filters.ChoiceFilter(label=_("Status"), choices=ProposalStatus.choices)
    q = django_filters.CharFilter(label=_("Search"), method="search", max_length=80)

    class Meta:
        model = PolicyProposal
        fields = ["status"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(key__icontains=value.strip())

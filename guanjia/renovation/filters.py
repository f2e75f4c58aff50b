"""The renovation lists' filters, used by the pages and the API."""

from __future__ import annotations

from typing import Any

import django_filters as filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanjia.core.filters import BooleanFilter, CommunityFilterSet, OrderingFilter

from .models import ACTIVE, Contractor, RefundStatus, RenoStatus, Renovation, WorksKind

TIMING = [
    ("review_overdue", _("Reply overdue")),
    ("inspection_due", _("Inspection due")),
    ("refund_overdue", _("Refund overdue")),
]


class RenovationFilter(CommunityFilterSet):
    q = filters.CharFilter(label=_("Search"), method="search")
    status = filters.ChoiceFilter(label=_("Status"), choices=RenoStatus.choices)
    kind = filters.ChoiceFilter(label=_("Type"), choices=WorksKind.choices)
    active = BooleanFilter(label=_("Active sites"), method="by_active")
    timing = filters.ChoiceFilter(label=_("Deadline"), choices=TIMING, method="by_timing")
    refund = filters.ChoiceFilter(
        label=_("Deposit refund"), choices=RefundStatus.choices, field_name="refund__status"
    )
    ordering = OrderingFilter(fields=["created_at", "planned_start", "review_due_on", "status"])

    class Meta:
        model = Renovation
        fields = ["q"]

    def search(self, qs: QuerySet[Renovation], name: str, value: str) -> QuerySet[Renovation]:
        value = value.strip()
        return qs.filter(
            Q(number=value)
            | Q(unit__room_code__icontains=value)
            | Q(contractor__name__icontains=value)
            | Q(applicant_name__icontains=value)
        )

    def by_active(self, qs: Any, name: str, value: bool | None) -> Any:
        if value is None:
            return qs
        return qs.filter(status__in=ACTIVE) if value else qs.exclude(status__in=ACTIVE)

    def by_timing(self, qs: Any, name: str, value: str) -> Any:
        today = timezone.localdate()
        if value == "review_overdue":
            return qs.review_overdue(on=today)
        if value == "inspection_due":
            return qs.inspection_due(on=today)
        return qs.filter(
            status__in=(RenoStatus.OBSERVATION, RenoStatus.FINAL_ACCEPTED), refund_due_on__lt=today
        )


class ContractorFilter(CommunityFilterSet):
    q = filters.CharFilter(label=_("Search"), method="search")
    banned = BooleanFilter(label=_("Banned now"), method="by_banned")

    class Meta:
        model = Contractor
        fields = ["q"]

    def search(self, qs: QuerySet[Contractor], name: str, value: str) -> QuerySet[Contractor]:
        value = value.strip()
        return qs.filter(
            Q(name__icontains=value) | Q(licence_no=value.upper()) | Q(person_in_charge=value)
        )

    def by_banned(self, qs: Any, name: str, value: bool | None) -> Any:
        if value is None:
            return qs
        today = timezone.localdate()
        banned = Q(bans__lifted_at__isnull=True, bans__starts_on__lte=today) & (
            Q(bans__until__isnull=True) | Q(bans__until__gte=today)
        )
        ids = qs.filter(banned).values("pk")
        return qs.filter(pk__in=ids) if value else qs.exclude(pk__in=ids)

"""List filters of the cashier's pages and API: payments, receipts, days."""

from __future__ import annotations

from typing import Any

import django_filters as filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from guanjia.core.filters import CommunityFilterSet

from .models import (
    CashierSession,
    Deposit,
    DepositKind,
    DepositStatus,
    Payment,
    PaymentMethod,
    PaymentReversal,
    Receipt,
    ReceiptStatus,
    ReversalStatus,
    SessionStatus,
)


class PaymentFilter(CommunityFilterSet):
    q = filters.CharFilter(label=_("Room, payer or reference"), method="search")
    method = filters.ChoiceFilter(label=_("Payment method"), choices=PaymentMethod.choices)
    day = filters.DateFilter(label=_("Day"), field_name="session__business_day")
    ordering = filters.OrderingFilter(fields=["created_at", "amount"])

    class Meta:
        model = Payment
        fields = ["q", "method", "day"]

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        text = value.strip()[:50]
        return queryset.filter(
            Q(unit__room_code__iexact=text) | Q(payer_name=text) | Q(reference=text)
        )


class ReceiptFilter(CommunityFilterSet):
    q = filters.CharFilter(label=_("Receipt no. or room"), method="search")
    status = filters.ChoiceFilter(label=_("Status"), choices=ReceiptStatus.choices)
    ordering = filters.OrderingFilter(fields=["seq", "created_at"])

    class Meta:
        model = Receipt
        fields = ["q", "status"]

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        text = value.strip()[:50]
        return queryset.filter(Q(number__iexact=text) | Q(payment__unit__room_code__iexact=text))


class SessionFilter(CommunityFilterSet):
    status = filters.ChoiceFilter(label=_("Status"), choices=SessionStatus.choices)
    day = filters.DateFilter(label=_("Day"), field_name="business_day")
    ordering = filters.OrderingFilter(fields=["business_day"])

    class Meta:
        model = CashierSession
        fields = ["status", "day"]


class DepositFilter(CommunityFilterSet):
    """The deposit register (押金台账): by status, type, room, payer or source record."""

    q = filters.CharFilter(label=_("Room, payer or source"), method="search")
    status = filters.ChoiceFilter(label=_("Status"), choices=DepositStatus.choices)
    kind = filters.ChoiceFilter(label=_("Deposit type"), choices=DepositKind.choices)
    ordering = filters.OrderingFilter(fields=["created_at", "amount"])

    class Meta:
        model = Deposit
        fields = ["q", "status", "kind"]

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        text = value.strip()[:60]
        return queryset.filter(
            Q(unit__room_code__iexact=text) | Q(payer_name=text) | Q(source_ref=text)
        )


class ReversalFilter(CommunityFilterSet):
    status = filters.ChoiceFilter(label=_("Status"), choices=ReversalStatus.choices)

    class Meta:
        model = PaymentReversal
        fields = ["status"]

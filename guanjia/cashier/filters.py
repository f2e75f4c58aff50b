"""List filters of the cashier's pages and API: payments, receipts, days."""

from __future__ import annotations

from typing import Any

import django_filters as filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanjia.core.filters import BooleanFilter, CommunityFilterSet
from guanjia.estates.models import Building

from .models import (
    CLOSED_STAGES,
    ArrearsCase,
    CaseStage,
    CashierSession,
    Deposit,
    DepositKind,
    DepositStatus,
    DunningNotice,
    NoticeKind,
    Payment,
    PaymentMethod,
    PaymentPromise,
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


class CaseFilter(CommunityFilterSet):
    """Arrears cases: by room, stage, dispute, building; those whose deadline passed (to
    chase) and those with a promise missed (the workbench's lists)."""

    q = filters.CharFilter(label=_("Room"), method="search")
    status = filters.ChoiceFilter(label=_("Stage"), choices=CaseStage.choices)
    building = filters.ModelChoiceFilter(
        label=_("Building"), field_name="unit__building", queryset=Building.objects.all()
    )
    disputed = BooleanFilter(label=_("Disputed"))
    due = BooleanFilter(label=_("Deadline passed"), method="deadline_passed")
    missed = BooleanFilter(label=_("Promise missed"), method="promise_missed")
    open = BooleanFilter(label=_("Open"), method="still_open")

    class Meta:
        model = ArrearsCase
        fields = ["q", "status", "building", "disputed", "due", "missed", "open"]

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(unit__room_code__iexact=value.strip()[:30])

    def deadline_passed(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        passed = Q(deadline__lt=timezone.localdate(), disputed=False) & ~Q(status__in=CLOSED_STAGES)
        if value is None:
            return queryset
        return queryset.filter(passed) if value else queryset.exclude(passed)

    def promise_missed(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        from .selectors.dunning import missed_promises

        if value is None:
            return queryset
        cases = missed_promises(PaymentPromise.objects.all(), timezone.localdate()).values(
            "case_id"
        )
        if value:
            return queryset.filter(pk__in=cases).exclude(status__in=CLOSED_STAGES)
        return queryset.exclude(pk__in=cases)

    def still_open(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        if value is None:
            return queryset
        if value:
            return queryset.exclude(status__in=CLOSED_STAGES)
        return queryset.filter(status__in=CLOSED_STAGES)


class NoticeFilter(CommunityFilterSet):
    q = filters.CharFilter(label=_("Room"), method="search")
    kind = filters.ChoiceFilter(label=_("Notice"), choices=NoticeKind.choices)
    month = filters.DateFilter(label=_("Month (first day)"), field_name="month")
    building = filters.ModelChoiceFilter(
        label=_("Building"), field_name="unit__building", queryset=Building.objects.all()
    )
    signed = BooleanFilter(label=_("Signed for"), method="was_signed")

    class Meta:
        model = DunningNotice
        fields = ["q", "kind", "month", "building", "signed"]

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(unit__room_code__iexact=value.strip()[:30])

    def was_signed(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        if value is None:
            return queryset
        return queryset.exclude(signed_by="") if value else queryset.filter(signed_by="")

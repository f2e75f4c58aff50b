"""Billing's list filters: one FilterSet per list, used by its page and its API alike
(guanjia.core.filters.CommunityFilterSet: the current community on a page, `?community=` in
the API). Every filter is on an indexed column of the list's community, so a list stays a
page of an index range at 300,000 units and 10 million bill lines."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters as filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from guanjia.core.filters import BooleanFilter, CommunityFilterSet
from guanjia.estates.models.identity import strip_blanks

from .forms import MonthField
from .models import (
    ApprovalStatus,
    BillingRun,
    EntryKind,
    FeeCategory,
    FeeItem,
    FeeStandard,
    LedgerEntry,
    Meter,
    MeterKind,
    MeterReading,
    RunStatus,
    UnitBalance,
    UnitFeeException,
)


class OptionalMonthField(MonthField):
    """A month, or nothing (no filter)."""

    def clean(self, value: Any) -> dt.date | None:  # type: ignore[override]
        if value in self.empty_values:
            return None
        return super().clean(value)


@extend_schema_field(OpenApiTypes.STR)  # YYYY-MM in the OpenAPI schema, not a date
class MonthFilter(filters.Filter):
    """`?period=YYYY-MM`: the rows of that month (a month that does not exist: invalid)."""

    field_class = OptionalMonthField

    def filter(self, qs: QuerySet[Any], value: dt.date | None) -> QuerySet[Any]:
        return qs if value in (None, "") else qs.filter(**{self.field_name: value})


class BillingFilterSet(CommunityFilterSet):
    """Fee item choices: the fee items of the community's company (of the caller's
    companies in the API)."""

    def limit_choices(self) -> None:
        if "fee_item" in self.filters:
            if self.community is not None:
                items = FeeItem.objects.filter(company_id=self.community.company_id)
            else:
                user = getattr(self.request, "user", None)
                items = FeeItem.objects.visible_to(user) if user else FeeItem.objects.none()
            self.filters["fee_item"].queryset = items


class RunFilter(BillingFilterSet):
    """Billing runs: by month, fee item and status (newest month first)."""

    period = MonthFilter(label=_("Month"), field_name="period", required=False)
    fee_item = filters.ModelChoiceFilter(label=_("Fee item"), queryset=FeeItem.objects.none())
    status = filters.ChoiceFilter(label=_("Status"), choices=RunStatus.choices)

    class Meta:
        model = BillingRun
        fields = ["period", "fee_item", "status"]


class ReadingFilter(CommunityFilterSet):
    """Meter readings: by month, meter number (or the start of it) and room code."""

    period = MonthFilter(label=_("Month"), field_name="period", required=False)
    q = filters.CharFilter(label=_("Meter no. or room code"), method="search")

    class Meta:
        model = MeterReading
        fields = ["period", "q"]

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        code = strip_blanks(value).upper()[:40]
        if not code:
            return queryset
        return queryset.filter(
            Q(meter__number__startswith=code)
            | Q(meter__unit__room_code=code)
            | Q(meter__unit__room_code__startswith=f"{code}-")
        )


class RunLineFilter(filters.FilterSet):
    """A run's lines: by room code (a building's or an entrance's: its prefix) and kind."""

    q = filters.CharFilter(label=_("Room code"), method="search")
    kind = filters.ChoiceFilter(label=_("Kind"), choices=EntryKind.choices)

    class Meta:
        model = LedgerEntry
        fields = ["q", "kind"]

    def __init__(self, *args: Any, community: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            css = "form-select" if hasattr(field, "choices") else "form-control"
            field.widget.attrs.setdefault("class", f"{css} {css}-sm")

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        code = strip_blanks(value).upper()[:40]
        if not code:
            return queryset
        return queryset.filter(Q(unit__room_code=code) | Q(unit__room_code__startswith=f"{code}-"))


class FeeItemFilter(filters.FilterSet):
    """The fee items of the caller's companies (a company's few dozen rows, reached through
    the company's index): by category and whether in use."""

    category = filters.ChoiceFilter(label=_("Category"), choices=FeeCategory.choices)
    is_active = BooleanFilter(label=_("Active"))

    class Meta:
        model = FeeItem
        fields = ["category", "is_active"]


class StandardFilter(BillingFilterSet):
    """Fee standards (a community's few dozen rows, through its index): by fee item, approval
    state and whether in use."""

    fee_item = filters.ModelChoiceFilter(label=_("Fee item"), queryset=FeeItem.objects.none())
    approval_status = filters.ChoiceFilter(label=_("Approval"), choices=ApprovalStatus.choices)
    is_active = BooleanFilter(label=_("Active"))

    class Meta:
        model = FeeStandard
        fields = ["fee_item", "approval_status", "is_active"]


class UnitExceptionFilter(filters.FilterSet):
    """A unit's fee exceptions (through the unit's index): by standard and from a date on
    (those still in force on or after it)."""

    standard = filters.NumberFilter(label=_("Fee standard"), field_name="standard")
    active_on = filters.DateFilter(label=_("In force on"), method="in_force")

    class Meta:
        model = UnitFeeException
        fields = ["standard", "active_on"]

    def in_force(self, queryset: QuerySet[Any], name: str, value: dt.date) -> QuerySet[Any]:
        return queryset.filter(
            Q(starts_on__lte=value), Q(ends_on__isnull=True) | Q(ends_on__gte=value)
        )


class ArrearsFilter(CommunityFilterSet):
    """Arrears: `?community=<id>` for that community's units that owe (not a number: 400).
    It checks the query; the rows come from the arrears selectors (the balance table's
    community index)."""

    class Meta:
        model = UnitBalance
        fields = ["community"]


class MeterFilter(CommunityFilterSet):
    q = filters.CharFilter(label=_("Meter no. or room"), method="search")
    kind = filters.ChoiceFilter(label=_("type"), choices=MeterKind.choices)
    common = BooleanFilter(label=_("Common meters"), method="only_common")
    is_active = BooleanFilter(label=_("active"))

    class Meta:
        model = Meter
        fields = ["q", "kind", "common", "is_active"]

    def search(self, queryset: QuerySet[Meter], name: str, value: str) -> QuerySet[Meter]:
        text = value.strip()[:40]
        return queryset.filter(Q(number__icontains=text) | Q(unit__room_code__startswith=text))

    def only_common(self, queryset: QuerySet[Meter], name: str, value: bool | None) -> Any:
        if value is None:
            return queryset
        return queryset.filter(unit__isnull=value)

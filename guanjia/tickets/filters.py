"""List filters of the service desk pages: one definition each, with a `q` search box."""

from __future__ import annotations

import re
from typing import Any

import django_filters as filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanjia.core.filters import AnyYesNoSelect
from guanjia.core.models import Community
from guanjia.estates.models import Building, Zone

from .models import (
    Channel,
    Complaint,
    ComplaintCategory,
    ComplaintStatus,
    RepairCategory,
    RepairOrder,
    RepairStatus,
    RequestKind,
    RequestStatus,
    ServiceRequest,
    Severity,
    Urgency,
)
from .selectors import overdue_q


class TrueOrFalseSelect(AnyYesNoSelect):
    """The filter bar's yes/no select (unchosen reads 不限), handing over what was sent as it
    was (so it can be refused)."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return data.get(name)


class TrueOrFalseField(forms.NullBooleanField):
    """true, false or nothing; anything else is refused (a page shows no rows, the API 400)."""

    widget = TrueOrFalseSelect

    def to_python(self, value: Any) -> bool | None:  # type: ignore[override]
        if value in (None, "", "unknown"):
            return None
        if value in (True, "true", "True", "1"):
            return True
        if value in (False, "false", "False", "0"):
            return False
        raise ValidationError(_("Give true or false."), code="invalid")

    def has_changed(self, initial: Any, data: Any) -> bool:
        # A value that is not true or false is a change (the filter bar counts it), not an error.
        try:
            return super().has_changed(initial, data)
        except ValidationError:
            return True

    def validate(self, value: Any) -> None:
        return None


class TrueOrFalseFilter(filters.BooleanFilter):
    field_class = TrueOrFalseField


NUMBER = re.compile(r"^[A-Za-z]{2}-[0-9-]*$")


def number_or_text(value: str, text_field: str) -> Q:
    """A ticket number (or its beginning, e.g. WX-2026-00) is an indexed range on the number
    column; anything else searches the text."""
    value = value.strip()
    if NUMBER.match(value):
        prefix = value.upper()
        return Q(number__gte=prefix, number__lt=prefix + "\uffff")
    return Q(**{f"{text_field}__icontains": value})


class DeskFilterSet(filters.FilterSet):
    """One FilterSet per list, used by the page (the current community: `community=`) and by
    the API (the caller's communities: `communities=`, and a `?community=` filter). Zone and
    building choices come from those communities."""

    owner_field = ""  # whose ticket it is: "mine" keeps the current user's
    community = filters.NumberFilter(label=_("Community"), field_name="community")

    def filter_mine(self, qs: QuerySet[Any], name: str, value: bool | None) -> QuerySet[Any]:
        user = getattr(self.request, "user", None)
        if not value or user is None or not self.owner_field:
            return qs
        return qs.filter(**{self.owner_field: user.pk})

    def __init__(
        self,
        *args: Any,
        community: Community | None = None,
        communities: list[int] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.community = community
        if community is not None:
            self.filters.pop("community")  # a page lists the current community only
            scope = Q(community=community)
        else:
            scope = Q(community__in=communities or [])
        for name, model in (("building", Building), ("zone", Zone)):
            if name in self.filters:
                self.filters[name].queryset = model.objects.filter(scope)  # type: ignore[attr-defined]
        for field in self.form.fields.values():
            css = "form-select" if hasattr(field, "choices") else "form-control"
            field.widget.attrs.setdefault("class", f"{css} {css}-sm")


def _period(prefix: str) -> filters.DateFromToRangeFilter:
    return filters.DateFromToRangeFilter(
        label=_("Period"),
        field_name=prefix,
        lookup_expr="date__range",
        widget=filters.widgets.DateRangeWidget(attrs={"type": "date"}),
    )


class RequestFilter(DeskFilterSet):
    q = filters.CharFilter(label=_("Search"), method="search")
    kind = filters.ChoiceFilter(label=_("Type"), choices=RequestKind.choices)
    channel = filters.ChoiceFilter(label=_("Channel"), choices=Channel.choices)
    status = filters.ChoiceFilter(label=_("Status"), choices=RequestStatus.choices)
    period = _period("received_at")
    overdue = TrueOrFalseFilter(
        label=_("Overdue"),
        method="filter_overdue",
        help_text=_("Letters whose written reply missed its deadline."),
    )

    class Meta:
        model = ServiceRequest
        fields = ["q"]

    def search(self, qs: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return qs.filter(number_or_text(value, "content"))

    def filter_overdue(self, qs: QuerySet[Any], name: str, value: bool | None) -> QuerySet[Any]:
        if value is None:
            return qs
        overdue = overdue_q(timezone.now(), kind="request")
        return qs.filter(overdue) if value else qs.exclude(overdue)


class ComplaintFilter(DeskFilterSet):
    owner_field = "handler_id"
    q = filters.CharFilter(label=_("Search"), method="search")
    status = filters.ChoiceFilter(label=_("Status"), choices=ComplaintStatus.choices)
    severity = filters.ChoiceFilter(label=_("Severity"), choices=Severity.choices)
    category = filters.ChoiceFilter(label=_("Category"), choices=ComplaintCategory.choices)
    channel = filters.ChoiceFilter(
        label=_("Channel"), choices=Channel.choices, field_name="request__channel"
    )
    zone = filters.ModelChoiceFilter(
        label=_("Zone"), field_name="request__unit__building__zone", queryset=Zone.objects.none()
    )
    building = filters.ModelChoiceFilter(
        label=_("Building"), field_name="request__unit__building", queryset=Building.objects.none()
    )
    handler = filters.NumberFilter(label=_("Handler"), field_name="handler")
    mine = TrueOrFalseFilter(label=_("Mine"), method="filter_mine")
    period = _period("request__received_at")
    overdue = TrueOrFalseFilter(label=_("Overdue"), method="filter_overdue")

    class Meta:
        model = Complaint
        fields = ["q"]

    def search(self, qs: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return qs.filter(number_or_text(value, "request__content"))

    def filter_overdue(self, qs: QuerySet[Any], name: str, value: bool | None) -> QuerySet[Any]:
        if value is None:
            return qs
        overdue = overdue_q(timezone.now(), kind="complaint")
        return (
            qs.filter(overdue).exclude(status=ComplaintStatus.CLOSED)
            if value
            else qs.exclude(overdue)
        )


class RepairFilter(DeskFilterSet):
    owner_field = "technician_id"
    q = filters.CharFilter(label=_("Search"), method="search")
    status = filters.ChoiceFilter(label=_("Status"), choices=RepairStatus.choices)
    urgency = filters.ChoiceFilter(label=_("Urgency"), choices=Urgency.choices)
    category = filters.ChoiceFilter(label=_("Category"), choices=RepairCategory.choices)
    channel = filters.ChoiceFilter(
        label=_("Channel"), choices=Channel.choices, field_name="request__channel"
    )
    zone = filters.ModelChoiceFilter(
        label=_("Zone"), field_name="unit__building__zone", queryset=Zone.objects.none()
    )
    building = filters.ModelChoiceFilter(
        label=_("Building"), field_name="unit__building", queryset=Building.objects.none()
    )
    technician = filters.NumberFilter(label=_("Technician"), field_name="technician")
    mine = TrueOrFalseFilter(label=_("Mine"), method="filter_mine")
    period = _period("registered_at")
    overdue = TrueOrFalseFilter(label=_("Overdue"), method="filter_overdue")

    class Meta:
        model = RepairOrder
        fields = ["q"]

    def search(self, qs: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return qs.filter(number_or_text(value, "description"))

    def filter_overdue(self, qs: QuerySet[Any], name: str, value: bool | None) -> QuerySet[Any]:
        if value is None:
            return qs
        overdue = overdue_q(timezone.now(), kind="repair")
        return (
            qs.filter(overdue).exclude(status__in=RepairOrder.FINAL_STATUSES)
            if value
            else qs.exclude(overdue)
        )

"""The vacant units' list filters: one FilterSet per list, used by its page and its API
(guanjia.core.filters.CommunityFilterSet)."""

from __future__ import annotations

from typing import Any

import django_filters as filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanjia.core.filters import BooleanFilter, CommunityFilterSet
from guanjia.estates.models import Zone

from .models import CareTask, Category, Inspection, Source, TaskKind, VacancyStatus, VacantUnit

TIMING = [
    ("due", _("Due today or overdue")),
    ("overdue", _("Overdue")),
    ("open", _("Open")),
    ("done", _("Done")),
    ("cancelled", _("Cancelled")),
]
PROBLEM = (
    Q(doors_ok=False)
    | Q(no_leaks=False)
    | Q(no_damp=False)
    | Q(fixtures_ok=False)
    | Q(meters_still=False)
    | Q(clean_ok=False)
)


def in_my_zones(qs: QuerySet[Any], user: Any, value: bool | None) -> QuerySet[Any]:
    """The zones the user manages today (acting included)."""
    if not value or user is None or not user.is_authenticated:
        return qs
    today = timezone.localdate()
    zone = "unit__building__zone__"
    return qs.filter(
        Q(**{f"{zone}area_manager": user})
        | Q(
            **{
                f"{zone}acting_manager": user,
                f"{zone}acting_from__lte": today,
                f"{zone}acting_to__gte": today,
            }
        )
    )


class VacantUnitFilter(CommunityFilterSet):
    room = filters.CharFilter(
        label=_("Room code"), field_name="unit__room_code", lookup_expr="startswith"
    )
    status = filters.ChoiceFilter(label=_("Status"), choices=VacancyStatus.choices)
    category = filters.ChoiceFilter(label=_("Category"), choices=Category.choices)
    source = filters.ChoiceFilter(label=_("Source"), choices=Source.choices)
    zone = filters.ModelChoiceFilter(
        label=_("Zone"), field_name="unit__building__zone", queryset=Zone.objects.none()
    )
    mine = BooleanFilter(label=_("My zones"), method="filter_mine")

    class Meta:
        model = VacantUnit
        fields = ["room", "status", "category", "source", "zone", "mine"]

    def limit_choices(self) -> None:
        self.filters["zone"].queryset = self._choices(Zone)

    def filter_mine(self, qs: QuerySet[Any], name: str, value: bool | None) -> QuerySet[Any]:
        return in_my_zones(qs, getattr(self.request, "user", None), value)


class CareTaskFilter(CommunityFilterSet):
    kind = filters.ChoiceFilter(label=_("Task"), choices=TaskKind.choices)
    timing = filters.ChoiceFilter(label=_("Timing"), choices=TIMING, method="filter_timing")
    due_from = filters.DateFilter(label=_("Due from"), field_name="due_on", lookup_expr="gte")
    due_to = filters.DateFilter(label=_("Due to"), field_name="due_on", lookup_expr="lte")
    zone = filters.ModelChoiceFilter(
        label=_("Zone"), field_name="unit__building__zone", queryset=Zone.objects.none()
    )
    mine = BooleanFilter(label=_("My zones"), method="filter_mine")

    class Meta:
        model = CareTask
        fields = ["kind", "timing", "due_from", "due_to", "zone", "mine"]

    def limit_choices(self) -> None:
        self.filters["zone"].queryset = self._choices(Zone)

    def filter_mine(self, qs: QuerySet[Any], name: str, value: bool | None) -> QuerySet[Any]:
        return in_my_zones(qs, getattr(self.request, "user", None), value)

    def filter_timing(self, qs: Any, name: str, value: str) -> Any:
        today = timezone.localdate()
        if value == "due":
            return qs.due(today)
        if value == "overdue":
            return qs.overdue(today)
        if value == "open":
            return qs.open()
        if value == "done":
            return qs.filter(done_at__isnull=False)
        return qs.filter(cancelled_at__isnull=False)


class InspectionFilter(CommunityFilterSet):
    room = filters.CharFilter(
        label=_("Room code"), field_name="unit__room_code", lookup_expr="startswith"
    )
    problem = BooleanFilter(label=_("Problem found"), method="filter_problem")
    meter_running = BooleanFilter(label=_("Meter running"), method="filter_meter")
    date_from = filters.DateFilter(
        label=_("From"), field_name="inspected_at", lookup_expr="date__gte"
    )
    date_to = filters.DateFilter(label=_("To"), field_name="inspected_at", lookup_expr="date__lte")

    class Meta:
        model = Inspection
        fields = ["room", "problem", "meter_running", "date_from", "date_to"]

    def filter_problem(self, qs: QuerySet[Any], name: str, value: bool | None) -> QuerySet[Any]:
        if value is None:
            return qs
        return qs.filter(PROBLEM) if value else qs.exclude(PROBLEM)

    def filter_meter(self, qs: QuerySet[Any], name: str, value: bool | None) -> QuerySet[Any]:
        if value is None:
            return qs
        return qs.filter(meters_still=not value)

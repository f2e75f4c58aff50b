"""Attendance's list filters: one FilterSet per list, for its page and its API, on indexed
columns."""

from __future__ import annotations

import django_filters as filters
from django.utils.translation import gettext_lazy as _

from guanjia.core.filters import CommunityFilterSet

from .models import (
    AttendanceDay,
    DayResult,
    Leave,
    LeaveKind,
    LeaveStatus,
    MissingPunch,
    MissingStatus,
    RosterEntry,
    ShiftSwap,
    SwapStatus,
)


class DayFilter(CommunityFilterSet):
    day_from = filters.DateFilter(label=_("From"), field_name="day", lookup_expr="gte")
    day_to = filters.DateFilter(label=_("To"), field_name="day", lookup_expr="lte")
    result = filters.ChoiceFilter(label=_("Result"), choices=DayResult.choices)
    employee = filters.NumberFilter(label=_("Employee"), field_name="employee")

    class Meta:
        model = AttendanceDay
        fields = ["result"]


class RosterFilter(CommunityFilterSet):
    day_from = filters.DateFilter(label=_("From"), field_name="day", lookup_expr="gte")
    day_to = filters.DateFilter(label=_("To"), field_name="day", lookup_expr="lte")
    post = filters.NumberFilter(label=_("Post"), field_name="post")
    employee = filters.NumberFilter(label=_("Employee"), field_name="employee")

    class Meta:
        model = RosterEntry
        fields = ["post"]


class LeaveFilter(CommunityFilterSet):
    status = filters.ChoiceFilter(label=_("Status"), choices=LeaveStatus.choices)
    kind = filters.ChoiceFilter(label=_("Type"), choices=LeaveKind.choices)

    class Meta:
        model = Leave
        fields = ["status", "kind"]


class SwapFilter(CommunityFilterSet):
    status = filters.ChoiceFilter(label=_("Status"), choices=SwapStatus.choices)

    class Meta:
        model = ShiftSwap
        fields = ["status"]


class MissingFilter(CommunityFilterSet):
    status = filters.ChoiceFilter(label=_("Status"), choices=MissingStatus.choices)

    class Meta:
        model = MissingPunch
        fields = ["status"]

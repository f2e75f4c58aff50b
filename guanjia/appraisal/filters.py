"""The lists' filters (pages, API): monthly scores and appraisals."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters as filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from guanjia.core.filters import CommunityFilterSet, OrderingFilter

from .models import Appraisal, Grade, Kind, MonthlyScore, Status
from .models.scores import ROLE_CHOICES
from .policies import APPRAISED_ROLES

TEAMS = [(code, label) for code, label in ROLE_CHOICES if code in APPRAISED_ROLES]


class MonthField(forms.CharField):
    """YYYY-MM, as the first day of that month (or nothing)."""

    def clean(self, value: Any) -> dt.date | None:
        text = super().clean(value)
        if not text:
            return None
        try:
            return dt.date.fromisoformat(f"{text}-01")
        except ValueError as exc:
            raise forms.ValidationError(_("Enter a month as YYYY-MM."), code="invalid") from exc


@extend_schema_field(OpenApiTypes.STR)  # YYYY-MM in the OpenAPI schema
class MonthFilter(filters.Filter):
    field_class = MonthField

    def filter(self, qs: QuerySet[Any], value: dt.date | None) -> QuerySet[Any]:
        return qs if value is None else qs.filter(**{self.field_name: value})


class ScoreFilter(CommunityFilterSet):
    month = MonthFilter(label=_("Month"), field_name="month", required=False)
    role = filters.ChoiceFilter(label=_("Team"), choices=TEAMS)
    grade = filters.ChoiceFilter(label=_("Grade"), choices=Grade.choices)
    employee = filters.NumberFilter(label=_("Employee"), field_name="employee")
    ordering = OrderingFilter(fields=["month", "total"])

    class Meta:
        model = MonthlyScore
        fields = ["role", "grade"]


class AppraisalFilter(CommunityFilterSet):
    kind = filters.ChoiceFilter(label=_("Type"), choices=Kind.choices)
    status = filters.ChoiceFilter(label=_("Status"), choices=Status.choices)
    role = filters.ChoiceFilter(label=_("Team"), choices=TEAMS)
    grade = filters.ChoiceFilter(label=_("Grade"), choices=Grade.choices)
    ordering = OrderingFilter(fields=["period_end", "score"])

    class Meta:
        model = Appraisal
        fields = ["kind", "status", "role", "grade"]

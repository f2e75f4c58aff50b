"""Calendars API under /api/v1/calendars/: a community's days, and a deadline on its clock."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from guanjia.core.access import get_visible_or_404, require_perm
from guanjia.core.models import Community

from .models import Clock, DayType, Source
from .selectors import calendar_days, deadline

MAX_DAYS = 366
MAX_MINUTES = 366 * 24 * 60  # a year of calendar time; of working time, about four years


class DaysQuery(serializers.Serializer):
    """?from=YYYY-MM-DD&to=YYYY-MM-DD, both included, at most 366 days."""

    def get_fields(self) -> dict[str, serializers.Field]:
        return {"from": serializers.DateField(), "to": serializers.DateField()}

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["to"] < attrs["from"]:
            raise serializers.ValidationError(
                {"to": _("The end date must not be before the start date.")}
            )
        if (attrs["to"] - attrs["from"]).days >= MAX_DAYS:
            raise serializers.ValidationError({"to": _("Ask for at most 366 days at a time.")})
        return attrs


class DeadlineQuery(serializers.Serializer):
    """?start=ISO datetime (without an offset: Beijing time)&minutes=N&clock=calendar|working"""

    start = serializers.DateTimeField()
    minutes = serializers.IntegerField(min_value=0, max_value=MAX_MINUTES)
    clock = serializers.ChoiceField(choices=Clock.choices, default=Clock.CALENDAR)


class DaySerializer(serializers.Serializer):
    date = serializers.DateField()
    is_working = serializers.BooleanField()
    type = serializers.ChoiceField(choices=DayType.choices)
    name = serializers.CharField()
    # The metaclass takes declared fields off the class, so this does not shadow Field.source.
    source = serializers.ChoiceField(choices=Source.choices)  # type: ignore[assignment]
    confirmed = serializers.BooleanField(source="is_confirmed")


class DaysSerializer(serializers.Serializer):
    community = serializers.IntegerField()
    days = DaySerializer(many=True)


class DeadlineSerializer(serializers.Serializer):
    start = serializers.DateTimeField()
    minutes = serializers.IntegerField()
    clock = serializers.ChoiceField(choices=Clock.choices)
    deadline = serializers.DateTimeField()


def _community(request: Request, community_id: int) -> Community:
    community = get_visible_or_404(Community, request.user, pk=community_id)
    require_perm(request.user, "calendars.view_holiday", community)
    return community


@extend_schema(
    parameters=[
        OpenApiParameter("from", dt.date, required=True),
        OpenApiParameter("to", dt.date, required=True),
    ],
    responses=DaysSerializer,
)
@api_view(["GET"])
def days(request: Request, community_id: int) -> Response:
    """Each day from `from` to `to` with its working flag, type and name."""
    community = _community(request, community_id)
    query = DaysQuery(data=request.query_params)
    query.is_valid(raise_exception=True)
    found = calendar_days(community, query.validated_data["from"], query.validated_data["to"])
    return Response(DaysSerializer({"community": community.pk, "days": found}).data)


@extend_schema(parameters=[DeadlineQuery], responses=DeadlineSerializer)
@api_view(["GET"])
def deadline_view(request: Request, community_id: int) -> Response:
    """The deadline `minutes` after `start` on the community's calendar or working clock."""
    community = _community(request, community_id)
    query = DeadlineQuery(data=request.query_params)
    query.is_valid(raise_exception=True)
    data = query.validated_data
    try:
        due = deadline(
            data["start"],
            dt.timedelta(minutes=data["minutes"]),
            clock=data["clock"],
            community=community,
        )
    except ValueError as exc:
        raise serializers.ValidationError({"minutes": [str(exc)]}) from exc
    return Response(DeadlineSerializer({**data, "deadline": due}).data)


app_name = "calendars-api"
urlpatterns = [
    path("<int:community_id>/days/", days, name="days"),
    path("<int:community_id>/deadline/", deadline_view, name="deadline"),
]

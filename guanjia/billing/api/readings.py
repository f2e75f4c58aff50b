"""Meter readings: the list (ReadingFilter), a new reading, flagged readings and their
confirmation: the page's services and permissions, on guanjia.core.api.CommunityViewSet."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from guanjia.core.access import request_user, require_perm
from guanjia.core.api import CommunityViewSet

from .. import filters
from ..models import Meter, MeterReading
from ..services.meters import confirm_reading, record_reading
from .common import body
from .serializers import ReadingInputSerializer, ReadingSerializer


class ReadingViewSet(mixins.ListModelMixin, CommunityViewSet):
    """Readings of the caller's communities, newest month first (ReadingFilter); a new
    reading is recorded by the page's service (the reading rules of the page apply)."""

    model = MeterReading
    view_perm = "billing.view_meterreading"
    serializer_class = ReadingSerializer
    filterset_class = filters.ReadingFilter
    ordering = ("-period", "meter__number")

    @extend_schema(request=ReadingInputSerializer, responses={201: ReadingSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Record a reading of a meter the caller sees (another community's: 404)."""
        data = body(request, ReadingInputSerializer)
        meter = Meter.objects.visible_to(request.user).filter(pk=data.pop("meter")).first()
        if meter is None:
            raise NotFound
        require_perm(request.user, "billing.add_meterreading", meter.community)
        reading = record_reading(meter=meter, by=request_user(request._request), **data)
        return Response(ReadingSerializer(reading).data, status=201)


class FlaggedReadingViewSet(ReadingViewSet):
    """Readings flagged as far above the meter's average and not yet confirmed (not billed
    until confirmed), of the communities where the caller may confirm them; confirming one."""

    view_perm = "billing.change_meterreading"

    def get_queryset(self) -> Any:
        rows = super().get_queryset()
        if self.action == "list":
            rows = rows.filter(flagged=True, confirmed_by__isnull=True)
        return rows

    @extend_schema(request=None, responses=ReadingSerializer)
    def confirm(self, request: Request, pk: int) -> Response:
        """Confirm a flagged reading so that it is billed (a reading not flagged: 400)."""
        reading = self.action_object("billing.change_meterreading")
        confirmed = confirm_reading(reading=reading, by=request_user(request._request))
        return Response(ReadingSerializer(confirmed).data)

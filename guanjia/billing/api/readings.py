"""Meter readings: the list, a new reading, flagged readings and their confirmation."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import api_view
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from guanjia.core.access import get_visible_or_404, request_user, require_perm

from ..models import Meter, MeterReading
from ..services.meters import confirm_reading, record_reading
from .common import body, community_param, scoped
from .serializers import ReadingInputSerializer, ReadingSerializer


@extend_schema(methods=["GET"], responses=ReadingSerializer(many=True))
@extend_schema(methods=["POST"], request=ReadingInputSerializer, responses={201: ReadingSerializer})
@api_view(["GET", "POST"])
def readings(request: Request) -> Response:
    """GET: the latest 200 readings; POST: record one (the reading rules of the page apply)."""
    if request.method == "GET":
        rows = scoped(MeterReading.objects.all(), request, "billing.view_meterreading")
        return Response(ReadingSerializer(rows.order_by("-period", "pk")[:200], many=True).data)
    data = body(request, ReadingInputSerializer)
    meter = Meter.objects.visible_to(request.user).filter(pk=data.pop("meter")).first()
    if meter is None:
        raise NotFound
    require_perm(request.user, "billing.add_meterreading", meter.community)
    reading = record_reading(meter=meter, by=request_user(request._request), **data)
    return Response(ReadingSerializer(reading).data, status=201)


@extend_schema(
    parameters=[OpenApiParameter("community", int, description="One community only.")],
    responses=ReadingSerializer(many=True),
)
@api_view(["GET"])
def readings_flagged(request: Request) -> Response:
    """Readings flagged as far above the meter's average and not yet confirmed (not billed
    until confirmed), of the communities where the caller may confirm them; at most 200."""
    rows = scoped(MeterReading.objects.all(), request, "billing.change_meterreading")
    rows = rows.filter(flagged=True, confirmed_by__isnull=True)
    community = community_param(request)
    if community is not None:
        rows = rows.filter(community_id=community)
    return Response(ReadingSerializer(rows.order_by("-period", "pk")[:200], many=True).data)


@extend_schema(request=None, responses=ReadingSerializer)
@api_view(["POST"])
def reading_confirm(request: Request, pk: int) -> Response:
    """Confirm a flagged reading so that it is billed (a reading not flagged: 400)."""
    reading = get_visible_or_404(MeterReading, request.user, pk=pk)
    require_perm(request.user, "billing.change_meterreading", reading.community_id)
    confirmed = confirm_reading(reading=reading, by=request_user(request._request))
    return Response(ReadingSerializer(confirmed).data)

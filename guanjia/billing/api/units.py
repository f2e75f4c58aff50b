"""A unit's statement and fee exceptions, and arrears (by unit of one community, or by
community over the caller's communities), read through the arrears selectors."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer, extend_schema
from rest_framework.decorators import api_view
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from guanjia.core.access import (
    communities_with_perm,
    get_visible_or_404,
    request_user,
    require_perm,
)
from guanjia.estates.models import Unit

from .. import services
from ..forms import UnitExceptionForm
from ..models import UnitFeeException
from ..selectors import arrears_by_community, arrears_by_unit, unit_statement
from .common import (
    body,
    community_or_404,
    community_param,
    form_data,
    page_param,
)
from .serializers import (
    ArrearsPageSerializer,
    CommunityArrearsPageSerializer,
    CommunityArrearsSerializer,
    EntrySerializer,
    StatementSerializer,
    UnitArrearsSerializer,
    UnitExceptionBody,
    UnitFeeExceptionSerializer,
)

ARREARS_PAGE = 50  # units a page, the selector's own default


@extend_schema(responses=StatementSerializer)
@api_view(["GET"])
def statement(request: Request, pk: int) -> Response:
    """A unit's entries and balances."""
    unit = get_visible_or_404(Unit, request.user, pk=pk)
    require_perm(request.user, "billing.view_ledgerentry", unit.community)
    s = unit_statement(unit)
    totals = {
        k: str(getattr(s, k))
        for k in ("billed", "paid", "waived", "written_off", "outstanding", "prepaid")
    }
    return Response(
        {"unit": unit.pk, **totals, "entries": EntrySerializer(s.entries, many=True).data}
    )


@extend_schema(methods=["GET"], responses=UnitFeeExceptionSerializer(many=True))
@extend_schema(
    methods=["POST"], request=UnitExceptionBody, responses={201: UnitFeeExceptionSerializer}
)
@api_view(["GET", "POST"])
def unit_exceptions(request: Request, pk: int) -> Response:
    """GET: the unit's fee exceptions. POST: add one: exempt (no rate) or its own rate (above
    zero), from a date, optionally until one, with a reason; a standard of another community
    or an overlapping exception: 400."""
    unit = get_visible_or_404(Unit.objects.select_related("community"), request.user, pk=pk)
    if request.method == "GET":
        require_perm(request.user, "billing.view_unitfeeexception", unit.community)
        rows = (
            UnitFeeException.objects.filter(unit=unit)
            .select_related("standard")
            .order_by("standard__name", "-starts_on")
        )
        return Response(UnitFeeExceptionSerializer(rows, many=True).data)
    require_perm(request.user, "billing.add_unitfeeexception", unit.community)
    cleaned = form_data(
        UnitExceptionForm(body(request, UnitExceptionBody), community=unit.community)
    )
    exception = services.add_unit_exception(unit=unit, by=request_user(request._request), **cleaned)
    return Response(UnitFeeExceptionSerializer(exception).data, status=201)


def _page(request: Request, rows: Any, count: int, page: int) -> dict[str, Any]:
    url = request.build_absolute_uri()
    more = page * ARREARS_PAGE < count
    previous = None
    if page == 2:
        previous = remove_query_param(url, "page")
    elif page > 2:
        previous = replace_query_param(url, "page", page - 1)
    return {
        "count": count,
        "next": replace_query_param(url, "page", page + 1) if more else None,
        "previous": previous,
        "results": rows,
    }


def _units_owing(request: Request, community_id: int) -> dict[str, Any]:
    community = community_or_404(request, community_id, "billing.view_ledgerentry")
    page = page_param(request)
    totals = arrears_by_community([community.pk])
    count = totals[0].units if totals else 0
    if page > 1 and (page - 1) * ARREARS_PAGE >= count:
        raise NotFound
    rows = arrears_by_unit(community.pk, limit=ARREARS_PAGE, offset=(page - 1) * ARREARS_PAGE)
    return _page(request, UnitArrearsSerializer(rows, many=True).data, count, page)


ArrearsResponse = PolymorphicProxySerializer(
    component_name="Arrears",
    serializers=[ArrearsPageSerializer, CommunityArrearsPageSerializer],
    resource_type_field_name=None,
)


@extend_schema(
    parameters=[
        OpenApiParameter("community", int, description="Its units that owe, most first."),
        OpenApiParameter("page", int, description="With `community`: 50 units a page."),
    ],
    responses=ArrearsResponse,
)
@api_view(["GET"])
def arrears(request: Request) -> Response:
    """What is owed. `?community=<id>`: the units of that community that owe, most first
    (room code, outstanding), 50 a page; without it: each of the caller's communities (units
    owing, outstanding). Amounts are strings with two decimals."""
    require_perm(request.user, "billing.view_ledgerentry")
    community_id = community_param(request)
    if community_id is not None:
        return Response(_units_owing(request, community_id))
    ids = communities_with_perm(request.user, "billing.view_ledgerentry")
    rows = CommunityArrearsSerializer(arrears_by_community(ids), many=True).data
    return Response({"count": len(rows), "next": None, "previous": None, "results": rows})

"""A unit's statement and fee exceptions, and arrears (by unit of one community, or by
community over the caller's communities), read through the arrears selectors; on
guanjia.core.api.CommunityViewSet, lists a page at a time (core pagination)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer, extend_schema
from rest_framework import mixins, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from guanjia.core.access import (
    communities_with_perm,
    get_visible_or_404,
    request_user,
    require_perm,
)
from guanjia.core.api import CommunityViewSet
from guanjia.estates.models import Unit

from .. import filters, services
from ..forms import UnitExceptionForm
from ..models import UnitBalance, UnitFeeException
from ..selectors import arrears_by_community, arrears_by_unit, unit_statement
from .common import body, community_or_404, form_data
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


class StatementViewSet(CommunityViewSet):
    """A unit's statement, in the communities where the caller sees the ledger."""

    model = Unit
    view_perm = "billing.view_ledgerentry"
    serializer_class = StatementSerializer

    @extend_schema(responses=StatementSerializer)
    def retrieve(self, request: Request, pk: int) -> Response:
        """A unit's entries and balances."""
        unit = self.get_object()
        s = unit_statement(unit)
        totals = {
            k: str(getattr(s, k))
            for k in ("billed", "paid", "waived", "written_off", "outstanding", "prepaid")
        }
        entries = EntrySerializer(s.entries, many=True).data
        return Response({"unit": unit.pk, **totals, "entries": entries})


class UnitExceptionViewSet(mixins.ListModelMixin, CommunityViewSet):
    """A unit's fee exceptions (UnitExceptionFilter), by standard then newest first; a new
    one. A unit of another community is a 404; without the permission in its community, a
    403."""

    model = UnitFeeException
    view_perm = "billing.view_unitfeeexception"
    serializer_class = UnitFeeExceptionSerializer
    filterset_class = filters.UnitExceptionFilter
    related = ("standard",)
    ordering = ("standard__name", "-starts_on")

    def unit(self, perm: str) -> Unit:
        unit = get_visible_or_404(
            Unit.objects.select_related("community"), self.request.user, pk=self.kwargs["pk"]
        )
        require_perm(self.request.user, perm, unit.community)
        return unit

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # the schema generator: no unit in the URL
            return UnitFeeException.objects.none()
        rows = super().get_queryset()
        if self.action == "list":
            rows = rows.filter(unit=self.unit("billing.view_unitfeeexception"))
        return rows

    @extend_schema(request=UnitExceptionBody, responses={201: UnitFeeExceptionSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Add one: exempt (no rate) or its own rate (above zero), from a date, optionally
        until one, with a reason; a standard of another community or an overlapping
        exception: 400."""
        unit = self.unit("billing.add_unitfeeexception")
        given = body(request, UnitExceptionBody)
        cleaned = form_data(UnitExceptionForm(given, community=unit.community))
        by = request_user(request._request)
        exception = services.add_unit_exception(unit=unit, by=by, **cleaned)
        return Response(UnitFeeExceptionSerializer(exception).data, status=201)


class RankedUnits:
    """A community's units that owe, most first, as a sequence the core pagination cuts into
    pages: its length is the community's count of units owing (one aggregate), a slice one
    `arrears_by_unit(limit=, offset=)` query."""

    def __init__(self, community_id: int) -> None:
        self.community_id = community_id

    def __len__(self) -> int:
        totals = arrears_by_community([self.community_id])
        return totals[0].units if totals else 0

    def __getitem__(self, cut: slice) -> list[Any]:
        offset = cut.start or 0
        limit = (cut.stop or offset) - offset
        return list(arrears_by_unit(self.community_id, limit=limit, offset=offset))


ArrearsResponse = PolymorphicProxySerializer(
    component_name="Arrears",
    serializers=[ArrearsPageSerializer, CommunityArrearsPageSerializer],
    resource_type_field_name=None,
)


class ArrearsViewSet(CommunityViewSet):
    """What is owed, from the balance table through the arrears selectors, a page at a time
    (core pagination); `?community=` is checked by ArrearsFilter."""

    model = UnitBalance
    view_perm = "billing.view_ledgerentry"
    serializer_class = UnitArrearsSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("community", int, description="Its units that owe, most first."),
            OpenApiParameter("page", int, description="A page of PAGE_SIZE rows."),
        ],
        responses=ArrearsResponse,
    )
    def arrears(self, request: Request) -> Response:
        """What is owed. `?community=<id>`: the units of that community that owe, most first
        (room code, outstanding); without it: each of the caller's communities (units
        owing, outstanding). PAGE_SIZE rows a page; amounts are strings with two decimals."""
        query = filters.ArrearsFilter(
            request.query_params, queryset=UnitBalance.objects.none(), request=request
        )
        if not query.is_valid():
            raise serializers.ValidationError(query.errors)
        community_id = query.form.cleaned_data.get("community")
        if community_id is not None:
            community = community_or_404(request, int(community_id), self.view_perm)
            page = self.paginate_queryset(RankedUnits(community.pk))  # type: ignore[arg-type]
            rows = UnitArrearsSerializer(page, many=True).data
        else:
            ids = communities_with_perm(request.user, self.view_perm)
            page = self.paginate_queryset(arrears_by_community(ids))  # type: ignore[arg-type]
            rows = CommunityArrearsSerializer(page, many=True).data
        return self.get_paginated_response(rows)

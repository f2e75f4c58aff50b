"""Billing runs: list, preview, post, one run with its lines, its reversal (requested with a
reason, approved by the director) and closing a month: the page's services and permissions.
Preview, post and the month's close name their community in the body: the viewset's view
permission lets the caller in (403 without it anywhere), then the body's community is checked
(one the caller cannot see: 404; without the add permission there: 403)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from guanjia.core.access import request_user
from guanjia.core.api import CommunityViewSet, Pagination
from guanjia.core.jobs.api import JobRunSerializer

from .. import filters, services
from ..models import BillingRun, FeeItem, MonthClose
from .common import body, community_or_404
from .serializers import (
    MonthCloseBody,
    MonthCloseSerializer,
    ReasonBody,
    RunDetailSerializer,
    RunLineSerializer,
    RunPostedSerializer,
    RunPostSerializer,
    RunRequestSerializer,
    RunSerializer,
    RunWithLinesSerializer,
)


def _run_input(
    request: Request, serializer: type[RunRequestSerializer] = RunRequestSerializer
) -> dict[str, Any]:
    data = body(request, serializer)
    community = community_or_404(request, data["community"], "billing.add_billingrun")
    item = FeeItem.objects.filter(pk=data["fee_item"], company_id=community.company_id).first()
    if item is None:
        raise serializers.ValidationError({"fee_item": [_("Unknown fee item.")]})
    extra = {"fingerprint": data["fingerprint"]} if data.get("fingerprint") else {}
    return {"community": community, "period": data["period"], "fee_item": item, **extra}


class PreviewLineSerializer(serializers.Serializer):
    unit = serializers.IntegerField()
    room_code = serializers.CharField()
    line_no = serializers.IntegerField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    discount = serializers.DecimalField(max_digits=14, decimal_places=2)
    formula = serializers.CharField()
    inputs = serializers.DictField()


# "errors" would shadow Serializer.errors as a class attribute: declare the fields as a dict.
PreviewSerializer = inline_serializer(
    name="RunPreview",
    fields={
        "total": serializers.DecimalField(max_digits=14, decimal_places=2),
        "lines": PreviewLineSerializer(many=True),
        "warnings": serializers.ListField(child=serializers.CharField()),
        "errors": serializers.ListField(child=serializers.CharField()),
        "already_billed": serializers.IntegerField(
            help_text="Units already billed for this period and item."
        ),
        "nothing_to_bill": serializers.ListField(
            child=serializers.CharField(),
            help_text="When the month bills nothing at all: why, one reason a standard.",
        ),
        "fingerprint": serializers.CharField(
            help_text="Give it to run-post to post only what this preview showed."
        ),
    },
)


class RunViewSet(mixins.ListModelMixin, CommunityViewSet):
    """Billing runs (RunFilter), newest month first; one run with its lines; its reversal,
    requested with a reason and approved by the director."""

    model = BillingRun
    view_perm = "billing.view_billingrun"
    serializer_class = RunSerializer
    filterset_class = filters.RunFilter
    ordering = ("-period", "community_id", "fee_item_id")

    @extend_schema(request=RunRequestSerializer, responses=PreviewSerializer)
    def preview(self, request: Request) -> Response:
        """Every line the run would post, with totals, warnings and errors; posts nothing."""
        preview = services.preview_run(**_run_input(request))
        lines = [
            {
                "unit": line.unit_id,
                "room_code": line.room_code,
                "line_no": line.line_no,
                "amount": str(line.amount),
                "discount": str(line.discount),
                "formula": line.formula,
                "inputs": line.inputs,
            }
            for line in preview.lines
        ]
        return Response(
            {
                "total": str(preview.total),
                "lines": lines,
                "warnings": preview.warnings,
                "errors": preview.errors,
                "already_billed": preview.already_billed,
                "nothing_to_bill": preview.nothing_to_bill,
                "fingerprint": preview.fingerprint,
            }
        )

    @extend_schema(
        request=RunPostSerializer,
        responses={200: RunPostedSerializer, 201: RunPostedSerializer, 202: JobRunSerializer},
    )
    def post_run(self, request: Request) -> Response:
        """Post the run; a second call adds only units not yet billed (added: 0 says so). A
        community of more than 2,000 units is posted by a background job, as on the page: the
        answer is 202 with the job, whose progress GET /api/v1/jobs/<id>/ shows. With the
        preview's `fingerprint`, nothing is posted unless the bills are still those; a month
        that bills nothing is a 400 (nothing_to_bill) with the reasons."""
        data = _run_input(request, RunPostSerializer)
        by = request_user(request._request)
        if services.is_large_run(data["community"]):
            job = services.start_run(by=by, **data)
            return Response(JobRunSerializer(job).data, status=202)
        result = services.post_run(by=by, **data)
        posted = RunSerializer(result.run).data
        return Response(
            {**posted, "added": result.added, "message": result.message},
            status=201 if result.added else 200,
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("page", int, description="The lines' page (PAGE_SIZE a page)."),
            OpenApiParameter("q", str, description="Lines of a room code (or its prefix)."),
            OpenApiParameter("kind", str, description="Lines of one kind."),
        ],
        responses=RunWithLinesSerializer,
    )
    def retrieve(self, request: Request, pk: int) -> Response:
        """A run with its totals and its lines (unit, room, amount, explanation) in room
        order, a page at a time; a page that does not exist is a 404."""
        run = self.get_object()
        entries = run.entries.select_related("unit").order_by("unit__sort_key", "line_no", "pk")
        lines = filters.RunLineFilter(request.query_params or None, queryset=entries)
        if lines.is_bound and not lines.is_valid():
            raise serializers.ValidationError(lines.errors)
        paginator = Pagination()
        page: Any = paginator.paginate_queryset(lines.qs, request, view=self)
        data = paginator.get_paginated_response(RunLineSerializer(page, many=True).data).data
        return Response({**RunDetailSerializer(run).data, "lines": data})

    @extend_schema(request=ReasonBody, responses=RunDetailSerializer)
    def request_reversal(self, request: Request, pk: int) -> Response:
        """Ask for the whole run to be undone, with a reason; the director approves. Not a
        posted run, or one a payment, waiver or write-off touches: 400."""
        run = self.action_object("billing.add_billingrun")
        reason = body(request, ReasonBody)["reason"]
        by = request_user(request._request)
        run = services.request_run_reversal(run=run, by=by, reason=reason)
        return Response(RunDetailSerializer(run).data)

    @extend_schema(request=None, responses=RunDetailSerializer)
    def approve_reversal(self, request: Request, pk: int) -> Response:
        """The director reverses every entry of the run (no reversal requested: 400; the
        person who posted the run: 403)."""
        run = self.action_object("billing.approve_run_reversal")
        run = services.approve_run_reversal(run=run, by=request_user(request._request))
        return Response(RunDetailSerializer(run).data)


class MonthCloseViewSet(CommunityViewSet):
    """Closing a month of a community (the director): the community is in the body."""

    model = MonthClose
    view_perm = "billing.view_monthclose"
    serializer_class = MonthCloseSerializer

    @extend_schema(request=MonthCloseBody, responses={201: MonthCloseSerializer})
    def close(self, request: Request) -> Response:
        """Close a month of a community once it has ended: nothing more posts into it (a month
        not yet ended, or already closed: 400)."""
        data = body(request, MonthCloseBody)
        community = community_or_404(request, data["community"], "billing.add_monthclose")
        by = request_user(request._request)
        closed = services.close_month(community=community, period=data["period"], by=by)
        return Response(MonthCloseSerializer(closed).data, status=201)

"""Billing API under /api/v1/billing/: fee items, standards, runs (preview, post) and unit
statements. Reads: rows of the communities where the caller holds the view permission (else
404). Writes call the same services as the pages (ValidationError -> 400, authority -> 403).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.urls import path
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from guanjia.accounts.selectors import (
    communities_with_perm,
    get_visible_or_404,
    request_user,
    require_perm,
)
from guanjia.core.models import Community
from guanjia.estates.models import Unit

from . import services
from .forms import parse_month
from .models import (
    BillingRun,
    FeeItem,
    FeeStandard,
    FeeStandardVersion,
    LedgerEntry,
    Meter,
    MeterReading,
)
from .selectors import unit_statement
from .services.meters import record_reading


class FeeItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = FeeItem
        fields = ["id", "code", "name", "category", "gl_code", "priority", "is_active"]


class VersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = FeeStandardVersion
        fields = ["id", "rate", "effective_from", "effective_to", "approval_ref"]


class StandardSerializer(serializers.ModelSerializer):
    versions = VersionSerializer(many=True, read_only=True)

    class Meta:
        model = FeeStandard
        fields = ["id", "community", "fee_item", "name", "method", "cycle", "billed_in"]
        fields += ["rounding", "unit_kinds", "unit_statuses", "vacant_discount", "payer_rule"]
        fields += ["versions"]


class RunSerializer(serializers.ModelSerializer):
    total = serializers.DecimalField(max_digits=15, decimal_places=2)

    class Meta:
        model = BillingRun
        fields = ["id", "community", "period", "fee_item", "status", "line_count", "total"]


class RunRequestSerializer(serializers.Serializer):
    community = serializers.IntegerField()
    period = serializers.CharField(max_length=7, help_text="YYYY-MM")
    fee_item = serializers.IntegerField()

    def validate_period(self, value: str) -> Any:
        try:
            return parse_month(value)
        except ValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc


class EntrySerializer(serializers.ModelSerializer):
    amount = serializers.DecimalField(max_digits=15, decimal_places=2)

    class Meta:
        model = LedgerEntry
        fields = ["id", "period", "fee_item", "kind", "amount", "memo", "explanation"]


def _scoped(queryset: Any, request: Request, perm: str) -> Any:
    require_perm(request.user, perm)
    return queryset.filter(community_id__in=communities_with_perm(request.user, perm))


@extend_schema(responses=FeeItemSerializer(many=True))
@api_view(["GET"])
def fee_items(request: Request) -> Response:
    """The fee items of the caller's company."""
    require_perm(request.user, "billing.view_feeitem")
    items = FeeItem.objects.visible_to(request.user)
    return Response(FeeItemSerializer(items, many=True).data)


@extend_schema(responses=StandardSerializer(many=True))
@api_view(["GET"])
def standards(request: Request) -> Response:
    """Fee standards with their rate versions."""
    rows = _scoped(FeeStandard.objects.all(), request, "billing.view_feestandard")
    return Response(StandardSerializer(rows.prefetch_related("versions"), many=True).data)


@extend_schema(responses=RunSerializer(many=True))
@api_view(["GET"])
def runs(request: Request) -> Response:
    """Billing runs, newest month first (at most 200)."""
    rows = _scoped(BillingRun.objects.all(), request, "billing.view_billingrun")
    return Response(RunSerializer(rows[:200], many=True).data)


def _run_input(request: Request) -> dict[str, Any]:
    body = RunRequestSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    data = body.validated_data
    community = Community.objects.visible_to(request.user).filter(pk=data["community"]).first()
    if community is None:
        raise NotFound
    require_perm(request.user, "billing.add_billingrun", community)
    item = FeeItem.objects.filter(pk=data["fee_item"], company_id=community.company_id).first()
    if item is None:
        raise serializers.ValidationError({"fee_item": ["Unknown fee item."]})
    return {"community": community, "period": data["period"], "fee_item": item}


def _bad(exc: ValidationError) -> Response:
    return Response({"detail": exc.messages}, status=400)


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
    },
)


@extend_schema(request=RunRequestSerializer, responses=PreviewSerializer)
@api_view(["POST"])
def run_preview(request: Request) -> Response:
    """Every line the run would post, with totals, warnings and errors; posts nothing."""
    try:
        preview = services.preview_run(**_run_input(request))
    except ValidationError as exc:
        return _bad(exc)
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
        }
    )


@extend_schema(request=RunRequestSerializer, responses=RunSerializer)
@api_view(["POST"])
def run_post(request: Request) -> Response:
    """Post the run; a second call adds only units not yet billed (added: 0 says so)."""
    try:
        result = services.post_run(by=request_user(request._request), **_run_input(request))
    except ValidationError as exc:
        return _bad(exc)
    data = RunSerializer(result.run).data
    return Response(
        {**data, "added": result.added, "message": result.message},
        status=201 if result.added else 200,
    )


@extend_schema(responses=EntrySerializer(many=True))
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


class ReadingSerializer(serializers.ModelSerializer):
    class Meta:
        model = MeterReading
        fields = ["id", "meter", "period", "value", "read_on", "replacement", "old_meter_final"]
        fields += ["flagged", "confirmed_by"]
        read_only_fields = ["period", "flagged", "confirmed_by"]


class ReadingInputSerializer(serializers.Serializer):
    meter = serializers.IntegerField()
    period = serializers.CharField(max_length=20, help_text="YYYY-MM")
    value = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal(0))
    read_on = serializers.DateField()
    replacement = serializers.BooleanField(default=False)
    old_meter_final = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=Decimal(0), required=False, allow_null=True
    )

    def validate_period(self, value: str) -> Any:
        try:
            return parse_month(value)
        except ValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc


@extend_schema(request=ReadingInputSerializer, responses=ReadingSerializer(many=True))
@api_view(["GET", "POST"])
def readings(request: Request) -> Response:
    """GET: the latest 200 readings; POST: record one (the reading rules of the page apply)."""
    if request.method == "GET":
        rows = _scoped(MeterReading.objects.all(), request, "billing.view_meterreading")
        return Response(ReadingSerializer(rows.order_by("-period", "pk")[:200], many=True).data)
    body = ReadingInputSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    data = dict(body.validated_data)
    meter = Meter.objects.visible_to(request.user).filter(pk=data.pop("meter")).first()
    if meter is None:
        raise NotFound
    require_perm(request.user, "billing.add_meterreading", meter.community)
    try:
        reading = record_reading(meter=meter, by=request_user(request._request), **data)
    except ValidationError as exc:
        return _bad(exc)
    return Response(ReadingSerializer(reading).data, status=201)


app_name = "billing-api"
urlpatterns = [
    path("fee-items/", fee_items, name="feeitem-list"),
    path("standards/", standards, name="standard-list"),
    path("runs/", runs, name="run-list"),
    path("readings/", readings, name="reading-list"),
    path("runs/preview/", run_preview, name="run-preview"),
    path("runs/post/", run_post, name="run-post"),
    path("units/<int:pk>/statement/", statement, name="unit-statement"),
]

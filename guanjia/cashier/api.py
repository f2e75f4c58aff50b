"""Cashier API under /api/v1/cashier/: payments (one per `Idempotency-Key`), their preview,
receipts and their void, the cashier's days and their count, close and return.

Reads: rows of the communities where the caller holds the view permission (else 404; no view
permission anywhere: 403). Writes: the serializer shapes the body, the same service as the
page decides (ValidationError -> 400, authority -> 403)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from guanjia.billing.models import FeeItem
from guanjia.core.access import communities_with_perm, request_user
from guanjia.core.api import CommunityViewSet, ScopedSerializerMixin, VisibleCommunityField
from guanjia.core.models import Community
from guanjia.estates.models import Building, Person, Unit

from . import filters, services
from .models import (
    ArrearsCase,
    CaseStage,
    CashierSession,
    Deposit,
    DepositKind,
    DunningNotice,
    DunningStep,
    InstalmentPlan,
    NoticeKind,
    Payment,
    PaymentLine,
    PaymentMethod,
    PaymentPromise,
    PaymentReversal,
    Receipt,
    ReversalCause,
    StepMethod,
)
from .selectors import day_summary
from .selectors.dunning import plan_progress, promise_states

KEY_HEADER = "Idempotency-Key"


def _money(**kwargs: Any) -> serializers.DecimalField:
    """Yuan as a string with two places ("150.00"), like every amount of the API."""
    kwargs.setdefault("read_only", True)
    return serializers.DecimalField(max_digits=15, decimal_places=2, **kwargs)


class ReceiptRefSerializer(serializers.ModelSerializer):
    verify_url = serializers.SerializerMethodField()

    class Meta:
        model = Receipt
        fields = ["id", "number", "status", "verify_url"]
        read_only_fields = fields

    def get_verify_url(self, receipt: Receipt) -> str:
        path = reverse("cashier:receipt-verify", kwargs={"token": receipt.token})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class LineSerializer(serializers.ModelSerializer):
    amount = _money()
    fee_item_name = serializers.CharField(source="fee_item.name", read_only=True)

    class Meta:
        model = PaymentLine
        fields = ["position", "kind", "fee_item", "fee_item_name", "bill_month", "amount"]


class PaymentSerializer(serializers.ModelSerializer):
    room_code = serializers.CharField(source="unit.room_code", read_only=True)
    amount, tendered, change = _money(), _money(), _money()
    lines = LineSerializer(many=True, read_only=True)
    receipt = ReceiptRefSerializer(read_only=True)

    class Meta:
        model = Payment
        fields = ["id", "community", "unit", "room_code", "session", "method", "reference"]
        fields += ["amount", "tendered", "change", "payer", "payer_name", "owner_name"]
        fields += ["created_at", "created_by", "lines", "receipt"]
        read_only_fields = fields


class PaymentRequestSerializer(ScopedSerializerMixin, serializers.Serializer):
    """A payment to take: the unit decides the community; the payer must be of it."""

    scope_fields = ("unit",)
    movable_fields = ("payer",)
    scope_perm = "cashier.add_payment"

    unit = VisibleCommunityField(queryset=Unit.objects.all())
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    method = serializers.ChoiceField(choices=PaymentMethod.choices)
    reference = serializers.CharField(max_length=64, required=False, allow_blank=True)
    tendered = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, allow_null=True
    )
    payer = VisibleCommunityField(queryset=Person.objects.all(), required=False, allow_null=True)
    payer_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    prepay_item = serializers.PrimaryKeyRelatedField(
        queryset=FeeItem.objects.all(), required=False, allow_null=True
    )
    expected_owed = serializers.CharField(max_length=64, required=False, allow_blank=True)

    def to_request(self, key: str) -> services.PaymentRequest:
        data: dict[str, Any] = self.validated_data
        return services.PaymentRequest(
            unit=data["unit"],
            amount=data["amount"],
            method=data["method"],
            idempotency_key=key,
            reference=data.get("reference", ""),
            tendered=data.get("tendered"),
            payer=data.get("payer"),
            payer_name=data.get("payer_name", ""),
            prepay_item=data.get("prepay_item"),
            expected_owed=data.get("expected_owed", ""),
        )


class AllocatedSerializer(serializers.Serializer):
    fee_item = serializers.IntegerField(source="line.fee_item_id")
    fee_item_name = serializers.CharField(source="line.fee_item_name")
    bill_month = serializers.DateField(source="line.bill_month")
    kind = serializers.CharField(source="line.kind")
    owed = serializers.DecimalField(source="line.amount", max_digits=12, decimal_places=2)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)


class PreviewSerializer(serializers.Serializer):
    """Where a payment would go: the lines it pays, the rest prepaid, the change."""

    owed = serializers.DecimalField(source="account.total", max_digits=12, decimal_places=2)
    expected_owed = serializers.CharField(source="account.fingerprint")
    parts = AllocatedSerializer(source="allocation.parts", many=True)
    prepaid = serializers.DecimalField(source="allocation.rest", max_digits=12, decimal_places=2)
    prepayment_to = serializers.CharField()
    change = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)


class ReceiptSerializer(ReceiptRefSerializer):
    payment = PaymentSerializer(read_only=True)

    class Meta(ReceiptRefSerializer.Meta):
        fields = [*ReceiptRefSerializer.Meta.fields, "community", "created_at", "payment"]
        fields += ["void_reason", "voided_by", "voided_at"]
        read_only_fields = fields


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, allow_blank=True)


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class CountSerializer(serializers.Serializer):
    denominations = serializers.DictField(child=serializers.JSONField())
    explanation = serializers.CharField(max_length=500, required=False, allow_blank=True)


class SessionSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    """A day opens with its community and float; everything else is the workflow's."""

    scope_perm = "cashier.add_cashiersession"
    community = VisibleCommunityField(queryset=Community.objects.all())
    float_amount = _money(read_only=False, max_value=Decimal("100000"))
    counted_cash, expected_cash, over_short = _money(), _money(), _money()
    totals = serializers.SerializerMethodField()

    class Meta:
        model = CashierSession
        fields = ["id", "community", "cashier", "business_day", "float_amount", "status"]
        fields += ["denominations", "counted_cash", "expected_cash", "over_short"]
        fields += ["explanation", "counted_at", "closed_by", "closed_at", "cash_over_limit"]
        fields += ["totals"]
        read_only_fields = [f for f in fields if f not in ("community", "float_amount")]

    def get_totals(self, session: CashierSession) -> dict[str, Any] | None:
        if not self.context.get("with_totals"):
            return None
        summary = day_summary(session)
        return {
            "total": str(summary.total),
            "cash": str(summary.cash),
            "expected_cash": str(summary.expected_cash),
            "by_method": [
                {"method": t.label, "count": t.count, "amount": str(t.amount)}
                for t in summary.by_method
            ],
            "by_item": [{"item": t.label, "amount": str(t.amount)} for t in summary.by_item],
            "receipts_issued": [p.receipt.number for p in summary.issued],
            "receipts_voided": [p.receipt.number for p in summary.voided],
        }


def idempotency_key(request: Request) -> str:
    """The header's key; a client that cannot set headers (a form) sends the body's
    `idempotency_key` instead. One key, one payment or deposit."""
    key = request.headers.get(KEY_HEADER, "").strip()
    if not key and isinstance(request.data, dict):
        key = str(request.data.get("idempotency_key", "")).strip()
    if not key:
        message = _("The %(header)s header is required: one key per payment.")
        raise ValidationError(
            {"detail": [message % {"header": KEY_HEADER}], "code": "key_required"}
        )
    return key


class CashierViewSet(CommunityViewSet):
    """The cashier's rows newest first (core.api.CommunityViewSet: the communities where the
    caller holds `view_perm`, another community's row 404)."""

    ordering = ("-pk",)


class PaymentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CashierViewSet):
    serializer_class = PaymentSerializer
    filterset_class = filters.PaymentFilter
    view_perm = "cashier.view_payment"
    related = ("unit", "receipt")

    def get_queryset(self) -> Any:
        return super().get_queryset().prefetch_related("lines__fee_item")

    @extend_schema(
        request=PaymentRequestSerializer,
        responses={201: PaymentSerializer},
        parameters=[OpenApiParameter(KEY_HEADER, str, OpenApiParameter.HEADER, required=True)],
    )
    def create(self, request: Request) -> Response:
        """Take a payment. The same `Idempotency-Key` returns the first payment (header
        `Idempotent-Replayed: true`); the same key with a different body is a 400."""
        key = idempotency_key(request)
        body = PaymentRequestSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        taken = services.take_payment(request=body.to_request(key), by=request_user(request))
        payment = self.get_queryset().get(pk=taken.pk)
        response = Response(
            PaymentSerializer(payment, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )
        if getattr(taken, "replayed", False):
            response["Idempotent-Replayed"] = "true"
        return response

    @extend_schema(request=PaymentRequestSerializer, responses=PreviewSerializer)
    @action(detail=False, methods=["post"])
    def preview(self, request: Request) -> Response:
        """Where a payment would go today; nothing is saved."""
        body = PaymentRequestSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        key = request.headers.get(KEY_HEADER, "") or "preview-only"
        preview = services.preview_payment(request=body.to_request(key), by=request_user(request))
        return Response(PreviewSerializer(preview).data)


class ReversalRequestSerializer(serializers.Serializer):
    cause = serializers.ChoiceField(choices=ReversalCause.choices)
    reason = serializers.CharField(max_length=200)


class ReversalSerializer(serializers.ModelSerializer):
    class Meta:
        model = PaymentReversal
        fields = ["id", "payment", "cause", "reason", "status", "requested_by", "created_at"]
        read_only_fields = fields


class ReversalDecisionSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True)


class PaymentReversalViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CashierViewSet):
    """Reversals (冲红) asked for: list (`?status=`), one; ask for one of a payment of a
    counted day (`POST payments/<id>/reverse/`), decide it (a different person)."""

    serializer_class = ReversalSerializer
    filterset_class = filters.ReversalFilter
    view_perm = "cashier.view_payment"

    @extend_schema(request=ReversalRequestSerializer, responses={201: ReversalSerializer})
    def ask(self, request: Request, pk: str) -> Response:
        payments = Payment.objects.visible_to(request.user).filter(
            community__in=communities_with_perm(request.user, self.view_perm)
        )
        payment = get_object_or_404(payments, pk=pk)
        body = ReversalRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        reversal = services.request_reversal(
            payment=payment, by=request_user(request), **body.validated_data
        )
        return Response(ReversalSerializer(reversal).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReversalDecisionSerializer, responses=ReversalSerializer)
    def decide(self, request: Request, pk: str) -> Response:
        reversal = self.get_object()
        body = ReversalDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.decide_reversal(reversal=reversal, by=request_user(request), **body.validated_data)
        reversal.refresh_from_db()
        return Response(ReversalSerializer(reversal).data)


class ReceiptViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CashierViewSet):
    serializer_class = ReceiptSerializer
    filterset_class = filters.ReceiptFilter
    view_perm = "cashier.view_receipt"
    related = ("payment__unit", "payment__session", "payment__created_by")

    def get_queryset(self) -> Any:
        return super().get_queryset().prefetch_related("payment__lines__fee_item")

    @extend_schema(request=ReasonSerializer, responses=ReceiptSerializer)
    @action(detail=True, methods=["post"])
    def void(self, request: Request, pk: str) -> Response:
        """Void a receipt of the caller's open day (作废), with the reason."""
        receipt = self.get_object()
        body = ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.void_receipt(
            receipt=receipt, reason=body.validated_data["reason"], by=request_user(request)
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=receipt.pk)).data)


class SessionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, CashierViewSet
):
    serializer_class = SessionSerializer
    filterset_class = filters.SessionFilter
    view_perm = "cashier.view_cashiersession"
    related = ("cashier", "closed_by")

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "with_totals": self.action != "list"}

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.open_session(
            community=serializer.validated_data["community"],
            float_amount=serializer.validated_data["float_amount"],
            by=request_user(self.request),
        )

    def _moved(self, session: CashierSession) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=session.pk)).data)

    @extend_schema(request=CountSerializer, responses=SessionSerializer)
    @action(detail=True, methods=["post"])
    def count(self, request: Request, pk: str) -> Response:
        """The cashier's count by denomination (keys: "100", "50", ..., "0.1"); over or short
        needs an explanation."""
        session = self.get_object()
        body = CountSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.count_session(
            session=session,
            denominations=body.validated_data["denominations"],
            explanation=body.validated_data.get("explanation", ""),
            by=request_user(request),
        )
        return self._moved(session)

    @extend_schema(request=NoteSerializer, responses=SessionSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        """Finance closes a counted day (not its own cashier)."""
        session = self.get_object()
        body = NoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.close_session(
            session=session, note=body.validated_data.get("note", ""), by=request_user(request)
        )
        return self._moved(session)

    @extend_schema(request=ReasonSerializer, responses=SessionSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def send_back(self, request: Request, pk: str) -> Response:
        """Finance sends a counted day back to the cashier to recount, with the reason."""
        session = self.get_object()
        body = ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.return_session(
            session=session, reason=body.validated_data["reason"], by=request_user(request)
        )
        return self._moved(session)


# --- Deposits ------------------------------------------------------------------------------


class DeductionSerializer(serializers.Serializer):
    item = serializers.CharField(max_length=100)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)


class DepositSerializer(serializers.ModelSerializer):
    room_code = serializers.CharField(source="unit.room_code", read_only=True)
    amount, deduction_total, refund_amount = _money(), _money(), _money()
    receipt = ReceiptRefSerializer(source="payment.receipt", read_only=True)
    deductions = serializers.SerializerMethodField()

    class Meta:
        model = Deposit
        fields = ["id", "community", "unit", "room_code", "kind", "purpose", "source_ref"]
        fields += ["payer", "payer_name", "amount", "status", "receipt", "deduction_total"]
        fields += ["deductions", "requested_by", "settle_note", "refund_amount", "refund_method"]
        fields += ["refund_reference", "refunded_by", "refunded_at", "created_at"]
        read_only_fields = fields

    def get_deductions(self, deposit: Deposit) -> list[dict[str, str]]:
        return [
            {"item": line.item, "amount": str(line.amount)} for line in deposit.deductions.all()
        ]


class DepositRequestSerializer(ScopedSerializerMixin, serializers.Serializer):
    """A deposit to receive: the unit decides the community; the payer must be of it."""

    scope_fields = ("unit",)
    movable_fields = ("payer",)
    scope_perm = "cashier.add_deposit"

    unit = VisibleCommunityField(queryset=Unit.objects.all())
    kind = serializers.ChoiceField(choices=DepositKind.choices)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    method = serializers.ChoiceField(choices=PaymentMethod.choices)
    reference = serializers.CharField(max_length=64, required=False, allow_blank=True)
    payer = VisibleCommunityField(queryset=Person.objects.all(), required=False, allow_null=True)
    payer_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    purpose = serializers.CharField(max_length=200, required=False, allow_blank=True)
    source_ref = serializers.CharField(max_length=60, required=False, allow_blank=True)


class SettlementSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500)
    deductions = serializers.ListField(child=DeductionSerializer(), required=False, max_length=20)


class DepositDecisionSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True)
    reference = serializers.CharField(max_length=60, required=False, allow_blank=True)


class PayOutSerializer(serializers.Serializer):
    receipt_number = serializers.CharField(max_length=30)
    method = serializers.ChoiceField(choices=PaymentMethod.choices)
    reference = serializers.CharField(max_length=64, required=False, allow_blank=True)


class DepositViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CashierViewSet):
    """The deposit register: list (DepositFilter), one deposit, receive one (the same
    `Idempotency-Key` returns the first), ask for its settlement, decide it, pay it out."""

    serializer_class = DepositSerializer
    filterset_class = filters.DepositFilter
    view_perm = "cashier.view_deposit"
    related = ("unit", "payment__receipt")
    prefetch = ("deductions",)

    def _answer(self, deposit: Deposit, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=deposit.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    @extend_schema(
        request=DepositRequestSerializer,
        responses={201: DepositSerializer},
        parameters=[OpenApiParameter(KEY_HEADER, str, OpenApiParameter.HEADER, required=True)],
    )
    def create(self, request: Request) -> Response:
        key = idempotency_key(request)
        body = DepositRequestSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        deposit = services.take_deposit(idempotency_key=key, by=request_user(request), **data)
        return self._answer(deposit, status.HTTP_201_CREATED)

    @extend_schema(request=SettlementSerializer, responses=DepositSerializer)
    def settle(self, request: Request, pk: str) -> Response:
        deposit = self.get_object()
        body = SettlementSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        lines = [(d["item"], d["amount"]) for d in body.validated_data.get("deductions", [])]
        services.request_settlement(
            deposit=deposit,
            deductions=lines,
            note=body.validated_data["note"],
            by=request_user(request),
        )
        return self._answer(deposit)

    @extend_schema(request=DepositDecisionSerializer, responses=DepositSerializer)
    def decide(self, request: Request, pk: str) -> Response:
        deposit = self.get_object()
        body = DepositDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.decide_settlement(deposit=deposit, by=request_user(request), **body.validated_data)
        return self._answer(deposit)

    @extend_schema(request=PayOutSerializer, responses=DepositSerializer)
    def pay_out(self, request: Request, pk: str) -> Response:
        deposit = self.get_object()
        body = PayOutSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.pay_out(deposit=deposit, by=request_user(request), **body.validated_data)
        return self._answer(deposit)


# --- Dunning (催缴) ---------------------------------------------------------------------------


def zone_limited(user: Any, rows: Any, path: str) -> Any:
    """Rows of the communities where the caller is an area manager bound to zones keep only
    their zones' units (spec §26 rule 3); `path` leads from the row to the unit."""
    from guanjia.core.access import get_access
    from guanjia.estates.selectors.access import is_zone_bound, managed_zone_ids

    access = get_access(user)
    for community in Community.objects.filter(pk__in=list(access.roles_by_community)):
        if is_zone_bound(user, community):
            zones = managed_zone_ids(user, community)
            rows = rows.exclude(
                Q(community=community) & ~Q(**{f"{path}__building__zone_id__in": zones})
            )
    return rows


class StepSerializer(serializers.ModelSerializer):
    by_name = serializers.CharField(source="by.display_name", read_only=True)

    class Meta:
        model = DunningStep
        fields = ["id", "stage", "done_on", "method", "contact", "answer", "by", "by_name"]
        read_only_fields = fields


class PromiseSerializer(serializers.ModelSerializer):
    amount = _money()

    class Meta:
        model = PaymentPromise
        fields = ["id", "made_on", "pay_by", "amount", "note", "by"]
        read_only_fields = fields


class InstalmentLineSerializer(serializers.Serializer):
    due_on = serializers.DateField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)


class CaseSerializer(serializers.ModelSerializer):
    room_code = serializers.CharField(source="unit.room_code", read_only=True)
    opened_amount = _money()

    class Meta:
        model = ArrearsCase
        fields = ["id", "community", "unit", "room_code", "status", "opened_amount"]
        fields += ["opened_reason", "deadline", "disputed", "dispute_ref", "dispute_note"]
        fields += ["legal_ref", "closed_on", "closed_note", "created_at"]
        read_only_fields = fields


class CaseDetailSerializer(CaseSerializer):
    steps = StepSerializer(many=True, read_only=True)
    promises = serializers.SerializerMethodField()
    plan = serializers.SerializerMethodField()
    notices: Any = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta(CaseSerializer.Meta):
        fields = [*CaseSerializer.Meta.fields, "steps", "promises", "plan", "notices"]
        read_only_fields = fields

    def get_promises(self, case: ArrearsCase) -> list[dict[str, Any]]:
        today = timezone.localdate()
        return [
            {
                **PromiseSerializer(s.promise).data,
                "paid": str(s.paid),
                "state": s.state,
            }
            for s in promise_states(case, today)
        ]

    def get_plan(self, case: ArrearsCase) -> dict[str, Any] | None:
        plan = InstalmentPlan.objects.filter(case=case).select_related("case").first()
        if plan is None:
            return None
        progress = plan_progress(plan, timezone.localdate())
        return {
            "starts_on": plan.starts_on.isoformat(),
            "total": str(plan.total),
            "paid": str(progress.paid),
            "percent": progress.percent,
            "note": plan.note,
            "instalments": [
                {
                    "position": line.position,
                    "due_on": line.due_on.isoformat(),
                    "amount": str(line.amount),
                    "paid": str(line.paid),
                    "state": line.state,
                }
                for line in progress.lines
            ],
        }


class CaseOpenSerializer(ScopedSerializerMixin, serializers.Serializer):
    scope_fields = ("unit",)
    scope_perm = "cashier.add_arrearscase"

    unit = VisibleCommunityField(queryset=Unit.objects.all())
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True)


class StepRequestSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=CaseStage.choices)
    method = serializers.ChoiceField(choices=StepMethod.choices)
    done_on = serializers.DateField()
    contact = serializers.CharField(max_length=100, required=False, allow_blank=True)
    answer = serializers.CharField(max_length=500, required=False, allow_blank=True)
    legal_ref = serializers.CharField(max_length=100, required=False, allow_blank=True)


class PromiseRequestSerializer(serializers.Serializer):
    pay_by = serializers.DateField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)


class DisputeSerializer(serializers.Serializer):
    complaint_ref = serializers.CharField(max_length=60)
    note = serializers.CharField(max_length=500)


class PlanRequestSerializer(serializers.Serializer):
    instalments = serializers.ListField(
        child=InstalmentLineSerializer(), min_length=1, max_length=60
    )
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class CloseRequestSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=[CaseStage.SETTLED, CaseStage.WRITTEN_OFF])
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class CaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CashierViewSet):
    """Arrears cases (CaseFilter): open one for a unit that owes, record a step of the ladder,
    a promise to pay, a dispute (the case pauses) and its clearing, an instalment plan (the
    supervisor or director), close it (settled, written off)."""

    serializer_class = CaseSerializer
    filterset_class = filters.CaseFilter
    view_perm = "cashier.view_arrearscase"
    related = ("unit__building__zone", "community")

    def get_queryset(self) -> Any:
        return zone_limited(self.request.user, super().get_queryset(), "unit")

    def get_serializer_class(self) -> Any:
        return CaseDetailSerializer if self.action != "list" else CaseSerializer

    def _answer(self, case: ArrearsCase, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=case.pk)
        return Response(CaseDetailSerializer(fresh).data, status=code)

    @extend_schema(request=CaseOpenSerializer, responses={201: CaseDetailSerializer})
    def create(self, request: Request) -> Response:
        body = CaseOpenSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        case = services.open_case(by=request_user(request), **body.validated_data)
        return self._answer(case, status.HTTP_201_CREATED)

    @extend_schema(request=StepRequestSerializer, responses={201: CaseDetailSerializer})
    def step(self, request: Request, pk: str) -> Response:
        case = self.action_object("cashier.change_arrearscase")
        body = StepRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.record_step(case=case, by=request_user(request), **body.validated_data)
        return self._answer(case, status.HTTP_201_CREATED)

    @extend_schema(request=PromiseRequestSerializer, responses={201: CaseDetailSerializer})
    def promise(self, request: Request, pk: str) -> Response:
        case = self.action_object("cashier.change_arrearscase")
        body = PromiseRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.add_promise(case=case, by=request_user(request), **body.validated_data)
        return self._answer(case, status.HTTP_201_CREATED)

    @extend_schema(request=DisputeSerializer, responses=CaseDetailSerializer)
    def dispute(self, request: Request, pk: str) -> Response:
        case = self.action_object("cashier.change_arrearscase")
        body = DisputeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.flag_dispute(case=case, by=request_user(request), **body.validated_data)
        return self._answer(case)

    @extend_schema(request=NoteSerializer, responses=CaseDetailSerializer)
    def clear_dispute(self, request: Request, pk: str) -> Response:
        case = self.action_object("cashier.change_arrearscase")
        body = NoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.clear_dispute(
            case=case, note=body.validated_data.get("note", ""), by=request_user(request)
        )
        return self._answer(case)

    @extend_schema(request=PlanRequestSerializer, responses={201: CaseDetailSerializer})
    def plan(self, request: Request, pk: str) -> Response:
        case = self.action_object("cashier.approve_instalment_plan")
        body = PlanRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        schedule = [(line["due_on"], line["amount"]) for line in body.validated_data["instalments"]]
        services.set_instalment_plan(
            case=case,
            schedule=schedule,
            note=body.validated_data.get("note", ""),
            by=request_user(request),
        )
        return self._answer(case, status.HTTP_201_CREATED)

    @extend_schema(request=CloseRequestSerializer, responses=CaseDetailSerializer)
    def close(self, request: Request, pk: str) -> Response:
        case = self.get_object()
        body = CloseRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.close_case(case=case, by=request_user(request), **body.validated_data)
        return self._answer(case)


class DunningNoticeSerializer(serializers.ModelSerializer):
    room_code = serializers.CharField(source="unit.room_code", read_only=True)
    principal, late_fee, prepaid = _money(), _money(), _money()
    print_url = serializers.SerializerMethodField()

    class Meta:
        model = DunningNotice
        fields = ["id", "community", "unit", "room_code", "case", "kind", "month", "issued_on"]
        fields += ["deadline", "owner_name", "principal", "late_fee", "late_fee_rate", "prepaid"]
        fields += ["lines", "signed_by", "signed_on", "print_url"]
        read_only_fields = fields

    def get_print_url(self, notice: DunningNotice) -> str:
        return reverse("cashier:notice-print", args=[notice.pk]) + "?format=pdf"


class DunningNoticeRequestSerializer(ScopedSerializerMixin, serializers.Serializer):
    scope_fields = ("unit",)
    scope_perm = "cashier.change_arrearscase"

    unit = VisibleCommunityField(queryset=Unit.objects.all())
    kind = serializers.ChoiceField(choices=NoticeKind.choices)


class SignRequestSerializer(serializers.Serializer):
    signed_by = serializers.CharField(max_length=100)
    signed_on = serializers.DateField()


class PrintRequestSerializer(ScopedSerializerMixin, serializers.Serializer):
    scope_fields = ("building",)
    scope_perm = "cashier.view_arrearscase"

    building = VisibleCommunityField(queryset=Building.objects.all())
    kind = serializers.ChoiceField(choices=NoticeKind.choices)
    month = serializers.RegexField(r"^\d{4}-(0[1-9]|1[0-2])$", max_length=7)


class JobAnswerSerializer(serializers.Serializer):
    job = serializers.IntegerField()
    url = serializers.CharField()


class DunningNoticeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CashierViewSet):
    """Dunning notices (NoticeFilter): prepare one for a unit, record who signed for it, print
    a building's notices of a month as one PDF (a background job: 202 with the job)."""

    serializer_class = DunningNoticeSerializer
    filterset_class = filters.NoticeFilter
    view_perm = "cashier.view_arrearscase"
    related = ("unit__building", "community")

    def get_queryset(self) -> Any:
        return zone_limited(self.request.user, super().get_queryset(), "unit")

    @extend_schema(request=DunningNoticeRequestSerializer, responses={201: DunningNoticeSerializer})
    def create(self, request: Request) -> Response:
        body = DunningNoticeRequestSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        notice = services.prepare_notice(by=request_user(request), **body.validated_data)
        return Response(
            DunningNoticeSerializer(self.get_queryset().get(pk=notice.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=SignRequestSerializer, responses=DunningNoticeSerializer)
    def sign(self, request: Request, pk: str) -> Response:
        notice = self.action_object("cashier.change_arrearscase")
        body = SignRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.record_signature(notice=notice, by=request_user(request), **body.validated_data)
        return Response(DunningNoticeSerializer(self.get_queryset().get(pk=notice.pk)).data)

    @extend_schema(request=PrintRequestSerializer, responses={202: JobAnswerSerializer})
    def print_batch(self, request: Request) -> Response:
        import datetime as dt

        from .services.notices import start_notice_print

        body = PrintRequestSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        year, month = body.validated_data["month"].split("-")
        run = start_notice_print(
            building=body.validated_data["building"],
            kind=body.validated_data["kind"],
            month=dt.date(int(year), int(month), 1),
            by=request_user(request),
        )
        return Response(
            {"job": run.pk, "url": f"/api/v1/jobs/{run.pk}/"}, status=status.HTTP_202_ACCEPTED
        )


router = SimpleRouter()
router.register("payments", PaymentViewSet, basename="payment")
router.register("receipts", ReceiptViewSet, basename="receipt")
router.register("sessions", SessionViewSet, basename="session")

app_name = "cashier-api"
urlpatterns = [
    path(
        "payments/<int:pk>/reverse/",
        PaymentReversalViewSet.as_view({"post": "ask"}),
        name="payment-reverse",
    ),
    path("reversals/", PaymentReversalViewSet.as_view({"get": "list"}), name="reversal-list"),
    path(
        "reversals/<int:pk>/",
        PaymentReversalViewSet.as_view({"get": "retrieve"}),
        name="reversal-detail",
    ),
    path(
        "reversals/<int:pk>/decide/",
        PaymentReversalViewSet.as_view({"post": "decide"}),
        name="reversal-decide",
    ),
    path(
        "deposits/",
        DepositViewSet.as_view({"get": "list", "post": "create"}),
        name="deposit-list",
    ),
    path("deposits/<int:pk>/", DepositViewSet.as_view({"get": "retrieve"}), name="deposit-detail"),
    path(
        "deposits/<int:pk>/settle/",
        DepositViewSet.as_view({"post": "settle"}),
        name="deposit-settle",
    ),
    path(
        "deposits/<int:pk>/decide/",
        DepositViewSet.as_view({"post": "decide"}),
        name="deposit-decide",
    ),
    path(
        "deposits/<int:pk>/pay-out/",
        DepositViewSet.as_view({"post": "pay_out"}),
        name="deposit-pay-out",
    ),
    path("cases/", CaseViewSet.as_view({"get": "list", "post": "create"}), name="case-list"),
    path("cases/<int:pk>/", CaseViewSet.as_view({"get": "retrieve"}), name="case-detail"),
    path("cases/<int:pk>/steps/", CaseViewSet.as_view({"post": "step"}), name="case-step"),
    path("cases/<int:pk>/promises/", CaseViewSet.as_view({"post": "promise"}), name="case-promise"),
    path("cases/<int:pk>/dispute/", CaseViewSet.as_view({"post": "dispute"}), name="case-dispute"),
    path(
        "cases/<int:pk>/dispute/clear/",
        CaseViewSet.as_view({"post": "clear_dispute"}),
        name="case-clear-dispute",
    ),
    path("cases/<int:pk>/plan/", CaseViewSet.as_view({"post": "plan"}), name="case-plan"),
    path("cases/<int:pk>/close/", CaseViewSet.as_view({"post": "close"}), name="case-close"),
    path(
        "notices/",
        DunningNoticeViewSet.as_view({"get": "list", "post": "create"}),
        name="notice-list",
    ),
    path(
        "notices/print/", DunningNoticeViewSet.as_view({"post": "print_batch"}), name="notice-print"
    ),
    path(
        "notices/<int:pk>/", DunningNoticeViewSet.as_view({"get": "retrieve"}), name="notice-detail"
    ),
    path(
        "notices/<int:pk>/sign/", DunningNoticeViewSet.as_view({"post": "sign"}), name="notice-sign"
    ),
    *router.urls,
]

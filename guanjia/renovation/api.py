"""The renovation API (/api/v1/renovation/): contractors and their bans, renovations with
every move of §16 (the same services as the pages: ValidationError -> 400, authority -> 403,
another community's row -> 404)."""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from guanjia.core.access import User
from guanjia.core.api import (
    UPLOAD_PARSERS,
    CommunityViewSet,
    ScopedSerializerMixin,
    ServiceSaveMixin,
    VisibleCommunityField,
)
from guanjia.core.files.api import FileUrlField
from guanjia.core.models import Community
from guanjia.estates.models import Unit

from . import services
from .filters import ContractorFilter, RenovationFilter
from .models import (
    Contractor,
    ContractorBan,
    Deduction,
    DepositRefund,
    Plan,
    Renovation,
    ScopeLine,
    Worker,
)

VIEW = "renovation.view_renovation"
APPLY = "renovation.add_renovation"


def _user(request: Request) -> User:
    return cast(User, request.user)


class ContractorSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    community = VisibleCommunityField(queryset=Community.objects.all())

    class Meta:
        model = Contractor
        fields = [
            "id",
            "community",
            "name",
            "licence_no",
            "qualification",
            "person_in_charge",
            "phone",
            "fire_safety_person",
        ]
        validators: list[Any] = []  # the service checks the licence no.


class BanSerializer(serializers.ModelSerializer):
    class Meta:
        model = ContractorBan
        fields = ["id", "contractor", "reason", "starts_on", "until", "by", "source", "lifted_at"]
        read_only_fields = fields


class BanBodySerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, allow_blank=True)
    until = serializers.DateField(required=False, allow_null=True)


class ContractorViewSet(
    ServiceSaveMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    CommunityViewSet,
):
    model = Contractor
    view_perm = "renovation.view_contractor"
    serializer_class = ContractorSerializer
    filterset_class = ContractorFilter
    http_method_names = ["get", "post", "put", "patch"]

    def save(self, obj: Any) -> Any:
        return services.save_contractor(contractor=obj, by=_user(self.request))

    @extend_schema(request=BanBodySerializer, responses=BanSerializer)
    @action(detail=True, methods=["post"])
    def ban(self, request: Request, pk: str) -> Response:
        """Put the contractor on the banned list."""
        contractor = self.get_object()
        body = BanBodySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        ban = services.ban_contractor(
            contractor=contractor,
            reason=body.validated_data["reason"],
            until=body.validated_data.get("until"),
            by=_user(request),
            source="api",
        )
        return Response(BanSerializer(ban).data)


class ScopeLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = ScopeLine
        fields = ["item", "description"]
        read_only_fields = fields


class PlanSerializer(serializers.ModelSerializer):
    file = FileUrlField()

    class Meta:
        model = Plan
        fields = ["id", "kind", "original_name", "file"]
        read_only_fields = fields


class WorkerSerializer(serializers.ModelSerializer):
    photo = FileUrlField()
    id_number = serializers.SerializerMethodField()

    class Meta:
        model = Worker
        fields = ["id", "name", "id_number", "phone", "photo"]
        read_only_fields = fields

    def get_id_number(self, worker: Worker) -> str:
        number = worker.id_number
        return f"{number[:6]}********{number[14:]}"


class DeductionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Deduction
        fields = ["item", "amount", "reason"]
        read_only_fields = fields


class RefundSerializer(serializers.ModelSerializer):
    deductions = DeductionSerializer(many=True, read_only=True)

    class Meta:
        model = DepositRefund
        fields = [
            "id",
            "status",
            "held_contractor",
            "held_owner",
            "deducted",
            "refund_contractor",
            "refund_owner",
            "shortfall",
            "amount",
            "payee",
            "requested_by",
            "decided_by",
            "decision",
            "reason",
            "paid_reference",
            "paid_at",
            "deductions",
        ]
        read_only_fields = fields


class RenovationSerializer(serializers.ModelSerializer):
    items = ScopeLineSerializer(many=True, read_only=True)

    class Meta:
        model = Renovation
        fields = [
            "id",
            "community",
            "number",
            "unit",
            "kind",
            "applicant_kind",
            "applicant_name",
            "contractor",
            "planned_start",
            "planned_end",
            "special",
            "status",
            "review_due_on",
            "csc_opinion",
            "engineering_opinion",
            "conditions",
            "permit_issued_on",
            "next_inspection_on",
            "completion_requested_on",
            "acceptance_attempts",
            "initial_accepted_on",
            "refund_due_on",
            "leak_check_on",
            "final_accepted_on",
            "items",
        ]
        read_only_fields = fields


class DetailSerializer(RenovationSerializer):
    plans = PlanSerializer(many=True, read_only=True)
    workers = WorkerSerializer(many=True, read_only=True)
    refund = serializers.SerializerMethodField()

    class Meta(RenovationSerializer.Meta):
        fields = [*RenovationSerializer.Meta.fields, "plans", "workers", "refund"]
        read_only_fields = fields

    def get_refund(self, reno: Renovation) -> Any:
        refund = DepositRefund.objects.filter(renovation=reno).first()
        return RefundSerializer(refund).data if refund else None


class ApplySerializer(ScopedSerializerMixin, serializers.Serializer):
    """The application; the service checks the rest (banned contractor, dates, consent)."""

    scope_fields = ("community",)
    movable_fields = ("unit", "contractor")
    scope_perm = "renovation.add_renovation"
    community = VisibleCommunityField(queryset=Community.objects.all())
    unit = VisibleCommunityField(queryset=Unit.objects.all())
    contractor = VisibleCommunityField(queryset=Contractor.objects.all())
    kind = serializers.CharField(max_length=10, required=False, default="full")
    applicant_kind = serializers.CharField(max_length=10)
    applicant_name = serializers.CharField(max_length=50, allow_blank=True)
    applicant_phone = serializers.CharField(max_length=30, allow_blank=True)
    owner_consent = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    planned_start = serializers.DateField()
    planned_end = serializers.DateField()
    items = serializers.DictField(child=serializers.CharField(max_length=500, allow_blank=True))


class NoteBody(serializers.Serializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class OpinionBody(serializers.Serializer):
    opinion = serializers.CharField(max_length=2000, allow_blank=True)
    engineering = serializers.BooleanField(default=False)


class PlanBody(serializers.Serializer):
    kind = serializers.CharField(max_length=12)
    file = serializers.FileField()


class WorkerBody(serializers.Serializer):
    name = serializers.CharField(max_length=50, allow_blank=True)
    id_number = serializers.CharField(max_length=30, allow_blank=True)
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    photo = serializers.FileField(required=False, allow_null=True, default=None)


class InspectionBody(serializers.Serializer):
    outcome = serializers.CharField(max_length=10)
    breaches = serializers.ListField(
        child=serializers.CharField(max_length=20), required=False, default=list
    )
    instruction = serializers.CharField(
        max_length=500, required=False, allow_blank=True, default=""
    )
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    photos = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class ExtendBody(serializers.Serializer):
    new_end = serializers.DateField()
    reason = serializers.CharField(max_length=500, allow_blank=True)


class AcceptBody(serializers.Serializer):
    checks = serializers.DictField(child=serializers.BooleanField())
    defects = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class DeductionBody(serializers.Serializer):
    item = serializers.CharField(max_length=100, allow_blank=True)
    amount = serializers.CharField(max_length=30)
    reason = serializers.CharField(max_length=500, allow_blank=True)


class RefundBody(serializers.Serializer):
    payee = serializers.CharField(max_length=100, allow_blank=True)
    deductions = DeductionBody(many=True, required=False, default=list)


class DecideBody(serializers.Serializer):
    approve = serializers.BooleanField()
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class PayBody(serializers.Serializer):
    reference = serializers.CharField(max_length=60, allow_blank=True)


class RenovationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CommunityViewSet):
    model = Renovation
    view_perm = VIEW
    serializer_class = RenovationSerializer
    filterset_class = RenovationFilter
    related = ("unit", "contractor")
    prefetch = ("items",)
    parser_classes = UPLOAD_PARSERS

    def get_serializer_class(self) -> Any:
        if self.action == "retrieve":
            return DetailSerializer
        if self.action == "create":
            return ApplySerializer
        return RenovationSerializer

    def _body(self, serializer_class: type[serializers.Serializer]) -> dict[str, Any]:
        body = serializer_class(data=self.request.data, context={"request": self.request})
        body.is_valid(raise_exception=True)
        return dict(body.validated_data)

    def _answer(self, reno: Renovation, status: int = 200) -> Response:
        reno.refresh_from_db()
        return Response(
            DetailSerializer(reno, context={"request": self.request}).data, status=status
        )

    def _row(self) -> Renovation:
        return cast(Renovation, self.get_object())

    @extend_schema(request=ApplySerializer, responses=DetailSerializer)
    def create(self, request: Request) -> Response:
        """Apply (the owner, or a tenant with the owner's consent)."""
        body = self._body(ApplySerializer)
        community = body.pop("community")
        reno = services.apply(
            community=community, application=services.Application(**body), by=_user(request)
        )
        return self._answer(reno, status=201)

    def _move(
        self, serializer_class: type[serializers.Serializer], act: Any, perm: str = VIEW
    ) -> Response:
        reno = cast(Renovation, self.action_object(perm))
        act(reno, self._body(serializer_class), _user(self.request))
        return self._answer(reno)

    @extend_schema(request=PlanBody, responses=DetailSerializer)
    @action(detail=True, methods=["post"])
    def plans(self, request: Request, pk: str) -> Response:
        """Attach a plan or supporting document (multipart)."""
        return self._move(
            PlanBody,
            lambda r, b, by: services.add_plan(
                renovation=r, kind=b["kind"], upload=b["file"], by=by
            ),
            APPLY,
        )

    @extend_schema(request=WorkerBody, responses=DetailSerializer)
    @action(detail=True, methods=["post"])
    def workers(self, request: Request, pk: str) -> Response:
        """Add a worker (multipart, with the photo)."""
        return self._move(
            WorkerBody, lambda r, b, by: services.add_worker(renovation=r, by=by, **b), APPLY
        )

    @extend_schema(request=NoteBody, responses=DetailSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        return self._move(
            NoteBody, lambda r, b, by: services.submit_for_review(renovation=r, by=by)
        )

    @extend_schema(request=OpinionBody, responses=DetailSerializer)
    @action(detail=True, methods=["post"])
    def opinion(self, request: Request, pk: str) -> Response:
        return self._move(
            OpinionBody, lambda r, b, by: services.give_opinion(renovation=r, by=by, **b)
        )

    @extend_schema(request=NoteBody, responses=DetailSerializer)
    @action(detail=True, methods=["post"])
    def changes(self, request: Request, pk: str) -> Response:
        return self._move(
            NoteBody, lambda r, b, by: services.request_changes(renovation=r, note=b["note"], by=by)
        )

    @extend_schema(request=NoteBody, responses=DetailSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str) -> Response:
        return self._move(
            NoteBody, lambda r, b, by: services.reject(renovation=r, note=b["note"], by=by)
        )

    @extend_schema(request=NoteBody, responses=DetailSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        return self._move(
            NoteBody, lambda r, b, by: services.approve(renovation=r, conditions=b["note"], by=by)
        )

    @extend_schema(request=NoteBody, responses=DetailSerializer)
    @action(detail=True, methods=["post"])
    def permit(self, request: Request, pk: str) -> Response:
        """Issue the permit: refused while fees are owed."""
        return self._move(NoteBody, lambda r, b, by: services.issue_permit(renovation=r, by=by))

    @extend_schema(request=NoteBody, responses=DetailSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request: Request, pk: str) -> Response:
        return self._move(NoteBody, lambda r, b, by: services.start_work(renovation=r, by=by))

    @extend_schema(request=InspectionBody, responses=DetailSerializer)
    @action(detail=True, methods=["post"])
    def inspect(self, request: Request, pk: str) -> Response:
        return self._move(
            InspectionBody, lambda r, b, by: services.record_inspection(renovation=r, by=by, **b)
        )

    @extend_schema(request=NoteBody, responses=DetailSerializer)
    @action(detail=True, methods=["post"])
    def suspend(self, request: Request, pk: str) -> Response:
        return self._move(
            NoteBody, lambda r, b, by: services.suspend(renovation=r, reason=b["note"], by=by)
        )

    @extend_schema(request=NoteBody, responses=DetailSerializer)
    @action(detail=True, methods=["post"])
    def resume(self, request: Request, pk: str) -> Response:
        return self._move(
            NoteBody, lambda r, b, by: services.resume(renovation=r, note=b["note"], by=by)
        )

    @extend_schema(request=ExtendBody, responses=DetailSerializer)
    @action(detail=True, methods=["post"])
    def extend(self, request: Request, pk: str) -> Response:
        return self._move(ExtendBody, lambda r, b, by: services.extend(renovation=r, by=by, **b))

    @extend_schema(request=NoteBody, responses=DetailSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str) -> Response:
        return self._move(
            NoteBody, lambda r, b, by: services.request_completion(renovation=r, by=by)
        )

    @extend_schema(request=AcceptBody, responses=DetailSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str) -> Response:
        return self._move(
            AcceptBody, lambda r, b, by: services.accept_initial(renovation=r, by=by, **b)
        )

    @extend_schema(request=NoteBody, responses=DetailSerializer)
    @action(detail=True, methods=["post"], url_path="accept-final")
    def accept_final(self, request: Request, pk: str) -> Response:
        return self._move(
            NoteBody, lambda r, b, by: services.accept_final(renovation=r, note=b["note"], by=by)
        )

    @extend_schema(request=RefundBody, responses=DetailSerializer)
    @action(detail=True, methods=["post"])
    def refund(self, request: Request, pk: str) -> Response:
        """Request the deposit refund with the deductions itemised."""

        def act(r: Renovation, b: dict[str, Any], by: User) -> Any:
            lines = [services.DeductionLine(**dict(line)) for line in b["deductions"]]
            return services.request_refund(renovation=r, payee=b["payee"], deductions=lines, by=by)

        return self._move(RefundBody, act)

    def _refund(self, reno: Renovation) -> DepositRefund:
        refund = DepositRefund.objects.filter(renovation=reno).first()
        if refund is None:
            raise ValidationError(_("No refund is requested."), code="no_refund")
        return refund

    @extend_schema(request=DecideBody, responses=DetailSerializer)
    @action(detail=True, methods=["post"], url_path="refund/decide")
    def refund_decide(self, request: Request, pk: str) -> Response:
        return self._move(
            DecideBody, lambda r, b, by: services.decide_refund(refund=self._refund(r), by=by, **b)
        )

    @extend_schema(request=PayBody, responses=DetailSerializer)
    @action(detail=True, methods=["post"], url_path="refund/pay")
    def refund_pay(self, request: Request, pk: str) -> Response:
        return self._move(
            PayBody,
            lambda r, b, by: services.pay_refund(
                refund=self._refund(r), reference=b["reference"], by=by
            ),
        )


router = SimpleRouter()
router.register("contractors", ContractorViewSet, basename="contractor")
router.register("renovations", RenovationViewSet, basename="renovation")

app_name = "renovation-api"
urlpatterns = [*router.urls]

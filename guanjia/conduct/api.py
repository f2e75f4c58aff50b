"""The conduct API (/api/v1/conduct/): the company's standards and levels, spot checks (open,
submit the items, sign or refuse), rewards and penalties (propose, each step of the workflow)
and "generate proposals now". Reads: managers see their communities' rows, every employee
their own; writes call the same services as the pages (ValidationError → 400, authority →
403, another community's row → 404)."""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import api_view
from rest_framework.exceptions import NotFound
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from guanjia.core.access import User, get_access, get_visible_or_404
from guanjia.core.api import CommunityViewSet
from guanjia.core.models import Community

from . import services
from .filters import CheckFilter, RecordFilter
from .models import (
    CHECKED_KINDS,
    ConductRecord,
    RecordLevel,
    SpotCheck,
    SpotCheckItem,
    StandardItem,
)
from .services import Evidence, ItemResult
from .views import RECORD_FORMS, _perform

OWN = "conduct.view_own_records"
BIGGEST = 2**63 - 1  # a key the database can hold


def _user(request: Request) -> User:
    return cast(User, request.user)


class ManagerOrOwn(BasePermission):
    """A manager's permission somewhere, or the own-records one (the rows then narrow)."""

    def has_permission(self, request: Any, view: Any) -> bool:
        access = get_access(request.user)
        return access.has_perm(view.view_perm, None) or access.has_perm(OWN, None)


class ConductStandardSerializer(serializers.ModelSerializer):
    class Meta:
        model = StandardItem
        fields = ["id", "kind", "text", "instead", "position", "is_active"]
        read_only_fields = fields


class LevelSerializer(serializers.ModelSerializer):
    class Meta:
        model = RecordLevel
        fields = [
            "id",
            "code",
            "kind",
            "name",
            "points",
            "authority",
            "lapses",
            "converts_after",
            "converts_to",
            "default_for",
        ]
        read_only_fields = fields


@extend_schema(responses=ConductStandardSerializer(many=True))
@api_view(["GET"])
def standards_view(request: Request) -> Response:
    """The reference lists of the caller's company."""
    company = _company(request)
    rows = StandardItem.objects.filter(company_id=company, is_active=True)
    return Response(
        ConductStandardSerializer(rows.order_by("kind", "position", "pk"), many=True).data
    )


@extend_schema(responses=LevelSerializer(many=True))
@api_view(["GET"])
def levels_view(request: Request) -> Response:
    """The caller's company's levels and points."""
    rows = RecordLevel.objects.filter(company_id=_company(request)).order_by("kind", "position")
    return Response(LevelSerializer(rows, many=True).data)


def _company(request: Request) -> int:
    company_id = getattr(request.user, "company_id", None)
    if not company_id or not get_access(request.user).has_perm("conduct.view_standarditem", None):
        raise PermissionDenied
    return int(company_id)


class ItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = SpotCheckItem
        fields = ["id", "kind", "text", "position", "result", "note"]
        read_only_fields = fields


class CheckSerializer(serializers.ModelSerializer):
    items = ItemSerializer(many=True, read_only=True)

    class Meta:
        model = SpotCheck
        fields = [
            "id",
            "community",
            "number",
            "cadence",
            "employee",
            "inspector",
            "post",
            "status",
            "failures",
            "submitted_at",
            "signed_at",
            "statement",
            "refusal_noted_by",
            "items",
        ]
        read_only_fields = fields


class OpenCheckSerializer(serializers.Serializer):
    community = serializers.IntegerField(min_value=1, max_value=BIGGEST)
    employee = serializers.IntegerField(min_value=1, max_value=BIGGEST)
    cadence = serializers.CharField(max_length=10)
    kinds = serializers.ListField(
        child=serializers.CharField(max_length=20), required=False, max_length=10
    )
    post = serializers.CharField(max_length=50, required=False, allow_blank=True)


class ItemResultSerializer(serializers.Serializer):
    id = serializers.IntegerField(min_value=1, max_value=BIGGEST)
    result = serializers.CharField(max_length=4)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class SubmitSerializer(serializers.Serializer):
    items = ItemResultSerializer(many=True)
    propose_level = serializers.IntegerField(
        min_value=1, max_value=BIGGEST, required=False, allow_null=True
    )
    facts = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class ConductStatementSerializer(serializers.Serializer):
    statement = serializers.CharField(max_length=1000, required=False, allow_blank=True)


def _body(serializer_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:
    body = serializer_class(data=data)
    body.is_valid(raise_exception=True)
    return dict(body.validated_data)


def _staff(pk: int) -> User:
    found = get_user_model().objects.filter(pk=pk).first()
    if found is None:
        raise serializers.ValidationError({"employee": ["No such employee."]})
    return cast(User, found)


def _level(community: Community, pk: int | None, field: str) -> RecordLevel | None:
    if pk is None:
        return None
    level = RecordLevel.objects.filter(company_id=community.company_id, pk=pk).first()
    if level is None:
        raise serializers.ValidationError({field: ["Choose a level of this company."]})
    return level


class CheckViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CommunityViewSet):
    model = SpotCheck
    view_perm = "conduct.view_spotcheck"
    permission_classes = [ManagerOrOwn]
    serializer_class = CheckSerializer
    filterset_class = CheckFilter
    prefetch = ("items",)

    def get_queryset(self) -> Any:
        return (
            SpotCheck.objects.visible_to(self.request.user)
            .prefetch_related("items")
            .order_by("-created_at", "-pk")
        )

    @extend_schema(request=OpenCheckSerializer, responses={201: CheckSerializer})
    def create(self, request: Request) -> Response:
        body = _body(OpenCheckSerializer, request.data)
        community = get_visible_or_404(Community.objects.all(), request.user, pk=body["community"])
        check = services.open_check(
            community=community,
            employee=_staff(body["employee"]),
            cadence=body["cadence"],
            kinds=body.get("kinds") or CHECKED_KINDS,
            post=body.get("post", ""),
            by=_user(request),
        )
        return Response(CheckSerializer(check).data, status=201)

    @extend_schema(request=SubmitSerializer, responses=CheckSerializer)
    def submit(self, request: Request, pk: str) -> Response:
        check = self.get_object()
        body = _body(SubmitSerializer, request.data)
        results = {
            row["id"]: ItemResult(result=row["result"], note=row.get("note", ""))
            for row in body["items"]
        }
        level = _level(check.community, body.get("propose_level"), "propose_level")
        services.submit_check(
            check=check,
            results=results,
            by=_user(request),
            propose_level=level,
            facts=body.get("facts", ""),
        )
        return self._answer(check)

    @extend_schema(request=ConductStatementSerializer, responses=CheckSerializer)
    def acknowledge(self, request: Request, pk: str) -> Response:
        check = self.get_object()
        body = _body(ConductStatementSerializer, request.data)
        services.acknowledge_check(
            check=check, statement=body.get("statement", ""), by=_user(request)
        )
        return self._answer(check)

    @extend_schema(request=ConductStatementSerializer, responses=CheckSerializer)
    def refuse(self, request: Request, pk: str) -> Response:
        check = self.get_object()
        body = _body(ConductStatementSerializer, request.data)
        services.refuse_check(check=check, statement=body.get("statement", ""), by=_user(request))
        return self._answer(check)

    def _answer(self, check: SpotCheck) -> Response:
        fresh = SpotCheck.objects.prefetch_related("items").get(pk=check.pk)
        return Response(CheckSerializer(fresh).data)


class RecordSerializer(serializers.ModelSerializer):
    level_name = serializers.CharField(source="level.name", read_only=True)

    class Meta:
        model = ConductRecord
        fields = [
            "id",
            "community",
            "number",
            "employee",
            "position_held",
            "kind",
            "level",
            "level_name",
            "points",
            "event_date",
            "facts",
            "amount",
            "monthly_pay",
            "over_cap",
            "is_public",
            "source",
            "evidence_ref",
            "evidence_text",
            "complaint",
            "praise",
            "spot_check",
            "proposed_by",
            "status",
            "confirmed_by",
            "signed_by_employee",
            "statement",
            "requested_by",
            "decided_by",
            "decided_at",
            "reason",
            "effective_on",
            "appeal_until",
            "expires_on",
            "appeal_grounds",
            "appeal_decided_by",
            "appeal_result",
            "original_level",
        ]
        read_only_fields = fields


class ProposeSerializer(serializers.Serializer):
    community = serializers.IntegerField(min_value=1, max_value=BIGGEST)
    employee = serializers.IntegerField(min_value=1, max_value=BIGGEST)
    level = serializers.IntegerField(min_value=1, max_value=BIGGEST)
    event_date = serializers.DateField()
    facts = serializers.CharField(max_length=2000)
    source = serializers.CharField(max_length=12, required=False)  # type: ignore[assignment]
    evidence_ref = serializers.CharField(max_length=60, required=False, allow_blank=True)
    evidence_text = serializers.CharField(max_length=500, required=False, allow_blank=True)
    amount = serializers.DecimalField(
        max_digits=9, decimal_places=2, required=False, allow_null=True
    )
    monthly_pay = serializers.DecimalField(
        max_digits=9, decimal_places=2, required=False, allow_null=True
    )
    is_public = serializers.BooleanField(required=False)
    position_held = serializers.CharField(max_length=50, required=False, allow_blank=True)


class StepSerializer(serializers.Serializer):
    """Every step's text fields (the service says which one it needs)."""

    note = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    reason = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    statement = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    grounds = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    outcome = serializers.CharField(max_length=12, required=False, allow_blank=True)
    level = serializers.IntegerField(
        min_value=1, max_value=BIGGEST, required=False, allow_null=True
    )


class RecordViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CommunityViewSet):
    model = ConductRecord
    view_perm = "conduct.view_conductrecord"
    permission_classes = [ManagerOrOwn]
    serializer_class = RecordSerializer
    filterset_class = RecordFilter

    def get_queryset(self) -> Any:
        return (
            ConductRecord.objects.visible_to(self.request.user)
            .select_related("level")
            .order_by("-event_date", "-pk")
        )

    @extend_schema(request=ProposeSerializer, responses={201: RecordSerializer})
    def create(self, request: Request) -> Response:
        body = _body(ProposeSerializer, request.data)
        community = get_visible_or_404(Community.objects.all(), request.user, pk=body["community"])
        level = _level(community, body["level"], "level")
        if level is None:
            raise serializers.ValidationError({"level": ["Choose a level."]})
        record = services.propose_record(
            community=community,
            employee=_staff(body["employee"]),
            level=level,
            facts=body["facts"],
            event_date=body["event_date"],
            evidence=Evidence(
                source=body.get("source") or "manual",
                reference=body.get("evidence_ref", ""),
                text=body.get("evidence_text", ""),
            ),
            amount=body.get("amount"),
            monthly_pay=body.get("monthly_pay"),
            is_public=body.get("is_public", False),
            position_held=body.get("position_held", ""),
            by=_user(request),
        )
        return Response(RecordSerializer(record).data, status=201)

    @extend_schema(
        request=StepSerializer, responses=RecordSerializer, operation_id="v1_conduct_records_step"
    )
    def step(self, request: Request, pk: str, step: str) -> Response:
        """One step: confirm, drop, sign, refusal, approve, reject, appeal, decide."""
        if step not in RECORD_FORMS:
            raise NotFound
        record = self.get_object()
        body = _body(StepSerializer, request.data)
        data = {
            "note": body.get("note", ""),
            "reason": body.get("reason", ""),
            "statement": body.get("statement", ""),
            "grounds": body.get("grounds", ""),
            "outcome": body.get("outcome", ""),
            "level": _level(record.community, body.get("level"), "level"),
        }
        _perform(step, record, data, _user(request))
        return Response(RecordSerializer(ConductRecord.objects.get(pk=record.pk)).data)


class ProposalsGenerateSerializer(serializers.Serializer):
    community = serializers.IntegerField(min_value=1, max_value=BIGGEST)


@extend_schema(request=ProposalsGenerateSerializer, responses={200: dict})
@api_view(["POST"])
def generate_view(request: Request) -> Response:
    """Generate the proposals the registers call for in one community now; counts by source."""
    body = _body(ProposalsGenerateSerializer, request.data)
    community = get_visible_or_404(Community.objects.all(), request.user, pk=body["community"])
    return Response(services.generate_proposals(community=community, by=_user(request)))


app_name = "conduct-api"
urlpatterns = [
    path("standards/", standards_view, name="standards"),
    path("levels/", levels_view, name="levels"),
    path("generate/", generate_view, name="generate"),
    path("checks/", CheckViewSet.as_view({"get": "list", "post": "create"}), name="check-list"),
    path("checks/<int:pk>/", CheckViewSet.as_view({"get": "retrieve"}), name="check-detail"),
    path("checks/<int:pk>/submit/", CheckViewSet.as_view({"post": "submit"}), name="check-submit"),
    path(
        "checks/<int:pk>/acknowledge/",
        CheckViewSet.as_view({"post": "acknowledge"}),
        name="check-acknowledge",
    ),
    path("checks/<int:pk>/refuse/", CheckViewSet.as_view({"post": "refuse"}), name="check-refuse"),
    path("records/", RecordViewSet.as_view({"get": "list", "post": "create"}), name="record-list"),
    path("records/<int:pk>/", RecordViewSet.as_view({"get": "retrieve"}), name="record-detail"),
    path(
        "records/<int:pk>/<slug:step>/", RecordViewSet.as_view({"post": "step"}), name="record-step"
    ),
]

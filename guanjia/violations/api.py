"""The violations API (/api/v1/violations/): the list (the page's filter), one violation with
its notices, measures and photos, recording one (the service other apps call), every step of
the ladder, the appeal, and the types' list. Reads: the communities where the caller holds
violations.view_violation (else 404; nowhere: 403). Writes: the pages' services
(ValidationError -> 400, authority -> 403)."""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from guanjia.core.access import User, request_user
from guanjia.core.api import (
    UPLOAD_PARSERS,
    CommunityViewSet,
    ScopedSerializerMixin,
    VisibleCommunityField,
)
from guanjia.core.files.api import FileUrlField
from guanjia.core.models import Community
from guanjia.estates.models import Unit

from . import services
from .filters import ViolationFilter
from .models import (
    AppealDecision,
    Authority,
    MeasureKind,
    NoticeKind,
    TypeGroup,
    Violation,
    ViolationMeasure,
    ViolationNotice,
    ViolationPhoto,
    ViolationType,
)

WORK = "violations.change_violation"
VIEW = "violations.view_violation"


def _by(request: Request) -> User:
    return request_user(request._request)


def _body(request: Request, serializer_class: Any) -> dict[str, Any]:
    checked = serializer_class(data=request.data, context={"request": request})
    checked.is_valid(raise_exception=True)
    return dict(checked.validated_data)


class ViolationNoticeSerializer(serializers.ModelSerializer):
    signature = FileUrlField()

    class Meta:
        model = ViolationNotice
        fields = [
            "id", "kind", "number", "issued_on", "deadline", "stop_at_once", "demand",
            "served_to", "signature", "refused_to_sign", "refusal_note", "issued_by",
        ]  # fmt: skip
        read_only_fields = fields


class ViolationMeasureSerializer(serializers.ModelSerializer):
    class Meta:
        model = ViolationMeasure
        fields = ["id", "kind", "note", "taken_on", "by"]
        read_only_fields = fields


class ViolationPhotoSerializer(serializers.ModelSerializer):
    image = FileUrlField()

    class Meta:
        model = ViolationPhoto
        fields = ["id", "image", "original_name", "taken_by"]
        read_only_fields = fields


class ViolationSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    """Read: the whole record. Create: the finding (the service checks every rule)."""

    community = VisibleCommunityField(queryset=Community.objects.all())
    unit = VisibleCommunityField(queryset=Unit.objects.all())
    kind = VisibleCommunityField(queryset=ViolationType.objects.all())
    room_code = serializers.CharField(source="unit.room_code", read_only=True)
    description = serializers.CharField(max_length=2000, allow_blank=True)
    responsible = serializers.CharField(max_length=20)
    source = serializers.CharField(max_length=20)  # type: ignore[assignment]
    photos = serializers.ListField(
        child=serializers.FileField(), required=False, write_only=True, max_length=10
    )
    notices = ViolationNoticeSerializer(many=True, read_only=True)
    measures = ViolationMeasureSerializer(many=True, read_only=True)
    photo_files = ViolationPhotoSerializer(source="photos", many=True, read_only=True)
    scope_fields = ("community", "unit")

    class Meta:
        model = Violation
        fields = [
            "id", "community", "number", "unit", "room_code", "kind", "description",
            "location", "responsible", "person_name", "source", "source_ref", "rule",
            "predates_office", "found_at", "found_by", "status", "on_site_action", "deadline",
            "rechecked_on", "recheck_note", "reported_to", "reported_on", "reported_contact",
            "reported_ref", "appeal_on", "appeal_grounds", "appeal_decision", "appeal_note",
            "appeal_decided_by", "appeal_decided_at", "closed_on", "corrected_on_time",
            "notices", "measures", "photos", "photo_files",
        ]  # fmt: skip
        read_only_fields = [
            "number", "found_at", "found_by", "status", "on_site_action", "deadline",
            "rechecked_on", "recheck_note", "reported_to", "reported_on", "reported_contact",
            "reported_ref", "appeal_on", "appeal_grounds", "appeal_decision", "appeal_note",
            "appeal_decided_by", "appeal_decided_at", "closed_on", "corrected_on_time",
        ]  # fmt: skip


class ViolationServingBody(serializers.Serializer):
    demand = serializers.CharField(max_length=2000, allow_blank=True)
    deadline = serializers.DateField(required=False, allow_null=True, default=None)
    served_to = serializers.CharField(max_length=50, required=False, default="", allow_blank=True)
    signature = serializers.CharField(
        max_length=500_000, required=False, default="", allow_blank=True
    )
    refused_to_sign = serializers.BooleanField(required=False, default=False)
    refusal_note = serializers.CharField(
        max_length=200, required=False, default="", allow_blank=True
    )


class ViolationEscalateBody(ViolationServingBody):
    kind = serializers.ChoiceField(choices=NoticeKind.choices)  # the service: not "notice"


class ViolationActionBody(serializers.Serializer):
    action = serializers.CharField(max_length=2000, allow_blank=True)


class ViolationNoteBody(serializers.Serializer):
    note = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)


class ViolationRecheckBody(ViolationNoteBody):
    corrected = serializers.BooleanField()


class ViolationReportBody(serializers.Serializer):
    authority = serializers.ChoiceField(choices=Authority.choices)
    reported_on = serializers.DateField()
    contact = serializers.CharField(max_length=50, required=False, default="", allow_blank=True)
    reference = serializers.CharField(max_length=60, required=False, default="", allow_blank=True)


class ViolationMeasureBody(serializers.Serializer):
    kind = serializers.ChoiceField(choices=MeasureKind.choices)
    note = serializers.CharField(max_length=500, required=False, default="", allow_blank=True)


class ViolationAppealBody(serializers.Serializer):
    grounds = serializers.CharField(max_length=2000, allow_blank=True)


class ViolationDecideBody(serializers.Serializer):
    decision = serializers.ChoiceField(choices=AppealDecision.choices)
    note = serializers.CharField(max_length=2000, allow_blank=True)
    deadline = serializers.DateField(required=False, allow_null=True, default=None)


class ViolationPhotoBody(serializers.Serializer):
    image = serializers.FileField()


def _serving(body: dict[str, Any]) -> services.Serving:
    return services.Serving(
        demand=body["demand"],
        deadline=body["deadline"],
        served_to=body["served_to"],
        signature=body["signature"],
        refused_to_sign=body["refused_to_sign"],
        refusal_note=body["refusal_note"],
    )


class ViolationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, CommunityViewSet
):
    """Violations (ViolationFilter); record one; each step of the ladder."""

    model, view_perm = Violation, VIEW
    serializer_class, filterset_class = ViolationSerializer, ViolationFilter
    parser_classes = UPLOAD_PARSERS
    related = ("unit",)
    prefetch = ("notices", "measures", "photos")
    ordering = ("-found_at",)

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        serializer.instance = services.report_violation(
            community=data["community"],
            unit=data["unit"],
            kind=data["kind"],
            description=data["description"],
            responsible=data["responsible"],
            source=data["source"],
            location=data.get("location", ""),
            person_name=data.get("person_name", ""),
            source_ref=data.get("source_ref", ""),
            rule=data.get("rule", ""),
            predates_office=data.get("predates_office", False),
            photos=data.get("photos", ()),
            by=_by(self.request),
        )

    def _answer(self, violation: Violation) -> Response:
        fresh = self.get_queryset().get(pk=violation.pk)
        return Response(ViolationSerializer(fresh, context={"request": self.request}).data)

    @extend_schema(request=ViolationActionBody, responses=ViolationSerializer)
    def dissuade(self, request: Request, pk: int) -> Response:
        violation = self.action_object(VIEW)
        body = _body(request, ViolationActionBody)
        return self._answer(
            services.dissuade_violation(violation=violation, action=body["action"], by=_by(request))
        )

    @extend_schema(request=ViolationServingBody, responses=ViolationSerializer)
    def notice(self, request: Request, pk: int) -> Response:
        violation = self.action_object(VIEW)
        serving = _serving(_body(request, ViolationServingBody))
        services.issue_notice(violation=violation, serving=serving, by=_by(request))
        return self._answer(violation)

    @extend_schema(request=ViolationRecheckBody, responses=ViolationSerializer)
    def recheck(self, request: Request, pk: int) -> Response:
        violation = self.action_object(VIEW)
        body = _body(request, ViolationRecheckBody)
        services.recheck_violation(
            violation=violation, corrected=body["corrected"], note=body["note"], by=_by(request)
        )
        return self._answer(violation)

    @extend_schema(request=ViolationNoteBody, responses=ViolationSerializer)
    def correct(self, request: Request, pk: int) -> Response:
        violation = self.action_object(VIEW)
        body = _body(request, ViolationNoteBody)
        services.close_corrected(violation=violation, note=body["note"], by=_by(request))
        return self._answer(violation)

    @extend_schema(request=ViolationEscalateBody, responses=ViolationSerializer)
    def escalate(self, request: Request, pk: int) -> Response:
        violation = self.action_object(VIEW)
        body = _body(request, ViolationEscalateBody)
        services.escalate_violation(
            violation=violation, kind=body["kind"], serving=_serving(body), by=_by(request)
        )
        return self._answer(violation)

    @extend_schema(request=ViolationReportBody, responses=ViolationSerializer)
    def report(self, request: Request, pk: int) -> Response:
        violation = self.action_object(VIEW)
        body = _body(request, ViolationReportBody)
        services.report_to_authority(
            violation=violation, report=services.Report(**body), by=_by(request)
        )
        return self._answer(violation)

    @extend_schema(request=ViolationNoteBody, responses=ViolationSerializer)
    def transfer(self, request: Request, pk: int) -> Response:
        violation = self.action_object(VIEW)
        body = _body(request, ViolationNoteBody)
        services.close_transferred(violation=violation, note=body["note"], by=_by(request))
        return self._answer(violation)

    @extend_schema(request=ViolationMeasureBody, responses=ViolationSerializer)
    def measure(self, request: Request, pk: int) -> Response:
        violation = self.action_object(VIEW)
        body = _body(request, ViolationMeasureBody)
        services.record_measure(
            violation=violation, kind=body["kind"], note=body["note"], by=_by(request)
        )
        return self._answer(violation)

    @extend_schema(request=ViolationAppealBody, responses=ViolationSerializer)
    def appeal(self, request: Request, pk: int) -> Response:
        violation = self.action_object(VIEW)
        body = _body(request, ViolationAppealBody)
        services.lodge_appeal(violation=violation, grounds=body["grounds"], by=_by(request))
        return self._answer(violation)

    @extend_schema(request=ViolationDecideBody, responses=ViolationSerializer)
    def decide(self, request: Request, pk: int) -> Response:
        violation = self.action_object(VIEW)
        body = _body(request, ViolationDecideBody)
        services.decide_appeal(violation=violation, by=_by(request), **body)
        return self._answer(violation)

    @extend_schema(request=ViolationPhotoBody, responses=ViolationSerializer)
    def photo(self, request: Request, pk: int) -> Response:
        violation = self.action_object(VIEW)
        body = _body(request, ViolationPhotoBody)
        services.add_photo(violation=violation, image=body["image"], by=_by(request))
        return self._answer(violation)


class ViolationTypeSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    community = VisibleCommunityField(queryset=Community.objects.all())
    group = serializers.ChoiceField(choices=TypeGroup.choices)
    name = serializers.CharField(max_length=60, allow_blank=True)

    class Meta:
        model = ViolationType
        fields = ["id", "community", "group", "name", "structural", "sort", "active"]
        read_only_fields = ["sort", "active"]


class TypeViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, CommunityViewSet):
    """The types' list (shared rows have no community); add a community's own; retire it."""

    model, view_perm = ViolationType, "violations.view_violationtype"
    serializer_class = ViolationTypeSerializer
    ordering = ("group", "sort")

    def get_queryset(self) -> Any:
        from django.db.models import Q

        from guanjia.core.access import communities_with_perm

        ids = communities_with_perm(self.request.user, self.view_perm)
        rows = ViolationType.objects.filter(Q(community__isnull=True) | Q(community__in=ids))
        return rows.filter(active=True).order_by("group", "sort", "pk")

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        serializer.instance = services.add_type(
            community=data["community"],
            group=data["group"],
            name=data["name"],
            structural=data.get("structural", False),
            by=_by(self.request),
        )

    @extend_schema(request=None, responses=ViolationTypeSerializer)
    def retire(self, request: Request, pk: int) -> Response:
        kind = self.get_object()
        return Response(
            ViolationTypeSerializer(services.retire_type(kind=kind, by=_by(request))).data
        )


def _violation(action: str) -> Any:
    return ViolationViewSet.as_view({"post": action})


app_name = "violations-api"
urlpatterns = [
    path(
        "violations/",
        ViolationViewSet.as_view({"get": "list", "post": "create"}),
        name="violation-list",
    ),
    path(
        "violations/<int:pk>/",
        ViolationViewSet.as_view({"get": "retrieve"}),
        name="violation-detail",
    ),
    path("violations/<int:pk>/dissuade/", _violation("dissuade"), name="violation-dissuade"),
    path("violations/<int:pk>/notice/", _violation("notice"), name="violation-notice"),
    path("violations/<int:pk>/recheck/", _violation("recheck"), name="violation-recheck"),
    path("violations/<int:pk>/correct/", _violation("correct"), name="violation-correct"),
    path("violations/<int:pk>/escalate/", _violation("escalate"), name="violation-escalate"),
    path("violations/<int:pk>/report/", _violation("report"), name="violation-report"),
    path("violations/<int:pk>/transfer/", _violation("transfer"), name="violation-transfer"),
    path("violations/<int:pk>/measure/", _violation("measure"), name="violation-measure"),
    path("violations/<int:pk>/appeal/", _violation("appeal"), name="violation-appeal"),
    path("violations/<int:pk>/appeal/decide/", _violation("decide"), name="violation-decide"),
    path("violations/<int:pk>/photo/", _violation("photo"), name="violation-photo"),
    path("types/", TypeViewSet.as_view({"get": "list", "post": "create"}), name="type-list"),
    path("types/<int:pk>/retire/", TypeViewSet.as_view({"post": "retire"}), name="type-retire"),
]

"""The sanctions API (/api/v1/sanctions/): the breach list (the page's filter), one record
with its notices and photos, reporting one, every step of the workflow, the appeal, and the
community's sanction table. Reads: the communities where the caller holds
sanctions.view_breach (else 404; nowhere: 403). Writes: the pages' services (ValidationError
-> 400, authority -> 403)."""

from __future__ import annotations

from decimal import Decimal
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
from guanjia.renovation.models import Renovation

from . import services
from .filters import BreachFilter
from .models import (
    MEASURES,
    AppealDecision,
    Breach,
    BreachNotice,
    BreachPhoto,
    Party,
    SanctionType,
)

VIEW = "sanctions.view_breach"
TABLE = "sanctions.change_sanctiontype"


def _by(request: Request) -> User:
    return request_user(request._request)


def _body(request: Request, serializer_class: Any) -> dict[str, Any]:
    checked = serializer_class(data=request.data, context={"request": request})
    checked.is_valid(raise_exception=True)
    return dict(checked.validated_data)


class BreachNoticeSerializer(serializers.ModelSerializer):
    signature = FileUrlField()

    class Meta:
        model = BreachNotice
        fields = [
            "id", "party", "signer", "signature", "refused_to_sign", "refusal_note",
            "served_at", "served_by",
        ]  # fmt: skip
        read_only_fields = fields


class BreachPhotoSerializer(serializers.ModelSerializer):
    image = FileUrlField()

    class Meta:
        model = BreachPhoto
        fields = ["id", "image", "original_name", "taken_by"]
        read_only_fields = fields


class BreachSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    """Read: the whole record. Create: the report (the service checks every rule)."""

    community = VisibleCommunityField(queryset=Community.objects.all())
    kind = VisibleCommunityField(queryset=SanctionType.objects.all())
    renovation = VisibleCommunityField(
        queryset=Renovation.objects.all(), required=False, allow_null=True
    )
    place = serializers.CharField(max_length=100, allow_blank=True)
    description = serializers.CharField(max_length=2000, allow_blank=True)
    source = serializers.CharField(max_length=20)  # type: ignore[assignment]
    person_kind = serializers.CharField(max_length=20)
    pass_number = serializers.CharField(max_length=80, required=False, allow_blank=True)
    occurred_at = serializers.DateTimeField(required=False, allow_null=True)
    photos = serializers.ListField(
        child=serializers.FileField(), required=False, write_only=True, max_length=10
    )
    notices = BreachNoticeSerializer(many=True, read_only=True)
    photo_files = BreachPhotoSerializer(source="photos", many=True, read_only=True)
    scope_fields = ("community", "kind", "renovation")

    class Meta:
        model = Breach
        fields = [
            "id", "community", "number", "status", "kind", "occurred_at", "place",
            "description", "source", "resident_name", "reported_by", "person_kind",
            "person_name", "pass_number", "employer", "contractor", "unit", "renovation",
            "unidentified", "no_reentry", "verified_by", "verified_at", "verify_note",
            "amount", "damage", *MEASURES, "decision_note", "ban_proposed", "decided_by",
            "decided_at", "notified_at", "executed_by", "executed_at", "execution_note",
            "police_ref", "ban", "appeal_party", "appeal_at", "appeal_grounds",
            "appeal_decision", "appeal_note", "appeal_decided_by", "appeal_decided_at",
            "closed_at", "notices", "photos", "photo_files",
        ]  # fmt: skip
        read_only_fields = [
            "number", "status", "reported_by", "contractor", "unit", "no_reentry",
            "verified_by", "verified_at", "verify_note", "amount", "damage", *MEASURES,
            "decision_note", "ban_proposed", "decided_by", "decided_at", "notified_at",
            "executed_by", "executed_at", "execution_note", "police_ref", "ban",
            "appeal_party", "appeal_at", "appeal_grounds", "appeal_decision", "appeal_note",
            "appeal_decided_by", "appeal_decided_at", "closed_at",
        ]  # fmt: skip


class BreachVerifyBody(serializers.Serializer):
    note = serializers.CharField(max_length=2000, allow_blank=True)
    pass_number = serializers.CharField(max_length=80, required=False, default="", allow_blank=True)
    person_name = serializers.CharField(max_length=50, required=False, default="", allow_blank=True)
    employer = serializers.CharField(max_length=100, required=False, default="", allow_blank=True)


class BreachDecideBody(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    damage = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, default=Decimal("0.00")
    )
    note = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)
    confiscate_pass = serializers.BooleanField(required=False, default=False)
    expel = serializers.BooleanField(required=False, default=False)
    stop_work = serializers.BooleanField(required=False, default=False)
    ban_contractor = serializers.BooleanField(required=False, default=False)
    call_police = serializers.BooleanField(required=False, default=False)
    remove_materials = serializers.BooleanField(required=False, default=False)


class BreachNotifyBody(serializers.Serializer):
    party = serializers.ChoiceField(choices=Party.choices)
    signer = serializers.CharField(max_length=50, allow_blank=True)
    signature = serializers.CharField(
        max_length=500_000, required=False, default="", allow_blank=True
    )
    refused_to_sign = serializers.BooleanField(required=False, default=False)
    refusal_note = serializers.CharField(
        max_length=200, required=False, default="", allow_blank=True
    )


class BreachExecuteBody(serializers.Serializer):
    note = serializers.CharField(max_length=2000, allow_blank=True)
    police_ref = serializers.CharField(max_length=60, required=False, default="", allow_blank=True)
    ban_until = serializers.DateField(required=False, allow_null=True, default=None)


class BreachAppealBody(serializers.Serializer):
    party = serializers.ChoiceField(choices=Party.choices)
    grounds = serializers.CharField(max_length=2000, allow_blank=True)


class BreachAppealDecideBody(serializers.Serializer):
    decision = serializers.ChoiceField(choices=AppealDecision.choices)
    note = serializers.CharField(max_length=2000, allow_blank=True)
    amount = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, allow_null=True, default=None
    )


class BreachNoteBody(serializers.Serializer):
    note = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)


class BreachPhotoBody(serializers.Serializer):
    image = serializers.FileField()


class BreachViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, CommunityViewSet
):
    """Breach records (BreachFilter); report one; each step of the workflow."""

    model, view_perm = Breach, VIEW
    serializer_class, filterset_class = BreachSerializer, BreachFilter
    parser_classes = UPLOAD_PARSERS
    related = ("kind",)
    prefetch = ("notices", "photos")
    ordering = ("-occurred_at",)

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        report = services.Report(
            kind=data["kind"],
            place=data["place"],
            description=data["description"],
            source=data["source"],
            person_kind=data["person_kind"],
            pass_number=data.get("pass_number", ""),
            person_name=data.get("person_name", ""),
            employer=data.get("employer", ""),
            resident_name=data.get("resident_name", ""),
            unidentified=data.get("unidentified", False),
            occurred_at=data.get("occurred_at"),
            renovation=data.get("renovation"),
        )
        serializer.instance = services.report_breach(
            community=data["community"],
            report=report,
            photos=data.get("photos", ()),
            by=_by(self.request),
        )

    def _answer(self, breach: Breach) -> Response:
        fresh = self.get_queryset().get(pk=breach.pk)
        return Response(BreachSerializer(fresh, context={"request": self.request}).data)

    @extend_schema(request=BreachVerifyBody, responses=BreachSerializer)
    def verify(self, request: Request, pk: int) -> Response:
        breach = self.action_object(VIEW)
        body = _body(request, BreachVerifyBody)
        services.verify_breach(breach=breach, by=_by(request), **body)
        return self._answer(breach)

    @extend_schema(request=BreachDecideBody, responses=BreachSerializer)
    def decide(self, request: Request, pk: int) -> Response:
        breach = self.action_object(VIEW)
        body = _body(request, BreachDecideBody)
        measures = {name: body.pop(name) for name in MEASURES}
        services.decide_sanction(breach=breach, measures=measures, by=_by(request), **body)
        return self._answer(breach)

    @extend_schema(request=BreachNotifyBody, responses=BreachSerializer)
    def notify(self, request: Request, pk: int) -> Response:
        breach = self.action_object(VIEW)
        body = _body(request, BreachNotifyBody)
        services.notify_party(breach=breach, by=_by(request), **body)
        return self._answer(breach)

    @extend_schema(request=BreachExecuteBody, responses=BreachSerializer)
    def execute(self, request: Request, pk: int) -> Response:
        breach = self.action_object(VIEW)
        body = _body(request, BreachExecuteBody)
        services.execute_breach(breach=breach, by=_by(request), **body)
        return self._answer(breach)

    @extend_schema(request=BreachAppealBody, responses=BreachSerializer)
    def appeal(self, request: Request, pk: int) -> Response:
        breach = self.action_object(VIEW)
        body = _body(request, BreachAppealBody)
        services.lodge_appeal(breach=breach, by=_by(request), **body)
        return self._answer(breach)

    @extend_schema(request=BreachAppealDecideBody, responses=BreachSerializer)
    def appeal_decide(self, request: Request, pk: int) -> Response:
        breach = self.action_object(VIEW)
        body = _body(request, BreachAppealDecideBody)
        services.decide_appeal(breach=breach, by=_by(request), **body)
        return self._answer(breach)

    @extend_schema(request=BreachNoteBody, responses=BreachSerializer)
    def close(self, request: Request, pk: int) -> Response:
        breach = self.action_object(VIEW)
        body = _body(request, BreachNoteBody)
        services.close_breach(breach=breach, note=body["note"], by=_by(request))
        return self._answer(breach)

    @extend_schema(request=BreachNoteBody, responses=BreachSerializer)
    def cancel(self, request: Request, pk: int) -> Response:
        breach = self.action_object(VIEW)
        body = _body(request, BreachNoteBody)
        services.cancel_breach(breach=breach, note=body["note"], by=_by(request))
        return self._answer(breach)

    @extend_schema(request=BreachPhotoBody, responses=BreachSerializer)
    def photo(self, request: Request, pk: int) -> Response:
        breach = self.action_object("sanctions.add_breach")
        body = _body(request, BreachPhotoBody)
        services.add_photo(breach=breach, image=body["image"], by=_by(request))
        return self._answer(breach)


class SanctionTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = SanctionType
        fields = [
            "id", "community", "code", "name", "default_amount", "max_amount", "per_person",
            "plus_damage", *MEASURES, "sort", "active",
        ]  # fmt: skip
        read_only_fields = fields


class SanctionTypeBody(serializers.Serializer):
    name = serializers.CharField(max_length=60, allow_blank=True)
    default_amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    max_amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    per_person = serializers.BooleanField(required=False, default=False)
    plus_damage = serializers.BooleanField(required=False, default=False)
    active = serializers.BooleanField(required=False, default=True)
    confiscate_pass = serializers.BooleanField(required=False, default=False)
    expel = serializers.BooleanField(required=False, default=False)
    stop_work = serializers.BooleanField(required=False, default=False)
    ban_contractor = serializers.BooleanField(required=False, default=False)
    call_police = serializers.BooleanField(required=False, default=False)
    remove_materials = serializers.BooleanField(required=False, default=False)


class SanctionTypeViewSet(mixins.ListModelMixin, CommunityViewSet):
    """The sanction table of the caller's communities; a line changed by the supervisor."""

    model, view_perm = SanctionType, "sanctions.view_sanctiontype"
    serializer_class = SanctionTypeSerializer
    ordering = ("community", "sort")

    @extend_schema(request=SanctionTypeBody, responses=SanctionTypeSerializer)
    def save_line(self, request: Request, pk: int) -> Response:
        line = self.action_object(TABLE)
        body = _body(request, SanctionTypeBody)
        measures = {name: body.pop(name) for name in MEASURES}
        saved = services.save_sanction_type(line=line, measures=measures, by=_by(request), **body)
        return Response(SanctionTypeSerializer(saved).data)


def _breach(action: str) -> Any:
    return BreachViewSet.as_view({"post": action})


app_name = "sanctions-api"
urlpatterns = [
    path(
        "breaches/",
        BreachViewSet.as_view({"get": "list", "post": "create"}),
        name="breach-list",
    ),
    path("breaches/<int:pk>/", BreachViewSet.as_view({"get": "retrieve"}), name="breach-detail"),
    path("breaches/<int:pk>/verify/", _breach("verify"), name="breach-verify"),
    path("breaches/<int:pk>/decide/", _breach("decide"), name="breach-decide"),
    path("breaches/<int:pk>/notify/", _breach("notify"), name="breach-notify"),
    path("breaches/<int:pk>/execute/", _breach("execute"), name="breach-execute"),
    path("breaches/<int:pk>/appeal/", _breach("appeal"), name="breach-appeal"),
    path(
        "breaches/<int:pk>/appeal/decide/",
        _breach("appeal_decide"),
        name="breach-appeal-decide",
    ),
    path("breaches/<int:pk>/close/", _breach("close"), name="breach-close"),
    path("breaches/<int:pk>/cancel/", _breach("cancel"), name="breach-cancel"),
    path("breaches/<int:pk>/photo/", _breach("photo"), name="breach-photo"),
    path("table/", SanctionTypeViewSet.as_view({"get": "list"}), name="table-list"),
    path(
        "table/<int:pk>/",
        SanctionTypeViewSet.as_view({"post": "save_line"}),
        name="table-save",
    ),
]

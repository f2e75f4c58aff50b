"""The move-in API (/api/v1/movein/): batches, the counter's steps, the joint inspection's
defects, on core.api.CommunityViewSet; every write is the page's service. A signature is a
PNG data URL (data:image/png;base64,...), as the page's signature pad sends it."""

from __future__ import annotations

from typing import Any

from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from guanjia.core.access import User, request_user, require_perm, visible_community_ids
from guanjia.core.api import CommunityViewSet
from guanjia.core.models import Community
from guanjia.estates.models import Building

from . import filters, services
from .models import (
    PRECONDITIONS,
    Defect,
    Delivery,
    DeliveryBatch,
    Inspection,
    Responsible,
    VerifiedAs,
)


def _body(request: Request, serializer_class: Any) -> dict[str, Any]:
    checked = serializer_class(data=request.data, context={"request": request})
    checked.is_valid(raise_exception=True)
    return dict(checked.validated_data)


def _by(request: Request) -> User:
    return request_user(request._request)


CODES = [code for code, _label in PRECONDITIONS]


class BatchSerializer(serializers.ModelSerializer):
    class Meta:
        model = DeliveryBatch
        fields = [
            "id", "community", "name", "buildings", "notice_date", "counter_from", "counter_to",
            "counter_hours", "status", "takeover_checked_by", "takeover_checked_at",
            "services_checked_by", "services_checked_at", "contract_checked_by",
            "contract_checked_at", "opened_by",
        ]  # fmt: skip
        read_only_fields = fields


class MoveInBatchBody(serializers.Serializer):
    community = serializers.IntegerField()
    name = serializers.CharField(max_length=100, allow_blank=True)
    notice_date = serializers.DateField()
    counter_from = serializers.DateField()
    counter_to = serializers.DateField()
    counter_hours = serializers.CharField(max_length=40, allow_blank=True)
    buildings = serializers.ListField(
        child=serializers.IntegerField(), required=False, default=list
    )
    checked = serializers.ListField(
        child=serializers.ChoiceField(choices=CODES), required=False, default=list
    )


class MoveInTickBody(serializers.Serializer):
    code = serializers.ChoiceField(choices=CODES)


class BatchViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CommunityViewSet):
    """Delivery batches (`?status=`); open one; tick a precondition; send the notices; close."""

    model, view_perm = DeliveryBatch, "movein.view_deliverybatch"
    serializer_class, filterset_class = BatchSerializer, filters.BatchFilter
    ordering = ("-notice_date", "-pk")

    @extend_schema(request=MoveInBatchBody, responses={201: BatchSerializer})
    def open(self, request: Request) -> Response:
        data = _body(request, MoveInBatchBody)
        visible = visible_community_ids(request.user)
        found = Community.objects.filter(pk=data["community"]).first()
        if found is None or (visible is not None and found.pk not in visible):
            raise serializers.ValidationError({"community": [_("Unknown community.")]})
        community = found
        require_perm(request.user, "movein.add_deliverybatch", community)
        buildings = list(Building.objects.filter(community=community, pk__in=data["buildings"]))
        if len(buildings) != len(set(data["buildings"])):
            raise serializers.ValidationError({"buildings": [_("Unknown building.")]})
        batch = services.open_batch(
            community=community, name=data["name"], notice_date=data["notice_date"],
            counter_from=data["counter_from"], counter_to=data["counter_to"],
            counter_hours=data["counter_hours"], buildings=buildings, checked=data["checked"],
            by=_by(request),
        )  # fmt: skip
        return Response(BatchSerializer(batch).data, status=201)

    @extend_schema(request=MoveInTickBody, responses=BatchSerializer)
    def tick(self, request: Request, pk: int) -> Response:
        batch = self.action_object("movein.add_deliverybatch")
        data = _body(request, MoveInTickBody)
        done = services.tick_precondition(batch=batch, code=data["code"], by=_by(request))
        return Response(BatchSerializer(done).data)

    @extend_schema(request=None, responses=BatchSerializer)
    def notify(self, request: Request, pk: int) -> Response:
        batch = self.action_object("movein.add_deliverybatch")
        return Response(BatchSerializer(services.send_notices(batch=batch, by=_by(request))).data)

    @extend_schema(request=None, responses=BatchSerializer)
    def close(self, request: Request, pk: int) -> Response:
        batch = self.action_object("movein.add_deliverybatch")
        return Response(BatchSerializer(services.close_batch(batch=batch, by=_by(request))).data)


class DeliverySerializer(serializers.ModelSerializer):
    room_code = serializers.CharField(source="unit.room_code", read_only=True)
    next_step = serializers.CharField(read_only=True)

    class Meta:
        model = Delivery
        fields = [
            "id", "community", "batch", "unit", "room_code", "buyer_name", "buyer_kind",
            "contact_person", "joint_owners", "id_number_masked", "contract_no", "status",
            "defects", "next_step", "verified_at", "verified_as", "registered_at", "fees_at",
            "prepaid_months", "fees_receipt", "documents_at", "inspected_at", "keys_at",
            "keys_count", "cards_at", "cards_free", "cards_extra", "delivered_on",
            "refusal_reason", "complaint_number",
        ]  # fmt: skip
        read_only_fields = fields


class MoveInVerifyBody(serializers.Serializer):
    verified_as = serializers.ChoiceField(choices=VerifiedAs.choices)
    id_number = serializers.CharField(max_length=40, required=False, default="", allow_blank=True)
    attorney_ref = serializers.CharField(
        max_length=60, required=False, default="", allow_blank=True
    )
    all_owners_present = serializers.BooleanField(required=False, default=True)


class MoveInRegisterBody(serializers.Serializer):
    mobile = serializers.CharField(max_length=20, required=False, default="", allow_blank=True)
    emergency_name = serializers.CharField(
        max_length=50, required=False, default="", allow_blank=True
    )
    emergency_phone = serializers.CharField(
        max_length=20, required=False, default="", allow_blank=True
    )


class MoveInFeesBody(serializers.Serializer):
    receipt_no = serializers.CharField(max_length=40, allow_blank=True)
    prepaid_months = serializers.IntegerField(min_value=0, max_value=12)


class MoveInSignBody(serializers.Serializer):
    signature = serializers.CharField(allow_blank=True)


class MoveInKeysBody(serializers.Serializer):
    count = serializers.IntegerField(min_value=1, max_value=50)
    description = serializers.CharField(max_length=100, allow_blank=True)
    signature = serializers.CharField(allow_blank=True)


class MoveInCardsBody(serializers.Serializer):
    count = serializers.IntegerField(min_value=0, max_value=20)


class MoveInReasonBody(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, allow_blank=True)


class DeliveryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CommunityViewSet):
    """The units of the batches (`?batch=`, `?status=`, `?defects=`) and the counter's steps."""

    model, view_perm = Delivery, "movein.view_delivery"
    serializer_class, filterset_class = DeliverySerializer, filters.DeliveryFilter
    ordering = ("unit__sort_key", "pk")

    def get_queryset(self) -> Any:
        return super().get_queryset().select_related("unit")

    def _step(self, request: Request, body: Any, service: Any) -> Response:
        delivery = self.action_object("movein.change_delivery")
        data = _body(request, body) if body is not None else {}
        return Response(
            DeliverySerializer(service(delivery=delivery, by=_by(request), **data)).data
        )

    @extend_schema(request=MoveInVerifyBody, responses=DeliverySerializer)
    def verify(self, request: Request, pk: int) -> Response:
        return self._step(request, MoveInVerifyBody, services.verify_buyer)

    @extend_schema(request=MoveInRegisterBody, responses=DeliverySerializer)
    def register(self, request: Request, pk: int) -> Response:
        return self._step(request, MoveInRegisterBody, services.register_household)

    @extend_schema(request=MoveInFeesBody, responses=DeliverySerializer)
    def fees(self, request: Request, pk: int) -> Response:
        return self._step(request, MoveInFeesBody, services.record_fees)

    @extend_schema(request=MoveInSignBody, responses=DeliverySerializer)
    def documents(self, request: Request, pk: int) -> Response:
        return self._step(request, MoveInSignBody, services.sign_documents)

    @extend_schema(request=MoveInKeysBody, responses=DeliverySerializer)
    def keys(self, request: Request, pk: int) -> Response:
        return self._step(request, MoveInKeysBody, services.hand_over_keys)

    @extend_schema(request=MoveInCardsBody, responses=DeliverySerializer)
    def cards(self, request: Request, pk: int) -> Response:
        return self._step(request, MoveInCardsBody, services.issue_cards)

    @extend_schema(request=MoveInReasonBody, responses=DeliverySerializer)
    def refuse(self, request: Request, pk: int) -> Response:
        return self._step(request, MoveInReasonBody, services.refuse_delivery)


class InspectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Inspection
        fields = [
            "id", "delivery", "rooms", "items", "inspector", "water_reading", "power_reading",
            "gas_reading", "signed_at",
        ]  # fmt: skip
        read_only_fields = fields


class DefectSerializer(serializers.ModelSerializer):
    class Meta:
        model = Defect
        fields = [
            "id", "community", "delivery", "room", "item", "description", "responsible",
            "deadline", "status", "fixed_at", "closed_at", "signed_by_name", "repair_number",
        ]  # fmt: skip
        read_only_fields = fields


class MoveInDefectBody(serializers.Serializer):
    room = serializers.CharField(max_length=30)
    item = serializers.CharField(max_length=30)
    description = serializers.CharField(max_length=500, allow_blank=True)
    photo = serializers.FileField(required=False, allow_null=True, default=None)
    responsible = serializers.ChoiceField(
        choices=Responsible.choices, required=False, default=Responsible.DEVELOPER
    )


def _reading() -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=10, decimal_places=2, min_value=0, required=False, allow_null=True, default=None
    )


class MoveInInspectionSignBody(serializers.Serializer):
    owner_signature = serializers.CharField(allow_blank=True)
    inspector_signature = serializers.CharField(allow_blank=True)
    water = _reading()
    power = _reading()
    gas = _reading()


class InspectionViewSet(CommunityViewSet):
    """The joint inspection of a unit (by its delivery's id): start it, add defects, sign."""

    model, view_perm = Delivery, "movein.view_delivery"
    serializer_class, filterset_class = DeliverySerializer, filters.DeliveryFilter

    @extend_schema(request=None, responses=InspectionSerializer)
    def start(self, request: Request, pk: int) -> Response:
        delivery = self.action_object("movein.change_delivery")
        sheet = services.start_inspection(delivery=delivery, by=_by(request))
        return Response(InspectionSerializer(sheet).data)

    def _sheet(self) -> Inspection:
        from django.http import Http404

        delivery = self.action_object("movein.change_delivery")
        sheet = Inspection.objects.filter(delivery=delivery).first()
        if sheet is None:
            raise Http404
        return sheet

    @extend_schema(request=MoveInDefectBody, responses={201: DefectSerializer})
    def defect(self, request: Request, pk: int) -> Response:
        sheet = self._sheet()
        data = _body(request, MoveInDefectBody)
        made = services.add_defect(inspection=sheet, by=_by(request), **data)
        return Response(DefectSerializer(made).data, status=201)

    @extend_schema(request=MoveInInspectionSignBody, responses=InspectionSerializer)
    def sign(self, request: Request, pk: int) -> Response:
        sheet = self._sheet()
        data = _body(request, MoveInInspectionSignBody)
        done = services.sign_inspection(inspection=sheet, by=_by(request), **data)
        return Response(InspectionSerializer(done).data)


class MoveInNoteBody(serializers.Serializer):
    note = serializers.CharField(max_length=500, allow_blank=True)


class MoveInReinspectBody(serializers.Serializer):
    passed = serializers.BooleanField()
    note = serializers.CharField(max_length=500, required=False, default="", allow_blank=True)
    signer = serializers.CharField(max_length=50, required=False, default="", allow_blank=True)
    signature = serializers.CharField(required=False, default="", allow_blank=True)


class DefectViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CommunityViewSet):
    """Defects (`?status=`, `?responsible=`, `?overdue=`): reported fixed, re-inspected (signed
    off by the owner or back to rectify), reopened as a warranty repair."""

    model, view_perm = Defect, "movein.view_defect"
    serializer_class, filterset_class = DefectSerializer, filters.DefectFilter
    ordering = ("deadline", "pk")

    @extend_schema(request=MoveInNoteBody, responses=DefectSerializer)
    def fixed(self, request: Request, pk: int) -> Response:
        defect = self.action_object("movein.change_defect")
        data = _body(request, MoveInNoteBody)
        return Response(
            DefectSerializer(services.report_fixed(defect=defect, by=_by(request), **data)).data
        )

    @extend_schema(request=MoveInReinspectBody, responses=DefectSerializer)
    def reinspect(self, request: Request, pk: int) -> Response:
        defect = self.action_object("movein.change_defect")
        data = _body(request, MoveInReinspectBody)
        return Response(
            DefectSerializer(services.reinspect(defect=defect, by=_by(request), **data)).data
        )

    @extend_schema(request=MoveInNoteBody, responses=DefectSerializer)
    def reopen(self, request: Request, pk: int) -> Response:
        defect = self.action_object("movein.change_defect")
        data = _body(request, MoveInNoteBody)
        return Response(
            DefectSerializer(
                services.reopen_as_warranty(defect=defect, by=_by(request), **data)
            ).data
        )


def _p(route: str, view: Any, actions: dict[str, str], name: str) -> Any:
    return path(route, view.as_view(actions), name=name)


app_name = "movein-api"
urlpatterns = [
    _p("batches/", BatchViewSet, {"get": "list", "post": "open"}, "batch-list"),
    _p("batches/<int:pk>/", BatchViewSet, {"get": "retrieve"}, "batch-detail"),
    _p("batches/<int:pk>/tick/", BatchViewSet, {"post": "tick"}, "batch-tick"),
    _p("batches/<int:pk>/notify/", BatchViewSet, {"post": "notify"}, "batch-notify"),
    _p("batches/<int:pk>/close/", BatchViewSet, {"post": "close"}, "batch-close"),
    _p("units/", DeliveryViewSet, {"get": "list"}, "delivery-list"),
    _p("units/<int:pk>/", DeliveryViewSet, {"get": "retrieve"}, "delivery-detail"),
    _p("units/<int:pk>/verify/", DeliveryViewSet, {"post": "verify"}, "delivery-verify"),
    _p("units/<int:pk>/register/", DeliveryViewSet, {"post": "register"}, "delivery-register"),
    _p("units/<int:pk>/fees/", DeliveryViewSet, {"post": "fees"}, "delivery-fees"),
    _p("units/<int:pk>/documents/", DeliveryViewSet, {"post": "documents"}, "delivery-documents"),
    _p("units/<int:pk>/keys/", DeliveryViewSet, {"post": "keys"}, "delivery-keys"),
    _p("units/<int:pk>/cards/", DeliveryViewSet, {"post": "cards"}, "delivery-cards"),
    _p("units/<int:pk>/refuse/", DeliveryViewSet, {"post": "refuse"}, "delivery-refuse"),
    _p("units/<int:pk>/inspection/", InspectionViewSet, {"post": "start"}, "inspection-start"),
    _p(
        "units/<int:pk>/inspection/defects/",
        InspectionViewSet,
        {"post": "defect"},
        "inspection-defect",
    ),
    _p("units/<int:pk>/inspection/sign/", InspectionViewSet, {"post": "sign"}, "inspection-sign"),
    _p("defects/", DefectViewSet, {"get": "list"}, "defect-list"),
    _p("defects/<int:pk>/", DefectViewSet, {"get": "retrieve"}, "defect-detail"),
    _p("defects/<int:pk>/fixed/", DefectViewSet, {"post": "fixed"}, "defect-fixed"),
    _p("defects/<int:pk>/reinspect/", DefectViewSet, {"post": "reinspect"}, "defect-reinspect"),
    _p("defects/<int:pk>/reopen/", DefectViewSet, {"post": "reopen"}, "defect-reopen"),
]

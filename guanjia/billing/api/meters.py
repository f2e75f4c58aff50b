"""Meters and tiers through the API (issue 10): `meters/` (list, read, create, change,
`meters/<pk>/replace/`) and `rates/<pk>/tiers/`. Reads: the communities where the caller
holds `billing.view_meter` (another community's meter: 404). Writes: the serializer types the
body, the service (services/meters.py, services/standards.py) checks and saves (400 with the
field's message, 403 without the permission)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from guanjia.core.access import (
    request_user,
)
from guanjia.core.api import CommunityViewSet, ScopedSerializerMixin, VisibleCommunityField
from guanjia.core.models import Community
from guanjia.estates.models import Unit

from ..filters import MeterFilter
from ..models import ApportionmentSet, FeeStandardVersion, Meter, MeterReplacement
from ..services.meters import (
    create_meter,
    replace_meter,
    save_apportionment_set,
    update_meter,
)
from ..services.standards import set_rate_tiers
from .standards import VersionRows

READING: dict[str, Any] = {"max_digits": 12, "decimal_places": 2, "min_value": Decimal(0)}
MULTIPLIER: dict[str, Any] = {"max_digits": 7, "decimal_places": 2, "min_value": Decimal("0.01")}


class MeterSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    """A new meter: `unit` empty for a common meter; community and unit are fixed."""

    scope_fields = ("community", "unit")
    community = VisibleCommunityField(queryset=Community.objects.all())
    unit = VisibleCommunityField(queryset=Unit.objects.all(), required=False, allow_null=True)
    room_code = serializers.CharField(source="unit.room_code", read_only=True, default=None)
    multiplier = serializers.DecimalField(required=False, **MULTIPLIER)
    initial_reading = serializers.DecimalField(required=False, **READING)

    class Meta:
        model = Meter
        fields = ["id", "community", "unit", "room_code", "kind", "number", "multiplier"]
        fields += ["installed_on", "initial_reading", "is_active"]
        read_only_fields = ["is_active"]
        validators: ClassVar[list[Any]] = []  # the service checks uniqueness with its message


class MeterChangeSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    """What a meter's change may set (the multiplier only before its first reading); its
    community and unit are not among them (fixed)."""

    multiplier = serializers.DecimalField(required=False, **MULTIPLIER)

    class Meta:
        model = Meter
        fields = ["number", "multiplier", "installed_on", "is_active"]
        validators: ClassVar[list[Any]] = []


class MeterReplaceSerializer(serializers.Serializer):
    replaced_on = serializers.DateField()
    final_reading = serializers.DecimalField(**READING)
    new_number = serializers.CharField(max_length=40)
    new_multiplier = serializers.DecimalField(required=False, allow_null=True, **MULTIPLIER)
    initial_reading = serializers.DecimalField(**READING)


class MeterReplacementSerializer(serializers.ModelSerializer):
    class Meta:
        model = MeterReplacement
        fields = ["id", "meter", "replaced_on", "old_number", "old_multiplier", "final_reading"]
        fields += ["new_number", "new_multiplier", "initial_reading", "created_by"]
        read_only_fields = fields  # an answer only: replacements are made by `replace`


class ApportionmentSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=60)
    units = VisibleCommunityField(queryset=Unit.objects.all(), many=True)


class MeterViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    CommunityViewSet,
):
    """Meters of the caller's communities: list (filters `q`, `kind`, `common`, `is_active`,
    `community`), read, create, change (PATCH), replace; never delete."""

    model, view_perm = Meter, "billing.view_meter"
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    filterset_class = MeterFilter
    serializer_class = MeterSerializer
    related = ("unit",)
    ordering = ("community_id", "kind", "number")

    def get_serializer_class(self) -> Any:
        if self.action == "partial_update":
            return MeterChangeSerializer
        if self.action == "replace":
            return MeterReplaceSerializer
        if self.action == "apportionment":
            return ApportionmentSerializer
        return MeterSerializer

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = create_meter(by=request_user(self.request), **data)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """PATCH only: a PUT of the whole meter is refused (405) like a delete."""
        if request.method == "PUT":
            raise exceptions.MethodNotAllowed("PUT")
        meter = self.get_object()
        serializer = MeterChangeSerializer(meter, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        changed = update_meter(meter=meter, by=request_user(request), **serializer.validated_data)
        return Response(MeterSerializer(changed, context={"request": request}).data)

    @extend_schema(request=MeterReplaceSerializer, responses=MeterReplacementSerializer)
    @action(detail=True, methods=["post"])
    def replace(self, request: Request, pk: str | None = None) -> Response:
        """Replace the meter: the old one's final reading, the new one's number, multiplier
        (the old one's when left out) and initial reading, in one transaction."""
        meter = self.get_object()
        serializer = MeterReplaceSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        change = replace_meter(meter=meter, by=request_user(request), **serializer.validated_data)
        return Response(MeterReplacementSerializer(change).data, status=201)

    @extend_schema(request=ApportionmentSerializer, responses=ApportionmentSerializer)
    @action(detail=True, methods=["get", "put"])
    def apportionment(self, request: Request, pk: str | None = None) -> Response:
        """The units sharing a common meter: `{"name": ..., "units": [unit ids]}`; PUT
        replaces them (`change_meter`)."""
        meter = self.get_object()
        if request.method == "PUT":
            body = ApportionmentSerializer(data=request.data, context={"request": request})
            body.is_valid(raise_exception=True)
            save_apportionment_set(meter=meter, by=request_user(request), **body.validated_data)
        group = ApportionmentSet.objects.filter(meter=meter).first()
        if group is None:
            return Response({"name": "", "units": []})
        return Response(
            {"name": group.name, "units": sorted(group.units.values_list("pk", flat=True))}
        )


class TierSerializer(serializers.Serializer):
    up_to = serializers.CharField(allow_null=True, required=False, max_length=20)
    rate = serializers.CharField(max_length=20)


class TiersSerializer(serializers.Serializer):
    tiers = serializers.ListField(child=TierSerializer(), max_length=10)


class RateTierViewSet(VersionRows):
    """A rate's tiers (阶梯), in the communities where the caller sees rates."""

    view_perm = "billing.view_feestandardversion"
    serializer_class = TiersSerializer

    @extend_schema(methods=["GET"], responses=TiersSerializer)
    @extend_schema(methods=["PUT"], request=TiersSerializer, responses=TiersSerializer)
    def tiers(self, request: Request, pk: int) -> Response:
        """A rate's tiers: `{"tiers": [{"up_to": "10", "rate": "3"}, {"up_to": null,
        "rate": "4.5"}]}`; PUT on a rate awaiting approval (`[]` removes them), which makes
        the caller its proposer."""
        version: FeeStandardVersion = self.get_object()
        if request.method == "PUT":
            body = TiersSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            rows = [[tier.get("up_to"), tier["rate"]] for tier in body.validated_data["tiers"]]
            version = set_rate_tiers(version=version, tiers=rows, by=request_user(request))
        tiers = [{"up_to": up_to, "rate": rate} for up_to, rate in version.tiers or []]
        return Response({"tiers": tiers})


router = SimpleRouter()
router.register("meters", MeterViewSet, basename="meter")

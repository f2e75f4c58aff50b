"""Estates API under /api/v1/estates/: the registry, with personal data masked as on the pages.

Reads: rows of the communities where the caller holds the view permission (else 404; no view
permission anywhere: 403). Writes: the serializer shapes the body, then the same service as
the page decides (ValidationError -> 400, authority -> 403).
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from guanjia.core.access import communities_with_perm, request_user, require_perm
from guanjia.core.api import (
    CommunityViewSet,
    HasViewPerm,
    Pagination,
    ScopedSerializerMixin,
    ServiceSaveMixin,
    VisibleCommunityField,
)
from guanjia.core.http import community_of
from guanjia.core.models import Community

from . import filters, services
from .models import Building, Occupancy, Person, Unit, UnitStatus, Vehicle, Zone
from .selectors import search


class CommunitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Community
        fields = ["id", "code", "name", "kind", "address", "office_phone", "delivered_on"]


class ZoneSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    community = VisibleCommunityField(queryset=Community.objects.all())

    class Meta:
        model = Zone
        fields = ["id", "community", "name", "area_manager", "acting_manager"]
        fields += ["acting_from", "acting_to", "note"]


class BuildingSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    movable_fields = ("zone",)
    community = VisibleCommunityField(queryset=Community.objects.all())
    zone = VisibleCommunityField(queryset=Zone.objects.all())

    class Meta:
        model = Building
        fields = ["id", "community", "zone", "number", "name", "floors_above", "floors_below"]
        fields += ["has_lift", "year_built"]


class UnitSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    """The community follows the building; the building may change within the community."""

    movable_fields = ("building",)
    building = VisibleCommunityField(queryset=Building.objects.all())
    status = serializers.ChoiceField(choices=UnitStatus.choices, required=False)

    class Meta:
        model = Unit
        fields = ["id", "community", "building", "entrance", "room_number", "room_code", "floor"]
        fields += ["building_area", "inner_area", "kind", "layout", "status", "note"]
        read_only_fields = ["community", "room_code"]
        validators: ClassVar[list[Any]] = []  # the service checks uniqueness with its message


class PersonSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    """Phones and the ID number are written in clear but only ever read masked."""

    community = VisibleCommunityField(queryset=Community.objects.all())
    id_number = serializers.CharField(write_only=True, required=False, allow_blank=True)
    mobile = serializers.CharField(write_only=True, required=False, allow_blank=True)
    other_phone = serializers.CharField(write_only=True, required=False, allow_blank=True)
    emergency_phone = serializers.CharField(write_only=True, required=False, allow_blank=True)

    class Meta:
        model = Person
        fields = ["id", "community", "kind", "name", "name_pinyin", "name_initials"]
        fields += ["contact_person", "gender", "id_type", "id_number", "id_number_masked"]
        fields += ["mobile", "mobile_masked", "other_phone", "other_phone_masked", "employer"]
        fields += ["emergency_name", "emergency_relation", "emergency_phone"]
        fields += ["emergency_phone_masked", "note"]
        read_only_fields = ["name_pinyin", "name_initials", "id_number_masked"]
        validators: ClassVar[list[Any]] = []

    mobile_masked = serializers.CharField(read_only=True)
    other_phone_masked = serializers.CharField(read_only=True)
    emergency_phone_masked = serializers.CharField(read_only=True)


class OccupancySerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    """The community follows the unit; unit and person may change within the community."""

    movable_fields = ("unit", "person")
    unit = VisibleCommunityField(queryset=Unit.objects.all())
    person = VisibleCommunityField(queryset=Person.objects.all())

    class Meta:
        model = Occupancy
        fields = ["id", "community", "unit", "person", "relation", "starts_on", "ends_on"]
        fields += ["is_primary_contact", "lease_starts_on", "lease_ends_on", "consent_ref", "note"]
        read_only_fields = ["community"]
        validators: ClassVar[list[Any]] = []


class VehicleSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    """A vehicle may pass to another household (unit, person) of its own community only."""

    movable_fields = ("unit", "person")
    community = VisibleCommunityField(queryset=Community.objects.all())
    unit = VisibleCommunityField(queryset=Unit.objects.all(), required=False, allow_null=True)
    person = VisibleCommunityField(queryset=Person.objects.all(), required=False, allow_null=True)

    class Meta:
        model = Vehicle
        fields = ["id", "community", "plate", "model", "colour", "person", "unit", "is_active"]
        fields += ["note"]
        validators: ClassVar[list[Any]] = []


class RegistryViewSet(
    ServiceSaveMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    CommunityViewSet,
):
    """List, read, create and change one kind of registry row through its service; never
    delete. Rows, filters, pages and errors: guanjia.core.api.CommunityViewSet."""

    http_method_names = ["get", "post", "patch", "head", "options"]


class CommunityListViewSet(viewsets.ReadOnlyModelViewSet):
    """The communities the caller may read units of (not community rows themselves)."""

    serializer_class = CommunitySerializer
    permission_classes = [HasViewPerm]
    pagination_class = Pagination
    view_perm = "estates.view_unit"

    def get_queryset(self) -> Any:
        ids = communities_with_perm(self.request.user, self.view_perm)
        return Community.objects.filter(pk__in=ids).order_by("name")


class ZoneViewSet(RegistryViewSet):
    serializer_class = ZoneSerializer
    filterset_class = filters.ZoneFilter
    view_perm = "estates.view_zone"

    def save(self, obj: Zone) -> Zone:
        return services.save_zone(zone=obj, by=request_user(self.request))


class BuildingViewSet(RegistryViewSet):
    serializer_class = BuildingSerializer
    filterset_class = filters.BuildingFilter
    view_perm = "estates.view_building"

    def save(self, obj: Building) -> Building:
        return services.save_building(building=obj, by=request_user(self.request))


class UnitViewSet(RegistryViewSet):
    serializer_class = UnitSerializer
    filterset_class = filters.UnitFilter
    view_perm = "estates.view_unit"
    related = ("building", "entrance")

    def save(self, obj: Unit) -> Unit:
        return services.save_unit(unit=obj, by=request_user(self.request))

    def model_data(self, serializer: Any) -> dict[str, Any]:
        data = dict(serializer.validated_data)
        if serializer.instance is None:
            data["community"] = data["building"].community
        return data


class PersonViewSet(RegistryViewSet):
    serializer_class = PersonSerializer
    filterset_class = filters.PersonFilter
    view_perm = "estates.view_person"

    def save(self, obj: Person) -> Person:
        return services.save_person(
            person=obj, by=request_user(self.request), id_number=self._id_number
        )

    def model_data(self, serializer: Any) -> dict[str, Any]:
        data = dict(serializer.validated_data)
        self._id_number = data.pop("id_number", None)
        return data


class OccupancyViewSet(RegistryViewSet):
    serializer_class = OccupancySerializer
    view_perm = "estates.view_occupancy"
    related = ("person",)

    def save(self, obj: Occupancy) -> Occupancy:
        return services.save_occupancy(occupancy=obj, by=request_user(self.request))


class VehicleViewSet(RegistryViewSet):
    serializer_class = VehicleSerializer
    filterset_class = filters.VehicleFilter
    view_perm = "estates.view_vehicle"

    def save(self, obj: Vehicle) -> Vehicle:
        return services.save_vehicle(vehicle=obj, by=request_user(self.request))


class SearchHitSerializer(serializers.Serializer):
    kind = serializers.CharField()
    pk = serializers.IntegerField()
    title = serializers.CharField()
    detail = serializers.CharField()
    url = serializers.CharField()
    community_id = serializers.IntegerField()
    community_name = serializers.CharField()


@extend_schema(
    parameters=[OpenApiParameter("q", str, description="Room code, name, pinyin, phone or plate")],
    responses=SearchHitSerializer(many=True),
)
@api_view(["GET"])
def search_view(request: Request) -> Response:
    """The front desk's search box: rooms, names, pinyin, phones (or last four) and plates."""
    require_perm(request.user, "estates.view_unit")
    q = str(request.query_params.get("q", ""))[:50]
    hits = search(request_user(request), q, community_of(request._request))
    return Response(SearchHitSerializer(hits, many=True).data)


router = SimpleRouter()
router.register("communities", CommunityListViewSet, basename="community")
router.register("zones", ZoneViewSet, basename="zone")
router.register("buildings", BuildingViewSet, basename="building")
router.register("units", UnitViewSet, basename="unit")
router.register("persons", PersonViewSet, basename="person")
router.register("occupancies", OccupancyViewSet, basename="occupancy")
router.register("vehicles", VehicleViewSet, basename="vehicle")

app_name = "estates-api"
urlpatterns = [path("search/", search_view, name="search"), *router.urls]

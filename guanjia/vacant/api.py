"""The vacant units API (/api/v1/vacant/): the register, its care tasks, inspections (with
photos: multipart), viewings, storm alerts and the KPIs, on core.api.CommunityViewSet; every
write is the page's service (ValidationError -> 400, authority -> 403)."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from guanjia.core.access import User, get_visible_or_404, request_user, require_perm
from guanjia.core.api import (
    UPLOAD_PARSERS,
    CommunityViewSet,
    ScopedSerializerMixin,
    ServiceSaveMixin,
    VisibleCommunityField,
)
from guanjia.core.files.api import FileUrlField
from guanjia.core.models import Community
from guanjia.desk.models import Key
from guanjia.estates.models import Unit

from . import filters, selectors, services
from .models import CareTask, Inspection, InspectionPhoto, VacantUnit, Viewing


def _body(request: Request, serializer_class: Any) -> dict[str, Any]:
    checked = serializer_class(data=request.data, context={"request": request})
    checked.is_valid(raise_exception=True)
    return dict(checked.validated_data)


def _by(request: Request) -> User:
    return request_user(request._request)


def _community(request: Request) -> Community:
    body = _body(request, CommunityBody)
    community: Community = get_visible_or_404(
        Community.objects.all(), request.user, pk=body["community"]
    )
    return community


class CommunityBody(serializers.Serializer):
    community = serializers.IntegerField()


# --- The register -----------------------------------------------------------------------------


class VacantUnitSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    community = VisibleCommunityField(queryset=Community.objects.all())
    unit = VisibleCommunityField(queryset=Unit.objects.all())
    key = VisibleCommunityField(queryset=Key.objects.all(), required=False, allow_null=True)
    room_code = serializers.CharField(source="unit.room_code", read_only=True)
    authorisation = serializers.FileField(write_only=True, required=False, allow_null=True)
    scope_fields = ("community", "unit")
    movable_fields = ("key",)

    class Meta:
        model = VacantUnit
        fields = [
            "id", "community", "unit", "room_code", "category", "source", "since", "key",
            "water", "power", "notes", "requested_by", "authorisation", "entry_scope",
            "liability_waiver", "status", "left_on", "exit_reason",
        ]  # fmt: skip
        read_only_fields = ["source", "status", "left_on", "exit_reason"]
        extra_kwargs = {"since": {"required": False}}
        validators: list[Any] = []  # the service checks the register (one rule, one message)


class UpdateBody(serializers.Serializer):
    key = serializers.IntegerField(required=False, allow_null=True, default=None)
    water = serializers.CharField(max_length=4)
    power = serializers.CharField(max_length=4)
    notes = serializers.CharField(max_length=500, required=False, default="", allow_blank=True)


class LeaveBody(serializers.Serializer):
    reason = serializers.CharField(max_length=12)
    on = serializers.DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(max_length=500, required=False, default="", allow_blank=True)


class ViewingSerializer(serializers.ModelSerializer):
    consent = FileUrlField()

    class Meta:
        model = Viewing
        fields = [
            "id", "vacant_unit", "visitor_name", "visitor_phone", "consent_by", "consent",
            "accompanied_by", "viewed_at", "recorded_by",
        ]  # fmt: skip
        read_only_fields = fields


class ViewingBody(serializers.Serializer):
    visitor_name = serializers.CharField(max_length=50)
    visitor_phone = serializers.CharField(
        max_length=20, required=False, default="", allow_blank=True
    )
    consent_by = serializers.CharField(max_length=50)
    consent = serializers.FileField(required=False, allow_null=True, default=None)
    accompanied_by = serializers.IntegerField(required=False, allow_null=True, default=None)
    viewed_at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class VacantUnitViewSet(
    ServiceSaveMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    CommunityViewSet,
):
    """The register (VacantUnitFilter); register a unit (an owner's long absence: multipart
    with the written authorisation); its key, water and power; leave vacancy; a viewing."""

    model, view_perm = VacantUnit, "vacant.view_vacantunit"
    serializer_class, filterset_class = VacantUnitSerializer, filters.VacantUnitFilter
    related = ("unit",)
    ordering = ("unit__sort_key",)
    parser_classes = UPLOAD_PARSERS
    _upload: UploadedFile | None = None

    def model_data(self, serializer: Any) -> dict[str, Any]:
        data = dict(serializer.validated_data)
        self._upload = data.pop("authorisation", None)
        return data

    def save(self, obj: VacantUnit) -> VacantUnit:
        return services.register_vacancy(
            community=obj.community,
            unit=obj.unit,
            category=obj.category,
            since=obj.since,
            key=obj.key,
            water=obj.water,
            power=obj.power,
            notes=obj.notes,
            requested_by=obj.requested_by,
            authorisation=self._upload,
            entry_scope=obj.entry_scope,
            liability_waiver=obj.liability_waiver,
            by=_by(self.request),
        )

    @extend_schema(request=UpdateBody, responses=VacantUnitSerializer)
    def change(self, request: Request, pk: int) -> Response:
        vacancy = self.action_object("vacant.change_vacantunit")
        data = _body(request, UpdateBody)
        key = None
        if data["key"] is not None:
            key = Key.objects.filter(pk=data["key"], unit_id=vacancy.unit_id).first()
            if key is None:
                raise serializers.ValidationError({"key": [_key_message()]})
        vacancy = services.update_vacancy(
            vacancy=vacancy,
            key=key,
            water=data["water"],
            power=data["power"],
            notes=data["notes"],
            by=_by(request),
        )
        return Response(VacantUnitSerializer(vacancy, context={"request": request}).data)

    @extend_schema(request=LeaveBody, responses=VacantUnitSerializer)
    def leave(self, request: Request, pk: int) -> Response:
        vacancy = self.action_object("vacant.change_vacantunit")
        vacancy = services.leave_vacancy(
            vacancy=vacancy, by=_by(request), **_body(request, LeaveBody)
        )
        return Response(VacantUnitSerializer(vacancy, context={"request": request}).data)

    @extend_schema(request=ViewingBody, responses={201: ViewingSerializer})
    def viewing(self, request: Request, pk: int) -> Response:
        vacancy = self.action_object("vacant.add_viewing")
        data = _body(request, ViewingBody)
        staff = None
        if data["accompanied_by"] is not None:
            from guanjia.core.access import staff_holding

            staff = (
                staff_holding(
                    ["vacant.view_vacantunit"],
                    company_id=vacancy.community.company_id,
                    community_id=vacancy.community_id,
                )
                .filter(pk=data["accompanied_by"])
                .first()
            )
        data["accompanied_by"] = staff
        viewing = services.record_viewing(vacancy=vacancy, by=_by(request), **data)
        return Response(ViewingSerializer(viewing, context={"request": request}).data, status=201)


def _key_message() -> str:
    from django.utils.translation import gettext as _

    return _("Choose a key of this unit.")


@extend_schema(request=CommunityBody, responses={200: dict})
@api_view(["POST"])
def sync_view(request: Request) -> Response:
    """Enter every unit whose status makes it vacant; how many were added."""
    community = _community(request)
    return Response({"added": services.sync_from_units(community=community, by=_by(request))})


# --- Care tasks -------------------------------------------------------------------------------


class CareTaskSerializer(serializers.ModelSerializer):
    room_code = serializers.CharField(source="unit.room_code", read_only=True)

    class Meta:
        model = CareTask
        fields = [
            "id", "community", "vacant_unit", "unit", "room_code", "kind", "due_on", "storm",
            "done_at", "done_by", "cancelled_at",
        ]  # fmt: skip
        read_only_fields = fields


class CareTaskViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CommunityViewSet):
    """Tasks (CareTaskFilter: `?timing=due`, `?mine=true`, `?kind=storm`); tick one off."""

    model, view_perm = CareTask, "vacant.view_caretask"
    serializer_class, filterset_class = CareTaskSerializer, filters.CareTaskFilter
    related = ("unit",)
    ordering = ("due_on", "unit__sort_key")

    @extend_schema(request=None, responses=CareTaskSerializer)
    def done(self, request: Request, pk: int) -> Response:
        task = self.action_object("vacant.change_caretask")
        task = services.complete_task(task=task, by=_by(request))
        return Response(CareTaskSerializer(task).data)


@extend_schema(request=CommunityBody, responses={200: dict})
@api_view(["POST"])
def generate_view(request: Request) -> Response:
    """Plan the care tasks of one community now; how many were added (0 on a second run)."""
    community = _community(request)
    return Response({"added": services.generate_tasks(community=community, by=_by(request))})


class StormBody(serializers.Serializer):
    community = serializers.IntegerField()
    description = serializers.CharField(max_length=200)
    ended_at = serializers.DateTimeField()


@extend_schema(request=StormBody, responses={201: dict})
@api_view(["POST"])
def storm_view(request: Request) -> Response:
    """A storm is over: every vacant unit gets a check; how many were planned."""
    data = _body(request, StormBody)
    community = get_visible_or_404(Community.objects.all(), request.user, pk=data["community"])
    alert, added = services.enter_storm(
        community=community,
        description=data["description"],
        ended_at=data["ended_at"],
        by=_by(request),
    )
    return Response({"id": alert.pk, "check_by": alert.check_by, "added": added}, status=201)


# --- Inspections ------------------------------------------------------------------------------


class PhotoSerializer(serializers.ModelSerializer):
    image = FileUrlField()

    class Meta:
        model = InspectionPhoto
        fields = ["id", "image", "original_name"]
        read_only_fields = fields


class InspectionSerializer(serializers.ModelSerializer):
    room_code = serializers.CharField(source="unit.room_code", read_only=True)
    photos = PhotoSerializer(many=True, read_only=True)
    repair_number = serializers.CharField(source="repair.number", read_only=True, default="")
    meter_running = serializers.BooleanField(read_only=True)
    has_problem = serializers.BooleanField(read_only=True)

    class Meta:
        model = Inspection
        fields = [
            "id", "community", "vacant_unit", "unit", "room_code", "task", "inspected_at",
            "inspector", "doors_ok", "no_leaks", "no_damp", "fixtures_ok", "meters_still",
            "clean_ok", "ventilated", "problems", "has_problem", "meter_running", "repair",
            "repair_number", "owner_told", "photos",
        ]  # fmt: skip
        read_only_fields = fields


class InspectionBody(serializers.Serializer):
    """The checklist: true is as it should be. The service checks the rest."""

    unit = serializers.IntegerField()
    doors_ok = serializers.BooleanField()
    no_leaks = serializers.BooleanField()
    no_damp = serializers.BooleanField()
    fixtures_ok = serializers.BooleanField()
    meters_still = serializers.BooleanField()
    clean_ok = serializers.BooleanField()
    ventilated = serializers.BooleanField()
    problems = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)
    open_repair = serializers.BooleanField(required=False, default=False)
    repair_category = serializers.CharField(
        max_length=20, required=False, default="", allow_blank=True
    )
    photos = serializers.ListField(
        child=serializers.FileField(), required=False, default=list, max_length=20
    )


class InspectionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CommunityViewSet):
    """Inspections (InspectionFilter: `?problem=true`, `?meter_running=true`); record one
    for a unit (refused, 400 `not_vacant`, for a unit not in the register)."""

    model, view_perm = Inspection, "vacant.view_inspection"
    serializer_class, filterset_class = InspectionSerializer, filters.InspectionFilter
    related = ("unit", "repair")
    prefetch = ("photos",)
    ordering = ("-inspected_at",)
    parser_classes = UPLOAD_PARSERS

    @extend_schema(request=InspectionBody, responses={201: InspectionSerializer})
    def record(self, request: Request) -> Response:
        data = _body(request, InspectionBody)
        unit = get_visible_or_404(Unit.objects.all(), request.user, pk=data.pop("unit"))
        require_perm(request.user, "vacant.add_inspection", unit.community_id)
        vacancy = services.open_vacancy(unit)
        checklist = services.Checklist(
            **{name: data.pop(name) for name in services.Checklist.__dataclass_fields__}
        )
        inspection = services.record_inspection(
            vacancy=vacancy, checklist=checklist, by=_by(request), **data
        )
        inspection = Inspection.objects.select_related("unit", "repair").get(pk=inspection.pk)
        return Response(
            InspectionSerializer(inspection, context={"request": request}).data, status=201
        )


# --- KPIs -------------------------------------------------------------------------------------


class KpiQuery(serializers.Serializer):
    community = serializers.IntegerField()
    start = serializers.DateField()
    end = serializers.DateField()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        from django.utils.translation import gettext as _

        if not 0 <= (attrs["end"] - attrs["start"]).days < 366:
            raise serializers.ValidationError(
                _("Choose a period of one day to one year, start first.")
            )
        return attrs


@extend_schema(parameters=[KpiQuery], responses={200: dict})
@api_view(["GET"])
def kpis_view(request: Request) -> Response:
    """The KPIs of a period in one community, with their raw counts."""
    query = KpiQuery(data=request.query_params)
    query.is_valid(raise_exception=True)
    community = get_visible_or_404(
        Community.objects.all(), request.user, pk=query.validated_data["community"]
    )
    require_perm(request.user, "vacant.view_vacant_kpis", community)
    k = selectors.kpis(community, query.validated_data["start"], query.validated_data["end"])
    return Response(
        {
            "start": k.start,
            "end": k.end,
            "inspections_due": k.required,
            "inspections_done": k.done,
            "completion_rate": k.completion_rate,
            "inspections": k.inspections,
            "with_problem": k.problems,
            "problems_per_100": k.problems_per_100,
            "meters_running": k.meters_running,
            "keys_out_late": k.keys_out_late,
            "by_category": dict(k.by_category),
            "by_age": dict(k.by_age),
        }
    )


app_name = "vacant-api"
urlpatterns = [
    path(
        "units/",
        VacantUnitViewSet.as_view({"get": "list", "post": "create"}),
        name="unit-list",
    ),
    path("units/sync/", sync_view, name="unit-sync"),
    path("units/<int:pk>/", VacantUnitViewSet.as_view({"get": "retrieve"}), name="unit-detail"),
    path(
        "units/<int:pk>/change/", VacantUnitViewSet.as_view({"post": "change"}), name="unit-change"
    ),
    path("units/<int:pk>/leave/", VacantUnitViewSet.as_view({"post": "leave"}), name="unit-leave"),
    path(
        "units/<int:pk>/viewings/",
        VacantUnitViewSet.as_view({"post": "viewing"}),
        name="unit-viewing",
    ),
    path("tasks/", CareTaskViewSet.as_view({"get": "list"}), name="task-list"),
    path("tasks/generate/", generate_view, name="task-generate"),
    path("tasks/<int:pk>/", CareTaskViewSet.as_view({"get": "retrieve"}), name="task-detail"),
    path("tasks/<int:pk>/done/", CareTaskViewSet.as_view({"post": "done"}), name="task-done"),
    path("storms/", storm_view, name="storm-create"),
    path(
        "inspections/",
        InspectionViewSet.as_view({"get": "list", "post": "record"}),
        name="inspection-list",
    ),
    path(
        "inspections/<int:pk>/",
        InspectionViewSet.as_view({"get": "retrieve"}),
        name="inspection-detail",
    ),
    path("kpis/", kpis_view, name="kpis"),
]

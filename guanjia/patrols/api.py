"""The zone patrols API (/api/v1/patrols/): checkpoints, plans and their generation, patrols
with every step of the walk (start, scan, checklist, finding, photo, resident, submit), spot
checks, storm patrols, and findings with their action. Reads: the communities where the caller
holds the view permission (another community's row: 404). Writes: the pages' services
(ValidationError -> 400 by field, PermissionDenied -> 403)."""

from __future__ import annotations

from typing import Any, cast

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from guanjia.core.access import User, get_visible_or_404, require_perm
from guanjia.core.api import UPLOAD_PARSERS, CommunityViewSet
from guanjia.core.files.api import FileUrlField
from guanjia.core.models import Community
from guanjia.estates.models import Building, Unit, Zone

from . import services
from .filters import CheckpointFilter, FindingFilter, PatrolFilter, PlanFilter
from .models import (
    Checkpoint,
    CheckpointResult,
    Finding,
    FindingPhoto,
    Patrol,
    PatrolPlan,
    PlanTemplate,
)


def _user(request: Request) -> User:
    return cast(User, request.user)


def _body(request: Request, serializer_class: type[serializers.Serializer]) -> dict[str, Any]:
    body = serializer_class(data=request.data)
    body.is_valid(raise_exception=True)
    return dict(body.validated_data)


def _visible(model: Any, request: Request, pk: int | None) -> Any:
    if pk is None:
        return None
    return get_visible_or_404(model._default_manager.all(), request.user, pk=pk)


# ---- checkpoints ---------------------------------------------------------------------------


class CheckpointSerializer(serializers.ModelSerializer):
    class Meta:
        model = Checkpoint
        fields = ["id", "community", "zone", "building", "kind", "name", "code", "is_active"]
        read_only_fields = fields


class NewCheckpointSerializer(serializers.Serializer):
    community = serializers.IntegerField()
    zone = serializers.IntegerField()
    kind = serializers.CharField(max_length=20)
    name = serializers.CharField(max_length=60)
    building = serializers.IntegerField(required=False, allow_null=True)


class CheckpointViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CommunityViewSet):
    model, view_perm = Checkpoint, "patrols.view_checkpoint"
    serializer_class, filterset_class = CheckpointSerializer, CheckpointFilter
    related = ("zone",)

    @extend_schema(request=NewCheckpointSerializer, responses=CheckpointSerializer)
    def create(self, request: Request) -> Response:
        """A new checkpoint of a zone (its label code is drawn by the service)."""
        body = _body(request, NewCheckpointSerializer)
        community = _visible(Community, request, body["community"])
        require_perm(request.user, "patrols.add_checkpoint", community)
        data = services.CheckpointData(
            zone=_visible(Zone, request, body["zone"]),
            kind=body["kind"],
            name=body["name"],
            building=_visible(Building, request, body.get("building")),
        )
        made = services.create_checkpoint(community=community, data=data, by=_user(request))
        return Response(CheckpointSerializer(made).data, status=201)


# ---- plans ---------------------------------------------------------------------------------


class PlanSerializer(serializers.ModelSerializer):
    route = serializers.SerializerMethodField()

    class Meta:
        model = PatrolPlan
        fields = [
            "id",
            "community",
            "zone",
            "month",
            "per_day",
            "full_inspection_days",
            "focus",
            "written_by",
            "route",
        ]
        read_only_fields = fields

    def get_route(self, plan: PatrolPlan) -> list[int]:
        return [stop.checkpoint_id for stop in plan.stops.all()]


class NewPlanSerializer(serializers.Serializer):
    community = serializers.IntegerField()
    zone = serializers.IntegerField()
    month = serializers.DateField()
    template = serializers.IntegerField(required=False, allow_null=True)
    per_day = serializers.IntegerField(required=False, allow_null=True)
    focus = serializers.CharField(max_length=300, required=False, allow_blank=True)


class GeneratePatrolsSerializer(serializers.Serializer):
    community = serializers.IntegerField()
    month = serializers.DateField()


class PlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CommunityViewSet):
    model, view_perm = PatrolPlan, "patrols.view_patrolplan"
    serializer_class, filterset_class = PlanSerializer, PlanFilter
    prefetch = ("stops",)

    @extend_schema(request=NewPlanSerializer, responses=PlanSerializer)
    def create(self, request: Request) -> Response:
        """Next month's plan of a zone, from a template or the policies."""
        body = _body(request, NewPlanSerializer)
        community = _visible(Community, request, body["community"])
        require_perm(request.user, "patrols.add_patrolplan", community)
        data = services.PlanData(
            zone=_visible(Zone, request, body["zone"]),
            month=body["month"],
            template=_visible(PlanTemplate, request, body.get("template")),
            per_day=body.get("per_day"),
            focus=body.get("focus", ""),
        )
        plan = services.write_plan(community=community, data=data, by=_user(request))
        return Response(PlanSerializer(plan).data, status=201)

    @extend_schema(request=GeneratePatrolsSerializer, responses={200: dict})
    @action(detail=False, methods=["post"])
    def generate(self, request: Request) -> Response:
        """The month's planned patrols (a second run adds nothing)."""
        body = _body(request, GeneratePatrolsSerializer)
        community = _visible(Community, request, body["community"])
        added = services.generate_month(community=community, month=body["month"], by=_user(request))
        return Response({"added": added})


# ---- patrols -------------------------------------------------------------------------------


class PatrolSerializer(serializers.ModelSerializer):
    class Meta:
        model = Patrol
        fields = [
            "id",
            "community",
            "zone",
            "plan",
            "kind",
            "day",
            "round",
            "patroller",
            "status",
            "started_at",
            "submitted_at",
            "missed_reason",
            "reason",
            "remarks",
        ]
        read_only_fields = fields


class ResultSerializer(serializers.ModelSerializer):
    items = serializers.SerializerMethodField()

    class Meta:
        model = CheckpointResult
        fields = ["id", "checkpoint", "scanned_at", "typed", "issues", "items"]
        read_only_fields = fields

    def get_items(self, result: CheckpointResult) -> list[dict[str, Any]]:
        return [{"item": i.item_id, "ok": i.ok} for i in result.items.all()]


class PatrolDetailSerializer(PatrolSerializer):
    route = serializers.SerializerMethodField()
    results = serializers.SerializerMethodField()

    class Meta(PatrolSerializer.Meta):
        fields = [*PatrolSerializer.Meta.fields, "route", "results"]
        read_only_fields = fields

    def get_route(self, patrol: Patrol) -> list[dict[str, Any]]:
        return [
            {"checkpoint": cp.pk, "name": cp.name, "kind": cp.kind} for cp in services.route(patrol)
        ]

    def get_results(self, patrol: Patrol) -> list[dict[str, Any]]:
        rows = patrol.results.prefetch_related("items")
        return list(ResultSerializer(rows, many=True).data)


class ScanSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=300)


class ChecklistLineSerializer(serializers.Serializer):
    item = serializers.IntegerField()
    ok = serializers.BooleanField()
    issue = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class ItemsSerializer(serializers.Serializer):
    lines = ChecklistLineSerializer(many=True)


class NewFindingSerializer(serializers.Serializer):
    description = serializers.CharField(max_length=2000, allow_blank=True)
    location = serializers.CharField(max_length=100, required=False, allow_blank=True)
    unit = serializers.IntegerField(required=False, allow_null=True)
    checkpoint = serializers.IntegerField(required=False, allow_null=True)


class TalkSerializer(serializers.Serializer):
    said = serializers.CharField(max_length=1000, allow_blank=True)
    name = serializers.CharField(max_length=50, required=False, allow_blank=True)


class PatrolNoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class SpotCheckSerializer(serializers.Serializer):
    agrees = serializers.BooleanField()
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True)


class StormSerializer(serializers.Serializer):
    community = serializers.IntegerField()
    reason = serializers.CharField(max_length=300, allow_blank=True)


class PatrolViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CommunityViewSet):
    model, view_perm = Patrol, "patrols.view_patrol"
    serializer_class, filterset_class = PatrolSerializer, PatrolFilter
    related = ("zone", "plan")

    def get_serializer_class(self) -> Any:
        return PatrolDetailSerializer if self.action != "list" else PatrolSerializer

    def _patrol(self) -> Patrol:
        return cast(Patrol, self.action_object("patrols.view_patrol"))

    def _answer(self, patrol: Patrol) -> Response:
        patrol.refresh_from_db()
        return Response(PatrolDetailSerializer(patrol).data)

    @extend_schema(request=None, responses=PatrolDetailSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request: Request, pk: str) -> Response:
        patrol = self._patrol()
        services.start_patrol(patrol=patrol, by=_user(request))
        return self._answer(patrol)

    @extend_schema(request=ScanSerializer, responses=ResultSerializer)
    @action(detail=True, methods=["post"])
    def scan(self, request: Request, pk: str) -> Response:
        """A checkpoint's label (the QR's text, or the code typed)."""
        patrol = self._patrol()
        body = _body(request, ScanSerializer)
        result = services.scan_checkpoint(patrol=patrol, code=body["code"], by=_user(request))
        return Response(ResultSerializer(result).data, status=201)

    @extend_schema(request=ItemsSerializer, responses=ResultSerializer)
    @action(detail=True, methods=["post"], url_path=r"results/(?P<result>\d+)/items")
    def items(self, request: Request, pk: str, result: str) -> Response:
        """OK or issue for each checklist line of a scanned checkpoint."""
        patrol = self._patrol()
        row = get_visible_or_404(
            CheckpointResult.objects.filter(patrol=patrol).select_related("checkpoint"),
            request.user,
            pk=int(result),
        )
        body = _body(request, ItemsSerializer)
        answers = {line["item"]: line["ok"] for line in body["lines"]}
        issues = {line["item"]: line.get("issue", "") for line in body["lines"]}
        services.record_items(result=row, answers=answers, issues=issues, by=_user(request))
        row.refresh_from_db()
        return Response(ResultSerializer(row).data)

    @extend_schema(request=NewFindingSerializer, responses={201: dict})
    @action(detail=True, methods=["post"])
    def findings(self, request: Request, pk: str) -> Response:
        """An issue seen on the way."""
        patrol = self._patrol()
        body = _body(request, NewFindingSerializer)
        finding = services.add_finding(
            patrol=patrol,
            description=body["description"],
            location=body.get("location", ""),
            unit=_visible(Unit, request, body.get("unit")),
            checkpoint=_visible(Checkpoint, request, body.get("checkpoint")),
            by=_user(request),
        )
        return Response(FindingSerializer(finding).data, status=201)

    @extend_schema(request=TalkSerializer, responses={201: dict})
    @action(detail=True, methods=["post"])
    def talks(self, request: Request, pk: str) -> Response:
        """A resident met and what they said."""
        patrol = self._patrol()
        body = _body(request, TalkSerializer)
        talk = services.add_talk(
            patrol=patrol, said=body["said"], name=body.get("name", ""), by=_user(request)
        )
        return Response({"id": talk.pk}, status=201)

    @extend_schema(request=PatrolNoteSerializer, responses=PatrolDetailSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        patrol = self._patrol()
        body = _body(request, PatrolNoteSerializer)
        services.submit_patrol(patrol=patrol, note=body.get("note", ""), by=_user(request))
        return self._answer(patrol)

    @extend_schema(request=SpotCheckSerializer, responses={201: dict})
    @action(detail=True, methods=["post"], url_path="spot-check")
    def spot_check(self, request: Request, pk: str) -> Response:
        patrol = self._patrol()
        body = _body(request, SpotCheckSerializer)
        check = services.spot_check(
            patrol=patrol, agrees=body["agrees"], note=body.get("note", ""), by=_user(request)
        )
        return Response({"id": check.pk}, status=201)

    @extend_schema(request=StormSerializer, responses=PatrolSerializer(many=True))
    @action(detail=False, methods=["post"])
    def storm(self, request: Request) -> Response:
        """Special patrols of every zone today after a storm alert."""
        body = _body(request, StormSerializer)
        community = _visible(Community, request, body["community"])
        made = services.storm_patrols(community=community, reason=body["reason"], by=_user(request))
        return Response(PatrolSerializer(made, many=True).data, status=201)


# ---- findings ------------------------------------------------------------------------------


class PhotoSerializer(serializers.ModelSerializer):
    image = FileUrlField()

    class Meta:
        model = FindingPhoto
        fields = ["id", "image", "original_name"]
        read_only_fields = fields


class FindingSerializer(serializers.ModelSerializer):
    photos = PhotoSerializer(many=True, read_only=True)

    class Meta:
        model = Finding
        fields = [
            "id",
            "community",
            "patrol",
            "zone",
            "checkpoint",
            "item",
            "unit",
            "origin",
            "location",
            "description",
            "found_on",
            "found_by",
            "status",
            "action_kind",
            "action_ref",
            "action_id",
            "closed_on",
            "photos",
        ]
        read_only_fields = fields


class ActionSerializer(serializers.Serializer):
    kind = serializers.CharField(max_length=20)
    category = serializers.CharField(max_length=20, required=False, allow_blank=True)
    urgency = serializers.CharField(max_length=20, required=False, allow_blank=True)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class FindingNoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class UploadSerializer(serializers.Serializer):
    image = serializers.FileField()


class FindingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CommunityViewSet):
    model, view_perm = Finding, "patrols.view_finding"
    serializer_class, filterset_class = FindingSerializer, FindingFilter
    prefetch = ("photos",)
    parser_classes = UPLOAD_PARSERS

    def _finding(self) -> Finding:
        return cast(Finding, self.action_object("patrols.change_finding"))

    def _answer(self, finding: Finding) -> Response:
        finding.refresh_from_db()
        return Response(FindingSerializer(finding).data)

    @extend_schema(request=ActionSerializer, responses=FindingSerializer)
    @action(detail=True, methods=["post"], url_path="action")
    def take_action(self, request: Request, pk: str) -> Response:
        """The finding becomes an action in one step (repair, note, fixed on the spot...)."""
        finding = self._finding()
        body = _body(request, ActionSerializer)
        services.take_action(finding=finding, kind=body["kind"], data=body, by=_user(request))
        return self._answer(finding)

    @extend_schema(request=FindingNoteSerializer, responses=FindingSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        finding = self._finding()
        body = _body(request, FindingNoteSerializer)
        services.close_finding(finding=finding, note=body.get("note", ""), by=_user(request))
        return self._answer(finding)

    @extend_schema(request={"multipart/form-data": UploadSerializer}, responses=PhotoSerializer)
    @action(detail=True, methods=["post"])
    def photos(self, request: Request, pk: str) -> Response:
        finding = cast(Finding, self.action_object("patrols.view_finding"))
        body = _body(request, UploadSerializer)
        photo = services.add_photo(finding=finding, upload=body["image"], by=_user(request))
        return Response(PhotoSerializer(photo).data, status=201)


router = SimpleRouter()
router.register("checkpoints", CheckpointViewSet, basename="checkpoint")
router.register("plans", PlanViewSet, basename="plan")
router.register("patrols", PatrolViewSet, basename="patrol")
router.register("findings", FindingViewSet, basename="finding")

app_name = "patrols-api"
urlpatterns = [*router.urls]

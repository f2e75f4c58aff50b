"""The appraisal API (/api/v1/appraisal/): monthly scores (list, one with its lines and
evidence and its adjustments, adjust, compute a month as a job), appraisals (list, open a
period or a probation review, one, each step of the workflow) and the reports. Reads:
managers see their communities' rows, every employee their own; writes call the same
services as the pages (ValidationError → 400, authority → 403, another community's row →
404)."""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth import get_user_model
from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import api_view
from rest_framework.exceptions import NotFound
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from guanjia.core.access import User, get_access, get_visible_or_404, require_perm
from guanjia.core.api import CommunityViewSet
from guanjia.core.models import Community

from . import selectors, services
from .filters import AppraisalFilter, MonthField, ScoreFilter
from .models import Appraisal, Kind, MonthlyScore, ProbationOutcome, ScoreAdjustment, ScoreLine
from .views import STEP_FORMS, perform_step

OWN = "appraisal.view_own_appraisal"
BIGGEST = 2**63 - 1


def _user(request: Request) -> User:
    return cast(User, request.user)


def _body(serializer_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:
    body = serializer_class(data=data)
    body.is_valid(raise_exception=True)
    return dict(body.validated_data)


class ManagerOrOwn(BasePermission):
    """A manager's permission somewhere, or one's own (the rows then narrow)."""

    def has_permission(self, request: Any, view: Any) -> bool:
        access = get_access(request.user)
        return access.has_perm(view.view_perm, None) or access.has_perm(OWN, None)


class LineSerializer(serializers.ModelSerializer):
    class Meta:
        model = ScoreLine
        fields = [
            "measure",
            "label",
            "source",
            "weight",
            "numerator",
            "denominator",
            "achievement",
            "points",
            "lost",
            "formula",
            "evidence",
        ]
        read_only_fields = fields


class AdjustmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = ScoreAdjustment
        fields = ["id", "by", "created_at", "points", "reason", "total_before", "total_after"]
        read_only_fields = fields


class ScoreSerializer(serializers.ModelSerializer):
    class Meta:
        model = MonthlyScore
        fields = [
            "id",
            "community",
            "employee",
            "month",
            "role",
            "days",
            "computed",
            "adjustment",
            "total",
            "grade",
            "computed_at",
        ]
        read_only_fields = fields


class ScoreDetailSerializer(ScoreSerializer):
    lines = LineSerializer(many=True, read_only=True)
    adjustments = AdjustmentSerializer(many=True, read_only=True)

    class Meta(ScoreSerializer.Meta):
        fields = [*ScoreSerializer.Meta.fields, "lines", "adjustments"]
        read_only_fields = fields


class AdjustBodySerializer(serializers.Serializer):
    points = serializers.DecimalField(max_digits=5, decimal_places=2)
    reason = serializers.CharField(max_length=500)


class ComputeBodySerializer(serializers.Serializer):
    community = serializers.IntegerField(min_value=1, max_value=BIGGEST)
    month = serializers.RegexField(r"^\d{4}-\d{2}$", max_length=7)


class JobAnswerSerializer(serializers.Serializer):
    job = serializers.IntegerField()
    status = serializers.CharField()


class ScoreViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CommunityViewSet):
    model = MonthlyScore
    view_perm = "appraisal.view_monthlyscore"
    permission_classes = [ManagerOrOwn]
    serializer_class = ScoreSerializer
    filterset_class = ScoreFilter

    def get_queryset(self) -> Any:
        rows = MonthlyScore.objects.visible_to(self.request.user).order_by("-month", "pk")
        if self.action == "retrieve":
            return rows.prefetch_related("lines", "adjustments")
        return rows

    def get_serializer_class(self) -> Any:
        return ScoreDetailSerializer if self.action == "retrieve" else ScoreSerializer

    @extend_schema(request=AdjustBodySerializer, responses=ScoreDetailSerializer)
    def adjust(self, request: Request, pk: str) -> Response:
        score = self.get_object()
        body = _body(AdjustBodySerializer, request.data)
        services.adjust_score(score=score, by=_user(request), **body)
        fresh = MonthlyScore.objects.prefetch_related("lines", "adjustments").get(pk=score.pk)
        return Response(ScoreDetailSerializer(fresh).data)

    @extend_schema(request=ComputeBodySerializer, responses={202: JobAnswerSerializer})
    def compute(self, request: Request) -> Response:
        body = _body(ComputeBodySerializer, request.data)
        month = _month(body["month"])
        community = get_visible_or_404(Community.objects.all(), request.user, pk=body["community"])
        run = services.start_month(community=community, month=month, by=_user(request))
        return Response({"job": run.pk, "status": run.status}, status=202)


def _month(raw: str) -> Any:
    from django.core.exceptions import ValidationError

    try:
        return MonthField().clean(raw)
    except ValidationError as exc:
        raise serializers.ValidationError({"month": exc.messages}) from exc


class AppraisalSerializer(serializers.ModelSerializer):
    class Meta:
        model = Appraisal
        fields = [
            "id",
            "community",
            "employee",
            "role",
            "kind",
            "period_start",
            "period_end",
            "status",
            "base_score",
            "parts",
            "self_assessment",
            "disputed_with",
            "dispute_reason",
            "rater",
            "score",
            "score_reason",
            "grade",
            "strengths",
            "improvements",
            "training_needs",
            "probation_outcome",
            "probation_until",
            "reviewer",
            "confirmed_by",
            "published_on",
            "appeal_until",
            "appeal_grounds",
            "appeal_result",
        ]
        read_only_fields = fields


class OpenBodySerializer(serializers.Serializer):
    community = serializers.IntegerField(min_value=1, max_value=BIGGEST)
    kind = serializers.ChoiceField(choices=[Kind.QUARTER, Kind.YEAR])
    day = serializers.DateField()


class ProbationBodySerializer(serializers.Serializer):
    community = serializers.IntegerField(min_value=1, max_value=BIGGEST)
    employee = serializers.IntegerField(min_value=1, max_value=BIGGEST)
    start = serializers.DateField()
    end = serializers.DateField()


class StepBodySerializer(serializers.Serializer):
    """Every step's fields (the service says which one it needs)."""

    text = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    rater = serializers.IntegerField(min_value=1, max_value=BIGGEST, required=False)
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True)
    score = serializers.DecimalField(
        max_digits=5, decimal_places=2, required=False, allow_null=True
    )
    score_reason = serializers.CharField(max_length=500, required=False, allow_blank=True)
    strengths = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    improvements = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    training_needs = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    probation_outcome = serializers.ChoiceField(
        choices=[("", ""), *ProbationOutcome.choices], required=False
    )
    probation_until = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    grounds = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    result = serializers.CharField(max_length=2000, required=False, allow_blank=True)


def _staff(pk: int, field: str) -> Any:
    found = get_user_model().objects.filter(pk=pk).first()
    if found is None:
        raise serializers.ValidationError({field: ["No such employee."]})
    return found


def _step_data(step: str, body: dict[str, Any]) -> dict[str, Any]:
    if step == "rate":
        if body.get("score") is None:
            raise serializers.ValidationError({"score": ["Enter a score from 0 to 100."]})
        keys = (
            "score",
            "score_reason",
            "strengths",
            "improvements",
            "training_needs",
            "probation_outcome",
            "probation_until",
        )
        return {k: body.get(k, "" if k != "probation_until" else None) for k in keys}
    if step == "dispute":
        if "rater" not in body:
            raise serializers.ValidationError({"rater": ["Name the rater."]})
        return {"rater": _staff(body["rater"], "rater"), "reason": body.get("reason", "")}
    return {k: body.get(k, "") for k in ("text", "note", "grounds", "result")} | {
        "score": body.get("score")
    }


class AppraisalViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CommunityViewSet):
    model = Appraisal
    view_perm = "appraisal.view_appraisal"
    permission_classes = [ManagerOrOwn]
    serializer_class = AppraisalSerializer
    filterset_class = AppraisalFilter

    def get_queryset(self) -> Any:
        return Appraisal.objects.visible_to(self.request.user).order_by("-period_end", "pk")

    @extend_schema(request=OpenBodySerializer, responses={201: AppraisalSerializer(many=True)})
    def open(self, request: Request) -> Response:
        body = _body(OpenBodySerializer, request.data)
        community = get_visible_or_404(Community.objects.all(), request.user, pk=body["community"])
        opened = services.open_period(
            community=community, kind=body["kind"], day=body["day"], by=_user(request)
        )
        return Response(AppraisalSerializer(opened, many=True).data, status=201)

    @extend_schema(request=ProbationBodySerializer, responses={201: AppraisalSerializer})
    def probation(self, request: Request) -> Response:
        body = _body(ProbationBodySerializer, request.data)
        community = get_visible_or_404(Community.objects.all(), request.user, pk=body["community"])
        opened = services.open_probation(
            community=community,
            employee=_staff(body["employee"], "employee"),
            start=body["start"],
            end=body["end"],
            by=_user(request),
        )
        return Response(AppraisalSerializer(opened).data, status=201)

    @extend_schema(
        request=StepBodySerializer,
        responses=AppraisalSerializer,
        operation_id="v1_appraisal_appraisals_step",
    )
    def step(self, request: Request, pk: str, step: str) -> Response:
        """One step: self-assess, dispute, rate, review, confirm, publish, appeal, resolve,
        close."""
        if step not in STEP_FORMS:
            raise NotFound
        appraisal = self.get_object()
        body = _body(StepBodySerializer, request.data)
        perform_step(step, appraisal, _step_data(step, body), _user(request))
        return Response(AppraisalSerializer(Appraisal.objects.get(pk=appraisal.pk)).data)


class ReportQuerySerializer(serializers.Serializer):
    month = serializers.RegexField(r"^\d{4}-\d{2}$", max_length=7, required=False)


class TeamGradesSerializer(serializers.Serializer):
    role = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a field named label
    counts = serializers.DictField(child=serializers.IntegerField())
    size = serializers.IntegerField()
    average = serializers.DecimalField(max_digits=5, decimal_places=1)


class BelowSerializer(serializers.Serializer):
    employee_id = serializers.IntegerField()
    name = serializers.CharField()
    role = serializers.CharField()
    previous = serializers.DecimalField(max_digits=5, decimal_places=2)
    current = serializers.DecimalField(max_digits=5, decimal_places=2)


class ReportSerializer(serializers.Serializer):
    teams = TeamGradesSerializer(many=True)
    below = BelowSerializer(many=True)


@extend_schema(parameters=[ReportQuerySerializer], responses=ReportSerializer)
@api_view(["GET"])
def report_view(request: Request, community_id: int) -> Response:
    """The month's (`?month=YYYY-MM`, this month by default) grade distribution per team and
    the staff below the threshold two months running, of one community."""
    query = _body(ReportQuerySerializer, request.query_params)
    month = _month(query.get("month") or f"{timezone.localdate():%Y-%m}")
    community = get_visible_or_404(Community.objects.all(), request.user, pk=community_id)
    require_perm(request.user, "appraisal.view_monthlyscore", community)
    data = {
        "teams": selectors.grade_distribution(community, month),
        "below": selectors.below_two_months(community, month),
    }
    return Response(ReportSerializer(data).data)


app_name = "appraisal-api"
urlpatterns = [
    path("scores/", ScoreViewSet.as_view({"get": "list"}), name="score-list"),
    path("scores/compute/", ScoreViewSet.as_view({"post": "compute"}), name="score-compute"),
    path("scores/<int:pk>/", ScoreViewSet.as_view({"get": "retrieve"}), name="score-detail"),
    path("scores/<int:pk>/adjust/", ScoreViewSet.as_view({"post": "adjust"}), name="score-adjust"),
    path("appraisals/", AppraisalViewSet.as_view({"get": "list"}), name="appraisal-list"),
    path("appraisals/open/", AppraisalViewSet.as_view({"post": "open"}), name="appraisal-open"),
    path(
        "appraisals/probation/",
        AppraisalViewSet.as_view({"post": "probation"}),
        name="probation-open",
    ),
    path(
        "appraisals/<int:pk>/",
        AppraisalViewSet.as_view({"get": "retrieve"}),
        name="appraisal-detail",
    ),
    path(
        "appraisals/<int:pk>/<slug:step>/",
        AppraisalViewSet.as_view({"post": "step"}),
        name="appraisal-step",
    ),
    path("reports/<int:community_id>/", report_view, name="reports"),
]

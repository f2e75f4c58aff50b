"""Visits API under /api/v1/visits/: the list (the page's filter), one visit, recording its
answers or an attempt, the review, and "generate now". Reads: the communities where the caller
holds visits.view_visit (else 404; nowhere: 403). Writes: the same services as the pages
(ValidationError -> 400, authority -> 403)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action, api_view
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from guanjia.core.access import get_visible_or_404, request_user, require_perm
from guanjia.core.api import CommunityViewSet
from guanjia.core.models import Community
from guanjia.estates.models import Unit, Zone

from . import services
from .filters import VisitFilter
from .models import Questionnaire, RoutinePlan, SurveyQuestion, Visit
from .selectors import survey_results, visit_kpis
from .services.recording import Answers
from .services.surveys import Question, create_questionnaire, enter_survey, send_survey


class VisitSerializer(serializers.ModelSerializer):
    ticket_number = serializers.CharField(read_only=True)

    class Meta:
        model = Visit
        fields = [
            "id",
            "community",
            "kind",
            "complaint",
            "repair",
            "request",
            "ticket_number",
            "round",
            "unit",
            "person_name",
            "by_director",
            "due_on",
            "status",
            "method",
            "visitor",
            "visited_at",
            "quality",
            "timeliness",
            "attitude",
            "conduct",
            "satisfaction",
            "comments",
            "new_complaint",
            "rework",
            "assignee",
            "purpose",
            "plan",
            "survey_response",
            "reviewed_by",
            "reviewed_at",
            "review_note",
        ]
        read_only_fields = fields


class AnswersSerializer(serializers.Serializer):
    """The service checks the values (one rule, one message, pages and API alike)."""

    method = serializers.CharField(max_length=20)
    quality = serializers.CharField(max_length=20)
    timeliness = serializers.CharField(max_length=20)
    attitude = serializers.CharField(max_length=20)
    conduct = serializers.CharField(max_length=20)
    satisfaction = serializers.CharField(max_length=20)
    comments = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    signature = serializers.CharField(max_length=500_000, required=False, allow_blank=True)


class AttemptSerializer(serializers.Serializer):
    outcome = serializers.CharField(max_length=20)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class VisitNoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class GenerateSerializer(serializers.Serializer):
    community = serializers.IntegerField()


class VisitViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CommunityViewSet):
    model, view_perm = Visit, "visits.view_visit"
    serializer_class = VisitSerializer
    filterset_class = VisitFilter
    related = ("complaint", "repair", "request")
    ordering = ("due_on",)

    def _body(self, serializer_class: type[serializers.Serializer]) -> dict[str, Any]:
        body = serializer_class(data=self.request.data)
        body.is_valid(raise_exception=True)
        return dict(body.validated_data)

    def _answer(self, visit: Visit) -> Response:
        visit.refresh_from_db()
        return Response(VisitSerializer(visit).data)

    @extend_schema(request=AnswersSerializer, responses=VisitSerializer)
    @action(detail=True, methods=["post"])
    def record(self, request: Request, pk: str) -> Response:
        """The resident's answers (a dissatisfied one reopens the ticket)."""
        visit = self.get_object()
        answers = Answers(**self._body(AnswersSerializer))
        services.record_visit(visit=visit, answers=answers, by=request_user(request))
        return self._answer(visit)

    @extend_schema(request=AttemptSerializer, responses=VisitSerializer)
    @action(detail=True, methods=["post"])
    def attempt(self, request: Request, pk: str) -> Response:
        """A try that did not reach the resident."""
        visit = self.get_object()
        body = self._body(AttemptSerializer)
        services.record_attempt(
            visit=visit,
            outcome=body["outcome"],
            note=body.get("note", ""),
            by=request_user(request),
        )
        return self._answer(visit)

    @extend_schema(request=VisitNoteSerializer, responses=VisitSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request: Request, pk: str) -> Response:
        """The supervisor's review."""
        visit = self.get_object()
        body = self._body(VisitNoteSerializer)
        services.review_visit(visit=visit, note=body.get("note", ""), by=request_user(request))
        return self._answer(visit)

    @extend_schema(request=GenerateSerializer, responses={200: dict})
    def generate(self, request: Request) -> Response:
        """Generate the visits the rules owe in one community now; counts by type."""
        community = get_visible_or_404(
            Community.objects.all(), request.user, pk=self._body(GenerateSerializer)["community"]
        )
        return Response(services.generate_visits(community=community, by=request_user(request)))


# --- routine plans and visits planned by hand -------------------------------------------------


class RoutinePlanSerializer(serializers.ModelSerializer):
    zone_name = serializers.CharField(source="zone.name", read_only=True)

    class Meta:
        model = RoutinePlan
        fields = ["id", "community", "zone", "zone_name", "year", "note", "created_by"]
        read_only_fields = fields


class PlanBodySerializer(serializers.Serializer):
    community = serializers.IntegerField()
    zone = serializers.IntegerField()
    year = serializers.IntegerField()
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class PlannedBodySerializer(serializers.Serializer):
    community = serializers.IntegerField()
    kind = serializers.CharField(max_length=20)
    unit = serializers.IntegerField()
    due_on = serializers.DateField()
    purpose = serializers.CharField(max_length=500, required=False, allow_blank=True)
    assignee = serializers.IntegerField(required=False, allow_null=True)


def _community(request: Request, pk: int) -> Community:
    community: Community = get_visible_or_404(Community.objects.all(), request.user, pk=pk)
    return community


def _body(request: Request, serializer_class: type[serializers.Serializer]) -> dict[str, Any]:
    body = serializer_class(data=request.data)
    body.is_valid(raise_exception=True)
    return dict(body.validated_data)


class RoutinePlanViewSet(mixins.ListModelMixin, CommunityViewSet):
    model, view_perm = RoutinePlan, "visits.view_visit"
    serializer_class = RoutinePlanSerializer
    related = ("zone",)

    @extend_schema(request=PlanBodySerializer, responses={201: RoutinePlanSerializer})
    def create(self, request: Request) -> Response:
        """A zone's routine plan for a year."""
        body = _body(request, PlanBodySerializer)
        community = _community(request, body["community"])
        zone = Zone.objects.filter(pk=body["zone"]).first()
        if zone is None or zone.community_id != community.pk:
            raise serializers.ValidationError({"zone": _("Choose a zone of this community.")})
        plan = services.create_routine_plan(
            community=community,
            zone=zone,
            year=body["year"],
            note=body.get("note", ""),
            by=request_user(request),
        )
        return Response(RoutinePlanSerializer(plan).data, status=201)


@extend_schema(request=PlannedBodySerializer, responses={201: VisitSerializer})
@api_view(["POST"])
def plan_visit(request: Request) -> Response:
    """A special service's visit or the supervisor's own visit to a household."""
    body = _body(request, PlannedBodySerializer)
    community = _community(request, body["community"])
    unit = Unit.objects.filter(pk=body["unit"], community=community).first()
    assignee = None
    if body.get("assignee"):
        assignee = get_user_model().objects.filter(pk=body["assignee"], is_active=True).first()
        if assignee is None:
            raise serializers.ValidationError({"assignee": _("No such person.")})
    planned = services.Planned(
        kind=body["kind"],
        unit=unit,
        due_on=body["due_on"],
        purpose=body.get("purpose", ""),
        assignee=assignee,
    )
    visit = services.plan_visit(community=community, planned=planned, by=request_user(request))
    return Response(VisitSerializer(visit).data, status=201)


# --- the satisfaction survey --------------------------------------------------------------


class QuestionSerializer(serializers.ModelSerializer):
    class Meta:
        model = SurveyQuestion
        fields = ["id", "position", "text", "weight"]
        read_only_fields = fields


class QuestionnaireSerializer(serializers.ModelSerializer):
    questions = QuestionSerializer(many=True, read_only=True)

    class Meta:
        model = Questionnaire
        fields = ["id", "community", "title", "year", "intro", "sent_at", "expires_at", "questions"]
        read_only_fields = fields


class QuestionBodySerializer(serializers.Serializer):
    text = serializers.CharField(max_length=200)
    weight = serializers.IntegerField()


class QuestionnaireBodySerializer(serializers.Serializer):
    community = serializers.IntegerField()
    title = serializers.CharField(max_length=100)
    year = serializers.IntegerField()
    intro = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    questions = QuestionBodySerializer(many=True)


class SendBodySerializer(serializers.Serializer):
    channel = serializers.CharField(max_length=10)


class EnterBodySerializer(serializers.Serializer):
    unit = serializers.IntegerField()
    answers = serializers.DictField(child=serializers.CharField(max_length=20))
    comments = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class CountsSerializer(serializers.Serializer):
    name = serializers.CharField(source="label")
    weight = serializers.IntegerField()
    satisfied = serializers.IntegerField()
    fairly = serializers.IntegerField()
    dissatisfied = serializers.IntegerField()
    answered = serializers.IntegerField()


class ResultsSerializer(serializers.Serializer):
    invited = serializers.IntegerField()
    answered = serializers.IntegerField()
    weighted_satisfied = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    weighted_satisfied_or_fairly = serializers.DecimalField(
        max_digits=5, decimal_places=1, allow_null=True
    )
    by_question = CountsSerializer(many=True)
    by_building = CountsSerializer(many=True)
    by_zone = CountsSerializer(many=True)


class QuestionnaireViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CommunityViewSet):
    model, view_perm = Questionnaire, "visits.view_visit"
    serializer_class = QuestionnaireSerializer
    prefetch = ("questions",)

    @extend_schema(request=QuestionnaireBodySerializer, responses={201: QuestionnaireSerializer})
    def create(self, request: Request) -> Response:
        """A survey with its questions (the weights add up to 100)."""
        body = _body(request, QuestionnaireBodySerializer)
        survey = create_questionnaire(
            community=_community(request, body["community"]),
            title=body["title"],
            year=body["year"],
            intro=body.get("intro", ""),
            questions=[Question(q["text"], q["weight"]) for q in body["questions"]],
            by=request_user(request),
        )
        return Response(QuestionnaireSerializer(survey).data, status=201)

    @extend_schema(responses=ResultsSerializer)
    @action(detail=True, methods=["get"])
    def results(self, request: Request, pk: str) -> Response:
        """The answers by question, building and zone, with both definitions."""
        return Response(ResultsSerializer(survey_results(self.get_object())).data)

    @extend_schema(request=SendBodySerializer, responses=QuestionnaireSerializer)
    @action(detail=True, methods=["post"])
    def send(self, request: Request, pk: str) -> Response:
        """One link per household by SMS or WeChat."""
        survey = self.get_object()
        body = _body(request, SendBodySerializer)
        send_survey(
            questionnaire=survey,
            channel=body["channel"],
            base_url=request.build_absolute_uri("/"),
            by=request_user(request),
        )
        survey.refresh_from_db()
        return Response(QuestionnaireSerializer(survey).data)

    @extend_schema(request=EnterBodySerializer, responses={201: dict})
    @action(detail=True, methods=["post"])
    def enter(self, request: Request, pk: str) -> Response:
        """Staff enter a household's answers: `answers` maps question ids to answers."""
        survey = self.get_object()
        body = _body(request, EnterBodySerializer)
        unit = Unit.objects.filter(pk=body["unit"], community=survey.community_id).first()
        answers: dict[int, str] = {}
        for key, value in body["answers"].items():
            if not str(key).isdigit():
                raise serializers.ValidationError({"answers": _("Key the answers by question id.")})
            answers[int(key)] = value
        response = enter_survey(
            questionnaire=survey,
            unit=unit,
            answers=answers,
            comments=body.get("comments", ""),
            by=request_user(request),
        )
        follow_up = response.visits.values_list("pk", flat=True).first()
        return Response({"id": response.pk, "follow_up_visit": follow_up}, status=201)


# --- KPIs ---------------------------------------------------------------------------------


class KpiQuerySerializer(serializers.Serializer):
    community = serializers.IntegerField()
    start = serializers.DateField()
    end = serializers.DateField()


class KpiRowSerializer(serializers.Serializer):
    kind = serializers.CharField()
    type_name = serializers.CharField(source="label")
    due = serializers.IntegerField(source="required")
    completed = serializers.IntegerField()
    answered = serializers.IntegerField()
    on_time = serializers.IntegerField()
    satisfied = serializers.IntegerField()
    fairly = serializers.IntegerField()
    dissatisfied = serializers.IntegerField()
    to_complaint = serializers.IntegerField()


@extend_schema(parameters=[KpiQuerySerializer], responses=KpiRowSerializer(many=True))
@api_view(["GET"])
def kpis(request: Request) -> Response:
    """The visit KPIs' raw counts per type and a total, for the visits due in the period (the
    rates are the ratios of these counts, both satisfaction definitions included)."""
    query = KpiQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    start, end = query.validated_data["start"], query.validated_data["end"]
    if not 0 <= (end - start).days < 366:
        raise serializers.ValidationError(
            {"end": _("Choose a period of one day to one year, start first.")}
        )
    community = _community(request, query.validated_data["community"])
    require_perm(request.user, "visits.view_visit_kpis", community)
    rows = visit_kpis(community=community, start=start, end=end)
    return Response(KpiRowSerializer(rows, many=True).data)


router = SimpleRouter()
router.register("visits", VisitViewSet, basename="visit")
router.register("plans", RoutinePlanViewSet, basename="plan")
router.register("surveys", QuestionnaireViewSet, basename="survey")

app_name = "visits-api"
urlpatterns = [
    path("generate/", VisitViewSet.as_view({"post": "generate"}), name="generate"),
    path("plan/", plan_visit, name="plan-visit"),
    path("kpis/", kpis, name="kpis"),
    *router.urls,
]

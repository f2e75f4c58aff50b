"""The training API (/api/v1/training/): plans (create, submit, approve, return), sessions
(schedule, sign in, the trainer's sheet, cancel), tests (create with questions, take a written
test, record a practical score). Reads: managers see their communities' rows, staff the
sessions they are invited to and their community's tests; writes call the same services as
the pages (ValidationError → 400, authority → 403, another community's row → 404)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from guanjia.core.access import User, communities_with_perm, get_access, get_visible_or_404
from guanjia.core.api import CommunityViewSet
from guanjia.core.models import Community

from . import services
from .filters import PlanFilter, SessionFilter, TestFilter
from .models import (
    Assessment,
    AssessmentResult,
    Question,
    TrainingAttendance,
    TrainingPlan,
    TrainingSession,
)

TAKE = "training.take_training"
BIGGEST = 2**63 - 1  # a key the database can hold


def _user(request: Request) -> User:
    return cast(User, request.user)


def _body(serializer_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:
    body = serializer_class(data=data)
    body.is_valid(raise_exception=True)
    return dict(body.validated_data)


def _staff(pk: int, field: str) -> User:
    found = get_user_model().objects.filter(pk=pk).first()
    if found is None:
        raise serializers.ValidationError({field: ["No such employee."]})
    return cast(User, found)


class ManagerOrStaff(BasePermission):
    """A manager's view permission somewhere, or take_training (the rows then narrow)."""

    def has_permission(self, request: Any, view: Any) -> bool:
        access = get_access(request.user)
        return access.has_perm(view.view_perm, None) or access.has_perm(TAKE, None)


# --- Plans -------------------------------------------------------------------------------------


class TrainingPlanSerializer(serializers.ModelSerializer):
    class Meta:
        model = TrainingPlan
        fields = [
            "id",
            "community",
            "kind",
            "year",
            "month",
            "annual",
            "title",
            "topics",
            "target_staff",
            "schedule",
            "trainer",
            "method",
            "assessment_standard",
            "budget",
            "due_on",
            "author",
            "status",
            "requested_by",
            "decided_by",
            "decided_at",
            "reason",
        ]
        read_only_fields = fields


class PlanCreateSerializer(serializers.Serializer):
    community = serializers.IntegerField(min_value=1, max_value=BIGGEST)
    kind = serializers.CharField(max_length=10)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    month = serializers.IntegerField(min_value=0, max_value=12, required=False)
    title = serializers.CharField(max_length=100)
    topics = serializers.CharField(max_length=4000)
    target_staff = serializers.CharField(max_length=200)
    schedule = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    trainer = serializers.CharField(max_length=100, required=False, allow_blank=True)
    method = serializers.CharField(max_length=200, required=False, allow_blank=True)
    assessment_standard = serializers.CharField(max_length=500, required=False, allow_blank=True)
    budget = serializers.DecimalField(
        max_digits=10, decimal_places=2, min_value=0, max_value=10_000_000, required=False
    )


class PlanStepSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True)


class PlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CommunityViewSet):
    model = TrainingPlan
    view_perm = "training.view_trainingplan"
    serializer_class = TrainingPlanSerializer
    filterset_class = PlanFilter

    @extend_schema(request=PlanCreateSerializer, responses={201: TrainingPlanSerializer})
    def create(self, request: Request) -> Response:
        body = _body(PlanCreateSerializer, request.data)
        community = get_visible_or_404(Community.objects.all(), request.user, pk=body["community"])
        plan = services.create_plan(
            community=community,
            kind=body["kind"],
            year=body["year"],
            month=body.get("month", 0),
            content=services.PlanContent(
                title=body["title"],
                topics=body["topics"],
                target_staff=body["target_staff"],
                schedule=body.get("schedule", ""),
                trainer=body.get("trainer", ""),
                method=body.get("method", ""),
                assessment_standard=body.get("assessment_standard", ""),
                budget=body.get("budget") or Decimal("0"),
            ),
            by=_user(request),
        )
        return Response(TrainingPlanSerializer(plan).data, status=201)

    @extend_schema(request=PlanStepSerializer, responses=TrainingPlanSerializer)
    def submit(self, request: Request, pk: str) -> Response:
        plan = self.get_object()
        body = _body(PlanStepSerializer, request.data)
        services.submit_plan(plan=plan, by=_user(request), note=body.get("note", ""))
        return Response(TrainingPlanSerializer(plan).data)

    @extend_schema(request=PlanStepSerializer, responses=TrainingPlanSerializer)
    def approve(self, request: Request, pk: str) -> Response:
        return self._decide(request, True)

    @extend_schema(request=PlanStepSerializer, responses=TrainingPlanSerializer)
    def send_back(self, request: Request, pk: str) -> Response:
        """Return the plan to its author with comments (a reason is required)."""
        return self._decide(request, False)

    def _decide(self, request: Request, approve: bool) -> Response:
        plan = self.get_object()
        body = _body(PlanStepSerializer, request.data)
        services.decide_plan(
            plan=plan, approve=approve, by=_user(request), reason=body.get("reason", "")
        )
        return Response(TrainingPlanSerializer(plan).data)


# --- Sessions ---------------------------------------------------------------------------------


class AttendanceSerializer(serializers.ModelSerializer):
    class Meta:
        model = TrainingAttendance
        fields = ["id", "employee", "invited", "signed_at", "method", "recorded_by"]
        read_only_fields = fields


class TrainingSessionSerializer(serializers.ModelSerializer):
    attendances = AttendanceSerializer(many=True, read_only=True)

    class Meta:
        model = TrainingSession
        fields = [
            "id",
            "community",
            "plan",
            "kind",
            "topic",
            "trainer",
            "starts_at",
            "hours",
            "place",
            "method",
            "content",
            "status",
            "reason",
            "attendances",
        ]
        read_only_fields = fields


class SessionCreateSerializer(serializers.Serializer):
    community = serializers.IntegerField(min_value=1, max_value=BIGGEST)
    plan = serializers.IntegerField(min_value=1, max_value=BIGGEST, required=False, allow_null=True)
    kind = serializers.CharField(max_length=12)
    topic = serializers.CharField(max_length=200)
    trainer = serializers.IntegerField(min_value=1, max_value=BIGGEST)
    starts_at = serializers.DateTimeField()
    hours = serializers.DecimalField(max_digits=4, decimal_places=1, min_value=0, max_value=24)
    place = serializers.CharField(max_length=100, required=False, allow_blank=True)
    method = serializers.CharField(max_length=100, required=False, allow_blank=True)
    content = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    invited = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=BIGGEST), max_length=500
    )


class SheetSerializer(serializers.Serializer):
    present = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=BIGGEST), max_length=500
    )


class SignInSerializer(serializers.Serializer):
    employee = serializers.IntegerField(
        min_value=1,
        max_value=BIGGEST,
        required=False,
        help_text="Only oneself: another employee's id is refused (403).",
    )


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class SignedSerializer(serializers.Serializer):
    signed = serializers.IntegerField()


def _people(ids: list[int], field: str) -> list[User]:
    found = list(get_user_model().objects.filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise serializers.ValidationError({field: ["No such employee."]})
    return cast(list[User], found)


class SessionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CommunityViewSet):
    model = TrainingSession
    view_perm = "training.view_trainingsession"
    permission_classes = [ManagerOrStaff]
    serializer_class = TrainingSessionSerializer
    filterset_class = SessionFilter
    prefetch = ("attendances",)

    def get_queryset(self) -> Any:
        user = self.request.user
        managed = communities_with_perm(user, self.view_perm)
        return (
            TrainingSession.objects.visible_to(user)
            .filter(
                Q(community__in=managed) | Q(attendances__employee=user.pk) | Q(trainer=user.pk)
            )
            .distinct()
            .prefetch_related("attendances")
            .order_by("-starts_at", "-pk")
        )

    @extend_schema(request=SessionCreateSerializer, responses={201: TrainingSessionSerializer})
    def create(self, request: Request) -> Response:
        body = _body(SessionCreateSerializer, request.data)
        community = get_visible_or_404(Community.objects.all(), request.user, pk=body["community"])
        plan = None
        if body.get("plan"):
            plan = TrainingPlan.objects.filter(pk=body["plan"], community=community).first()
            if plan is None:
                raise serializers.ValidationError({"plan": ["Choose a plan of this community."]})
        session = services.schedule_session(
            community=community,
            data=services.SessionData(
                topic=body["topic"],
                kind=body["kind"],
                trainer=_staff(body["trainer"], "trainer"),
                starts_at=body["starts_at"],
                hours=body["hours"],
                place=body.get("place", ""),
                method=body.get("method", ""),
                content=body.get("content", ""),
            ),
            invited=_people(body["invited"], "invited"),
            plan=plan,
            by=_user(request),
        )
        return Response(self._fresh(session), status=201)

    @extend_schema(request=SignInSerializer, responses=TrainingSessionSerializer)
    def sign_in(self, request: Request, pk: str) -> Response:
        """The caller signs in themself; an `employee` other than the caller is refused."""
        session = self.get_object()
        body = _body(SignInSerializer, request.data)
        user = _user(request)
        employee = _staff(body["employee"], "employee") if body.get("employee") else user
        services.sign_in(session=session, employee=employee, by=user)
        return Response(self._fresh(session))

    @extend_schema(request=SheetSerializer, responses=SignedSerializer)
    def sheet(self, request: Request, pk: str) -> Response:
        session = self.get_object()
        body = _body(SheetSerializer, request.data)
        signed = services.record_sheet(
            session=session, present=_people(body["present"], "present"), by=_user(request)
        )
        return Response({"signed": signed})

    @extend_schema(request=ReasonSerializer, responses=TrainingSessionSerializer)
    def cancel(self, request: Request, pk: str) -> Response:
        session = self.get_object()
        body = _body(ReasonSerializer, request.data)
        services.cancel_session(session=session, reason=body["reason"], by=_user(request))
        return Response(self._fresh(session))

    def _fresh(self, session: TrainingSession) -> Any:
        found = TrainingSession.objects.prefetch_related("attendances").get(pk=session.pk)
        return TrainingSessionSerializer(found).data


# --- Tests ------------------------------------------------------------------------------------


class QuestionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Question
        fields = ["id", "position", "text", "choices", "points"]
        read_only_fields = fields


class AssessmentSerializer(serializers.ModelSerializer):
    questions = QuestionSerializer(many=True, read_only=True)

    class Meta:
        model = Assessment
        fields = [
            "id",
            "community",
            "session",
            "title",
            "kind",
            "is_induction",
            "max_score",
            "pass_mark",
            "questions",
        ]
        read_only_fields = fields


class QuestionBodySerializer(serializers.Serializer):
    text = serializers.CharField(max_length=500)
    choices = serializers.ListField(
        child=serializers.CharField(max_length=200), min_length=2, max_length=6
    )
    answer = serializers.IntegerField(min_value=0, max_value=5)
    points = serializers.DecimalField(max_digits=5, decimal_places=1, min_value=0, max_value=100)


class TestCreateSerializer(serializers.Serializer):
    community = serializers.IntegerField(min_value=1, max_value=BIGGEST)
    session = serializers.IntegerField(
        min_value=1, max_value=BIGGEST, required=False, allow_null=True
    )
    title = serializers.CharField(max_length=200)
    kind = serializers.CharField(max_length=10)
    is_induction = serializers.BooleanField(required=False)
    pass_mark = serializers.DecimalField(max_digits=6, decimal_places=1)
    max_score = serializers.DecimalField(
        max_digits=6, decimal_places=1, required=False, allow_null=True
    )
    questions = QuestionBodySerializer(many=True, required=False, max_length=100)  # type: ignore[call-arg]  # DRF passes max_length to the ListSerializer; the stubs do not know


class AnswerSerializer(serializers.Serializer):
    question = serializers.IntegerField(min_value=1, max_value=BIGGEST)
    choice = serializers.IntegerField(min_value=0, max_value=5)


class TakeSerializer(serializers.Serializer):
    answers = AnswerSerializer(many=True, max_length=100)  # type: ignore[call-arg]  # as above


class RecordScoreSerializer(serializers.Serializer):
    employee = serializers.IntegerField(min_value=1, max_value=BIGGEST)
    score = serializers.DecimalField(max_digits=6, decimal_places=1, min_value=0)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class ResultSerializer(serializers.ModelSerializer):
    class Meta:
        model = AssessmentResult
        fields = [
            "id",
            "assessment",
            "employee",
            "attempt",
            "score",
            "passed",
            "taken_on",
            "retest_open",
            "retest_due",
            "recorded_by",
        ]
        read_only_fields = fields


class TestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CommunityViewSet):
    model = Assessment
    view_perm = "training.view_assessment"
    permission_classes = [ManagerOrStaff]
    serializer_class = AssessmentSerializer
    filterset_class = TestFilter
    prefetch = ("questions",)

    def get_queryset(self) -> Any:
        user = self.request.user
        ids = set(communities_with_perm(user, self.view_perm)) | set(
            communities_with_perm(user, TAKE)
        )
        return (
            Assessment.objects.visible_to(user)
            .filter(community__in=ids)
            .prefetch_related("questions")
            .order_by("-created_at", "-pk")
        )

    @extend_schema(request=TestCreateSerializer, responses={201: AssessmentSerializer})
    def create(self, request: Request) -> Response:
        body = _body(TestCreateSerializer, request.data)
        community = get_visible_or_404(Community.objects.all(), request.user, pk=body["community"])
        session = None
        if body.get("session"):
            session = TrainingSession.objects.filter(
                pk=body["session"], community=community
            ).first()
            if session is None:
                raise serializers.ValidationError(
                    {"session": ["Choose a session of this community."]}
                )
        test = services.create_test(
            community=community,
            data=services.TestData(
                title=body["title"],
                kind=body["kind"],
                pass_mark=body["pass_mark"],
                max_score=body.get("max_score"),
                is_induction=body.get("is_induction", False),
            ),
            questions=[services.QuestionData(**q) for q in body.get("questions", [])],
            session=session,
            by=_user(request),
        )
        found = Assessment.objects.prefetch_related("questions").get(pk=test.pk)
        return Response(AssessmentSerializer(found).data, status=201)

    @extend_schema(request=TakeSerializer, responses={201: ResultSerializer})
    def take(self, request: Request, pk: str) -> Response:
        """The caller's answers to a written test, scored at once."""
        test = self.get_object()
        body = _body(TakeSerializer, request.data)
        answers = {row["question"]: row["choice"] for row in body["answers"]}
        result = services.take_test(test=test, answers=answers, by=_user(request))
        return Response(ResultSerializer(result).data, status=201)

    @extend_schema(request=RecordScoreSerializer, responses={201: ResultSerializer})
    def record(self, request: Request, pk: str) -> Response:
        """The trainer's score of a practical test or an observation."""
        test = self.get_object()
        body = _body(RecordScoreSerializer, request.data)
        result = services.record_result(
            test=test,
            employee=_staff(body["employee"], "employee"),
            score=body["score"],
            note=body.get("note", ""),
            by=_user(request),
        )
        return Response(ResultSerializer(result).data, status=201)


app_name = "training-api"
urlpatterns = [
    path("plans/", PlanViewSet.as_view({"get": "list", "post": "create"}), name="plan-list"),
    path("plans/<int:pk>/", PlanViewSet.as_view({"get": "retrieve"}), name="plan-detail"),
    path("plans/<int:pk>/submit/", PlanViewSet.as_view({"post": "submit"}), name="plan-submit"),
    path("plans/<int:pk>/approve/", PlanViewSet.as_view({"post": "approve"}), name="plan-approve"),
    path("plans/<int:pk>/return/", PlanViewSet.as_view({"post": "send_back"}), name="plan-return"),
    path(
        "sessions/", SessionViewSet.as_view({"get": "list", "post": "create"}), name="session-list"
    ),
    path("sessions/<int:pk>/", SessionViewSet.as_view({"get": "retrieve"}), name="session-detail"),
    path(
        "sessions/<int:pk>/sign-in/",
        SessionViewSet.as_view({"post": "sign_in"}),
        name="session-sign-in",
    ),
    path(
        "sessions/<int:pk>/sheet/", SessionViewSet.as_view({"post": "sheet"}), name="session-sheet"
    ),
    path(
        "sessions/<int:pk>/cancel/",
        SessionViewSet.as_view({"post": "cancel"}),
        name="session-cancel",
    ),
    path("tests/", TestViewSet.as_view({"get": "list", "post": "create"}), name="test-list"),
    path("tests/<int:pk>/", TestViewSet.as_view({"get": "retrieve"}), name="test-detail"),
    path("tests/<int:pk>/take/", TestViewSet.as_view({"post": "take"}), name="test-take"),
    path("tests/<int:pk>/record/", TestViewSet.as_view({"post": "record"}), name="test-record"),
]

"""The plans API (/api/v1/plans/): work plans with their items and every step of their
workflow, meetings with their sign-in and action items, action items, case studies. Reads:
the communities where the caller holds the view permission (elsewhere 404; nowhere 403).
Writes: the pages' services (ValidationError -> 400, authority -> 403)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from guanjia.core.access import User, request_user
from guanjia.core.api import CommunityViewSet, ScopedSerializerMixin, VisibleCommunityField
from guanjia.core.models import Community
from guanjia.tickets.models import ServiceRequest

from . import services
from .filters import ActionFilter, CaseFilter, MeetingFilter, PlanFilter
from .models import (
    ActionItem,
    Attendance,
    CaseStudy,
    Meeting,
    MeetingKind,
    PlanItem,
    PlanKind,
    WorkPlan,
)

PLAN_VIEW = "plans.view_workplan"
MEETING_VIEW = "plans.view_meeting"
CASE_VIEW = "plans.view_casestudy"
STAFF = get_user_model().objects.filter(is_active=True)


def _by(request: Request) -> User:
    return request_user(request._request)


def _body(request: Request, serializer_class: Any) -> dict[str, Any]:
    checked = serializer_class(data=request.data, context={"request": request})
    checked.is_valid(raise_exception=True)
    return dict(checked.validated_data)


# --- Plans ---------------------------------------------------------------------------------


class PlanItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlanItem
        fields = ["id", "title", "owner", "due_on", "done_pct", "note"]
        read_only_fields = fields


class PlanSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    """Read: the plan with its items. Create: a draft (the service checks every rule)."""

    community = VisibleCommunityField(queryset=Community.objects.all())
    kind = serializers.ChoiceField(choices=PlanKind.choices)
    title = serializers.CharField(max_length=100, allow_blank=True)
    goals = serializers.CharField(max_length=4000, allow_blank=True, required=False, default="")
    items = PlanItemSerializer(many=True, read_only=True)

    class Meta:
        model = WorkPlan
        fields = [
            "id",
            "community",
            "kind",
            "period",
            "title",
            "goals",
            "status",
            "author",
            "requested_by",
            "requested_at",
            "decided_by",
            "decided_at",
            "decision",
            "reason",
            "summary",
            "items",
        ]
        read_only_fields = [
            "status",
            "author",
            "requested_by",
            "requested_at",
            "decided_by",
            "decided_at",
            "decision",
            "reason",
            "summary",
        ]


class PlanItemBody(serializers.Serializer):
    title = serializers.CharField(max_length=200, allow_blank=True)
    owner = serializers.PrimaryKeyRelatedField(queryset=STAFF, allow_null=True)
    due_on = serializers.DateField(allow_null=True)
    note = serializers.CharField(max_length=500, required=False, default="", allow_blank=True)


class PlanNoteBody(serializers.Serializer):
    note = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)


class PlanCommentsBody(serializers.Serializer):
    comments = serializers.CharField(max_length=2000, allow_blank=True)


class PlanSummaryBody(serializers.Serializer):
    summary = serializers.CharField(max_length=4000, allow_blank=True)


class PlanProgressBody(serializers.Serializer):
    item = serializers.IntegerField(min_value=1)
    done_pct = serializers.IntegerField(min_value=0, max_value=100)
    note = serializers.CharField(max_length=500, required=False, default="", allow_blank=True)


class PlanViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, CommunityViewSet
):
    """Work plans (PlanFilter); write a draft; its items; each step of its workflow."""

    model, view_perm = WorkPlan, PLAN_VIEW
    serializer_class, filterset_class = PlanSerializer, PlanFilter
    prefetch = ("items",)
    ordering = ("-period", "kind", "-pk")

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        serializer.instance = services.create_plan(
            community=data["community"],
            kind=data["kind"],
            period=data["period"],
            title=data["title"],
            goals=data.get("goals", ""),
            by=_by(self.request),
        )

    def _answer(self, plan: WorkPlan) -> Response:
        fresh = self.get_queryset().get(pk=plan.pk)
        return Response(PlanSerializer(fresh, context={"request": self.request}).data)

    @extend_schema(request=PlanItemBody, responses=PlanSerializer)
    def add_item(self, request: Request, pk: int) -> Response:
        plan = self.action_object(PLAN_VIEW)
        services.add_item(plan=plan, by=_by(request), **_body(request, PlanItemBody))
        return self._answer(plan)

    @extend_schema(request=PlanNoteBody, responses=PlanSerializer)
    def submit(self, request: Request, pk: int) -> Response:
        plan = self.action_object(PLAN_VIEW)
        body = _body(request, PlanNoteBody)
        return self._answer(services.submit_plan(plan=plan, note=body["note"], by=_by(request)))

    @extend_schema(request=PlanNoteBody, responses=PlanSerializer)
    def approve(self, request: Request, pk: int) -> Response:
        plan = self.action_object(PLAN_VIEW)
        body = _body(request, PlanNoteBody)
        return self._answer(services.approve_plan(plan=plan, note=body["note"], by=_by(request)))

    @extend_schema(request=PlanCommentsBody, responses=PlanSerializer)
    def send_back(self, request: Request, pk: int) -> Response:
        plan = self.action_object(PLAN_VIEW)
        body = _body(request, PlanCommentsBody)
        services.return_plan(plan=plan, comments=body["comments"], by=_by(request))
        return self._answer(plan)

    @extend_schema(request=None, responses=PlanSerializer)
    def start(self, request: Request, pk: int) -> Response:
        plan = self.action_object(PLAN_VIEW)
        return self._answer(services.start_plan(plan=plan, by=_by(request)))

    @extend_schema(request=PlanProgressBody, responses=PlanSerializer)
    def progress(self, request: Request, pk: int) -> Response:
        plan = self.action_object(PLAN_VIEW)
        body = _body(request, PlanProgressBody)
        item = plan.items.filter(pk=body["item"]).first()
        if item is None:
            raise serializers.ValidationError({"item": [_not_of_plan()]})
        services.record_progress(
            item=item, done_pct=body["done_pct"], note=body["note"], by=_by(request)
        )
        return self._answer(plan)

    @extend_schema(request=PlanSummaryBody, responses=PlanSerializer)
    def summarise(self, request: Request, pk: int) -> Response:
        plan = self.action_object(PLAN_VIEW)
        body = _body(request, PlanSummaryBody)
        services.summarise_plan(plan=plan, summary=body["summary"], by=_by(request))
        return self._answer(plan)

    @extend_schema(request=None, responses=PlanSerializer)
    def archive(self, request: Request, pk: int) -> Response:
        plan = self.action_object(PLAN_VIEW)
        return self._answer(services.archive_plan(plan=plan, by=_by(request)))


def _not_of_plan() -> str:
    from django.utils.translation import gettext

    return gettext("This item is not one of the plan's.")


# --- Meetings ------------------------------------------------------------------------------


class AttendanceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attendance
        fields = ["id", "person", "signed_at"]
        read_only_fields = fields


class ActionItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActionItem
        fields = [
            "id",
            "community",
            "meeting",
            "title",
            "owner",
            "due_on",
            "closed_on",
            "closed_by",
            "outcome",
        ]
        read_only_fields = fields


class MeetingSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    """Read: the minutes, the sign-in and the action items. Create: the meeting."""

    community = VisibleCommunityField(queryset=Community.objects.all())
    kind = serializers.ChoiceField(choices=MeetingKind.choices, required=False, default="weekly")
    topics = serializers.CharField(max_length=4000, allow_blank=True)
    review = serializers.CharField(max_length=4000, allow_blank=True, required=False, default="")
    decisions = serializers.CharField(max_length=4000, allow_blank=True, required=False, default="")
    attendance = AttendanceSerializer(many=True, read_only=True)
    actions = ActionItemSerializer(many=True, read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "community",
            "kind",
            "held_on",
            "chair",
            "review",
            "topics",
            "decisions",
            "recorded_by",
            "attendance",
            "actions",
        ]
        read_only_fields = ["chair", "recorded_by"]


class SignInBody(serializers.Serializer):
    person = serializers.PrimaryKeyRelatedField(queryset=STAFF)


class ActionBody(serializers.Serializer):
    title = serializers.CharField(max_length=200, allow_blank=True)
    owner = serializers.PrimaryKeyRelatedField(queryset=STAFF, allow_null=True)
    due_on = serializers.DateField(allow_null=True)


class CloseBody(serializers.Serializer):
    outcome = serializers.CharField(max_length=500, allow_blank=True)


class MeetingViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, CommunityViewSet
):
    """Meetings (MeetingFilter); record one; sign in; add an action item."""

    model, view_perm = Meeting, MEETING_VIEW
    serializer_class, filterset_class = MeetingSerializer, MeetingFilter
    prefetch = ("attendance", "actions")
    ordering = ("-held_on", "-pk")

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        serializer.instance = services.record_meeting(
            community=data["community"],
            held_on=data["held_on"],
            topics=data["topics"],
            kind=data["kind"],
            review=data["review"],
            decisions=data["decisions"],
            by=_by(self.request),
        )

    def _answer(self, meeting: Meeting) -> Response:
        fresh = self.get_queryset().get(pk=meeting.pk)
        return Response(MeetingSerializer(fresh, context={"request": self.request}).data)

    @extend_schema(request=SignInBody, responses=MeetingSerializer)
    def sign_in(self, request: Request, pk: int) -> Response:
        meeting = self.action_object(MEETING_VIEW)
        body = _body(request, SignInBody)
        services.sign_in(meeting=meeting, person=body["person"], by=_by(request))
        return self._answer(meeting)

    @extend_schema(request=ActionBody, responses=MeetingSerializer)
    def add_action(self, request: Request, pk: int) -> Response:
        meeting = self.action_object(MEETING_VIEW)
        services.add_action(meeting=meeting, by=_by(request), **_body(request, ActionBody))
        return self._answer(meeting)


class ActionViewSet(mixins.ListModelMixin, CommunityViewSet):
    """Action items (ActionFilter: `mine`, `open`, `due_to`); close one."""

    model, view_perm = ActionItem, MEETING_VIEW
    serializer_class, filterset_class = ActionItemSerializer, ActionFilter
    ordering = ("due_on", "pk")

    @extend_schema(request=CloseBody, responses=ActionItemSerializer)
    def close(self, request: Request, pk: int) -> Response:
        item = self.action_object(MEETING_VIEW)
        body = _body(request, CloseBody)
        closed = services.close_action(item=item, outcome=body["outcome"], by=_by(request))
        return Response(ActionItemSerializer(closed).data)


# --- Case studies --------------------------------------------------------------------------


class CaseSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    """Read and write a case study; its register entries must be of its community."""

    community = VisibleCommunityField(queryset=Community.objects.all())
    tickets = VisibleCommunityField(queryset=ServiceRequest.objects.all(), many=True)
    title = serializers.CharField(max_length=100, allow_blank=True)
    facts = serializers.CharField(max_length=4000, allow_blank=True)
    cause = serializers.CharField(max_length=4000, allow_blank=True)
    lesson = serializers.CharField(max_length=4000, allow_blank=True)

    class Meta:
        model = CaseStudy
        fields = [
            "id",
            "community",
            "title",
            "tickets",
            "facts",
            "cause",
            "lesson",
            "used_in_training",
            "written_on",
            "author",
        ]
        read_only_fields = ["written_on", "author"]


def _case_text(data: dict[str, Any], case: CaseStudy | None = None) -> services.CaseText:
    def value(name: str) -> Any:
        if name in data:
            return data[name]
        if name == "tickets":
            return list(case.tickets.all()) if case else []
        return getattr(case, name) if case else ""

    return services.CaseText(
        title=value("title"),
        facts=value("facts"),
        cause=value("cause"),
        lesson=value("lesson"),
        used_in_training=bool(value("used_in_training")),
        tickets=value("tickets"),
    )


class CaseViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    CommunityViewSet,
):
    """Case studies (CaseFilter); write one; change it."""

    model, view_perm = CaseStudy, CASE_VIEW
    serializer_class, filterset_class = CaseSerializer, CaseFilter
    prefetch = ("tickets",)
    ordering = ("-written_on", "-pk")

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        serializer.instance = services.write_case(
            community=data["community"], text=_case_text(data), by=_by(self.request)
        )

    def perform_update(self, serializer: Any) -> None:
        case = serializer.instance
        data = dict(serializer.validated_data)
        data.pop("community", None)
        serializer.instance = services.update_case(
            case=case, text=_case_text(data, case), by=_by(self.request)
        )


def _plan(action: str) -> Any:
    return PlanViewSet.as_view({"post": action})


app_name = "plans-api"
urlpatterns = [
    path("plans/", PlanViewSet.as_view({"get": "list", "post": "create"}), name="plan-list"),
    path("plans/<int:pk>/", PlanViewSet.as_view({"get": "retrieve"}), name="plan-detail"),
    path("plans/<int:pk>/items/", _plan("add_item"), name="plan-item-add"),
    path("plans/<int:pk>/submit/", _plan("submit"), name="plan-submit"),
    path("plans/<int:pk>/approve/", _plan("approve"), name="plan-approve"),
    path("plans/<int:pk>/return/", _plan("send_back"), name="plan-return"),
    path("plans/<int:pk>/start/", _plan("start"), name="plan-start"),
    path("plans/<int:pk>/progress/", _plan("progress"), name="plan-progress"),
    path("plans/<int:pk>/summarise/", _plan("summarise"), name="plan-summarise"),
    path("plans/<int:pk>/archive/", _plan("archive"), name="plan-archive"),
    path(
        "meetings/",
        MeetingViewSet.as_view({"get": "list", "post": "create"}),
        name="meeting-list",
    ),
    path("meetings/<int:pk>/", MeetingViewSet.as_view({"get": "retrieve"}), name="meeting-detail"),
    path(
        "meetings/<int:pk>/sign-in/",
        MeetingViewSet.as_view({"post": "sign_in"}),
        name="meeting-sign-in",
    ),
    path(
        "meetings/<int:pk>/actions/",
        MeetingViewSet.as_view({"post": "add_action"}),
        name="meeting-action-add",
    ),
    path("actions/", ActionViewSet.as_view({"get": "list"}), name="action-list"),
    path("actions/<int:pk>/close/", ActionViewSet.as_view({"post": "close"}), name="action-close"),
    path("cases/", CaseViewSet.as_view({"get": "list", "post": "create"}), name="case-list"),
    path(
        "cases/<int:pk>/",
        CaseViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="case-detail",
    ),
]

"""The attendance API (/api/v1/attendance/): the roster and its plan, swaps, leave, missing
punches with their decisions, the web punch, the computed days, a month's findings and the
sheet's submission. Every write is the page's service; refusals through core.api."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from guanjia.core.access import User, communities_with_perm, request_user
from guanjia.core.api import CommunityViewSet
from guanjia.core.files.api import FileUrlField
from guanjia.core.models import Community
from guanjia.desk.models import Post, Shift

from . import filters, selectors, services
from .models import AttendanceDay, Leave, MissingPunch, RosterEntry, ShiftSwap


def _body(request: Request, serializer_class: Any) -> dict[str, Any]:
    checked = serializer_class(data=request.data, context={"request": request})
    checked.is_valid(raise_exception=True)
    return dict(checked.validated_data)


def _by(request: Request) -> User:
    return request_user(request._request)


def _somewhere(request: Request, perm: str) -> None:
    """403 for a caller who holds `perm` in no community (before the body is read)."""
    if not communities_with_perm(request.user, perm):
        raise PermissionDenied


def _community(request: Request, pk: int, perm: str) -> Community:
    """The body's community, where the caller holds `perm`: else 400 (it does not exist for
    them)."""
    community = (
        Community.objects.filter(pk=pk, pk__in=communities_with_perm(request.user, perm))
        .select_related("company")
        .first()
    )
    if community is None:
        raise serializers.ValidationError({"community": [_("Unknown community.")]})
    return community


def _staff(pk: int, field: str) -> User:
    person: User | None = get_user_model().objects.filter(pk=pk).first()
    if person is None:
        raise serializers.ValidationError({field: [_("Unknown person.")]})
    return person


def _own_or_all(request: Request, rows: Any) -> Any:
    from django.db.models import Q

    everyone = communities_with_perm(request.user, selectors.ALL)
    return rows.filter(Q(community_id__in=everyone) | Q(employee_id=request.user.pk))


# --- Roster ---------------------------------------------------------------------------------


class RosterEntrySerializer(serializers.ModelSerializer):
    post_name = serializers.CharField(source="post.name", read_only=True)
    shift_name = serializers.CharField(source="shift.name", read_only=True)

    class Meta:
        model = RosterEntry
        fields = [
            "id", "community", "post", "post_name", "shift", "shift_name", "day", "employee",
            "swapped_from",
        ]  # fmt: skip
        read_only_fields = fields


class PlanBody(serializers.Serializer):
    post = serializers.IntegerField()
    shift = serializers.IntegerField()
    employee = serializers.IntegerField()
    first = serializers.DateField()
    last = serializers.DateField()
    weekdays = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=6), required=False, default=list
    )


class RosterViewSet(mixins.ListModelMixin, CommunityViewSet):
    """The roster's entries (`?post=`, `?day_from=`, `?day_to=`, `?employee=`); `plan` puts a
    person on a shift for a period (400 with the service's message when refused)."""

    model, view_perm = RosterEntry, "attendance.view_rosterentry"
    serializer_class, filterset_class = RosterEntrySerializer, filters.RosterFilter
    related = ("post", "shift")

    @extend_schema(request=PlanBody, responses={201: RosterEntrySerializer(many=True)})
    def plan(self, request: Request) -> Response:
        _somewhere(request, "attendance.add_rosterentry")
        data = _body(request, PlanBody)
        ids = communities_with_perm(request.user, "attendance.add_rosterentry")
        post = Post.objects.filter(pk=data["post"], community__in=ids).first()
        if post is None:
            raise serializers.ValidationError({"post": [_("Unknown post.")]})
        shift = Shift.objects.filter(pk=data["shift"], post=post).first()
        if shift is None:
            raise serializers.ValidationError({"shift": [_("Choose a shift of this post.")]})
        created = services.plan_roster(
            post=post,
            shift=shift,
            employee=_staff(data["employee"], "employee"),
            first=data["first"],
            last=data["last"],
            weekdays=frozenset(data["weekdays"]) or None,
            by=_by(request),
        )
        return Response(RosterEntrySerializer(created, many=True).data, status=201)


# --- Approvals: swaps, leave, missing punches -------------------------------------------------


class DecisionBody(serializers.Serializer):
    approve = serializers.BooleanField()
    reason = serializers.CharField(max_length=500, required=False, default="", allow_blank=True)


class SwapSerializer(serializers.ModelSerializer):
    class Meta:
        model = ShiftSwap
        fields = [
            "id", "community", "kind", "entry", "employee", "substitute", "other_entry",
            "explanation", "status", "requested_at", "decided_by", "decided_at", "reason",
        ]  # fmt: skip
        read_only_fields = fields


class SwapBody(serializers.Serializer):
    entry = serializers.IntegerField()
    kind = serializers.CharField(max_length=10)
    substitute = serializers.IntegerField()
    other_entry = serializers.IntegerField(required=False, allow_null=True, default=None)
    explanation = serializers.CharField(max_length=500)


class OwnRows(CommunityViewSet):
    """Lists and reads: one's own rows unless one sees everyone's. A decision reads the row
    among all the community's (the decider's authority is checked by the service)."""

    def get_queryset(self) -> Any:
        rows = super().get_queryset()
        return rows if self.action == "decide" else _own_or_all(self.request, rows)


class SwapViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OwnRows):
    model, view_perm = ShiftSwap, "attendance.view_shiftswap"
    serializer_class, filterset_class = SwapSerializer, filters.SwapFilter

    @extend_schema(request=SwapBody, responses={201: SwapSerializer})
    def create(self, request: Request) -> Response:
        data = _body(request, SwapBody)
        by = _by(request)
        entries = RosterEntry.objects.visible_to(request.user)
        entry = entries.filter(pk=data["entry"]).first()
        if entry is None:
            raise serializers.ValidationError({"entry": [_("Unknown shift.")]})
        other = None
        if data["other_entry"]:
            other = entries.filter(pk=data["other_entry"], community=entry.community_id).first()
            if other is None:
                raise serializers.ValidationError({"other_entry": [_("Unknown shift.")]})
        swap = services.request_swap(
            entry=entry,
            kind=data["kind"],
            substitute=_staff(data["substitute"], "substitute"),
            explanation=data["explanation"],
            other_entry=other,
            by=by,
        )
        return Response(SwapSerializer(swap).data, status=201)

    @extend_schema(request=DecisionBody, responses=SwapSerializer)
    def decide(self, request: Request, pk: int) -> Response:
        swap = self.action_object("attendance.approve_shiftswap")
        swap = services.decide_swap(swap=swap, by=_by(request), **_body(request, DecisionBody))
        return Response(SwapSerializer(swap).data)


class LeaveSerializer(serializers.ModelSerializer):
    attachment = FileUrlField()

    class Meta:
        model = Leave
        fields = [
            "id", "community", "employee", "kind", "starts_on", "ends_on", "days",
            "explanation", "attachment", "original_name", "status", "requested_at",
            "decided_by", "decided_at", "reason",
        ]  # fmt: skip
        read_only_fields = fields


class LeaveBody(serializers.Serializer):
    community = serializers.IntegerField()
    kind = serializers.CharField(max_length=12)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    explanation = serializers.CharField(max_length=500)
    attachment = serializers.FileField(required=False, allow_null=True, default=None)


class LeaveViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OwnRows):
    model, view_perm = Leave, "attendance.view_leave"
    serializer_class, filterset_class = LeaveSerializer, filters.LeaveFilter

    @extend_schema(request=LeaveBody, responses={201: LeaveSerializer})
    def create(self, request: Request) -> Response:
        data = _body(request, LeaveBody)
        community = _community(request, data.pop("community"), "attendance.add_leave")
        leave = services.request_leave(community=community, by=_by(request), **data)
        return Response(LeaveSerializer(leave, context={"request": request}).data, status=201)

    @extend_schema(request=DecisionBody, responses=LeaveSerializer)
    def decide(self, request: Request, pk: int) -> Response:
        leave = self.action_object("attendance.view_leave")
        leave = services.decide_leave(leave=leave, by=_by(request), **_body(request, DecisionBody))
        return Response(LeaveSerializer(leave, context={"request": request}).data)


class MissingSerializer(serializers.ModelSerializer):
    class Meta:
        model = MissingPunch
        fields = [
            "id", "community", "employee", "at", "explanation", "status", "requested_at",
            "decided_by", "decided_at", "reason",
        ]  # fmt: skip
        read_only_fields = fields


class MissingBody(serializers.Serializer):
    community = serializers.IntegerField()
    at = serializers.DateTimeField()
    explanation = serializers.CharField(max_length=500)


class MissingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OwnRows):
    model, view_perm = MissingPunch, "attendance.view_missingpunch"
    serializer_class, filterset_class = MissingSerializer, filters.MissingFilter

    @extend_schema(request=MissingBody, responses={201: MissingSerializer})
    def create(self, request: Request) -> Response:
        data = _body(request, MissingBody)
        community = _community(request, data.pop("community"), "attendance.add_missingpunch")
        missing = services.request_missing_punch(community=community, by=_by(request), **data)
        return Response(MissingSerializer(missing).data, status=201)

    @extend_schema(request=DecisionBody, responses=MissingSerializer)
    def decide(self, request: Request, pk: int) -> Response:
        missing = self.action_object("attendance.approve_missingpunch")
        missing = services.decide_missing_punch(
            missing=missing, by=_by(request), **_body(request, DecisionBody)
        )
        return Response(MissingSerializer(missing).data)


# --- Punches, days, findings, the sheet -------------------------------------------------------


class CommunityBody(serializers.Serializer):
    community = serializers.IntegerField()


class PunchSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    at = serializers.DateTimeField()
    kind = serializers.CharField(source="source")


@extend_schema(request=CommunityBody, responses={201: PunchSerializer})
@api_view(["POST"])
def punch(request: Request) -> Response:
    """The caller punches in or out now (on the web at the post)."""
    _somewhere(request, "attendance.be_rostered")
    data = _body(request, CommunityBody)
    community = _community(request, data["community"], "attendance.be_rostered")
    done = services.record_punch(community=community, by=_by(request))
    return Response(PunchSerializer(done).data, status=201)


class DaySerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)

    class Meta:
        model = AttendanceDay
        fields = [
            "id", "reference", "community", "employee", "day", "post", "starts_at", "ends_at",
            "first_in", "last_out", "result", "late_minutes", "early_minutes", "absent_halves",
            "leave_kind", "is_working_day", "flagged_to_hr",
        ]  # fmt: skip
        read_only_fields = fields


class DayViewSet(mixins.ListModelMixin, OwnRows):
    """Computed days (`?day_from=`, `?day_to=`, `?result=`, `?employee=`): everyone's where
    the caller sees everyone's attendance, else their own."""

    model, view_perm = AttendanceDay, "attendance.view_attendanceday"
    serializer_class, filterset_class = DaySerializer, filters.DayFilter


class MonthQuery(serializers.Serializer):
    community = serializers.IntegerField()
    month = serializers.RegexField(r"^\d{4}-(0[1-9]|1[0-2])$", max_length=7)


class FindingSerializer(serializers.Serializer):
    reference = serializers.CharField()
    day = serializers.DateField()
    result = serializers.CharField()
    late_minutes = serializers.IntegerField()
    early_minutes = serializers.IntegerField()
    absent_days = serializers.DecimalField(max_digits=3, decimal_places=1)


class EmployeeMonthSerializer(serializers.Serializer):
    employee_id = serializers.IntegerField()
    name = serializers.CharField()
    scheduled_days = serializers.IntegerField()
    present_days = serializers.DecimalField(max_digits=5, decimal_places=1)
    lates = serializers.IntegerField()
    early_leaves = serializers.IntegerField()
    missing_punches = serializers.IntegerField()
    absent_days = serializers.DecimalField(max_digits=5, decimal_places=1)
    absences_from_lates = serializers.IntegerField()
    leave_days = serializers.DictField(child=serializers.IntegerField())
    full_attendance = serializers.BooleanField()
    findings = FindingSerializer(many=True)


def _month(value: str) -> dt.date:
    return dt.date.fromisoformat(f"{value}-01")


@extend_schema(parameters=[MonthQuery], responses=EmployeeMonthSerializer(many=True))
@api_view(["GET"])
def findings(request: Request) -> Response:
    """A month's summary and findings per employee (`?community=&month=YYYY-MM`)."""
    _somewhere(request, selectors.ALL)
    query = MonthQuery(data=request.query_params)
    query.is_valid(raise_exception=True)
    community = _community(request, query.validated_data["community"], selectors.ALL)
    months = selectors.attendance_findings(community, _month(query.validated_data["month"]))
    return Response(EmployeeMonthSerializer(months, many=True).data)


class SheetBody(CommunityBody):
    month = serializers.RegexField(r"^\d{4}-(0[1-9]|1[0-2])$", max_length=7)


class SheetSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    month = serializers.DateField()
    status = serializers.CharField()
    submitted_by = serializers.IntegerField(source="submitted_by_id")
    submitted_at = serializers.DateTimeField()


@extend_schema(request=SheetBody, responses=SheetSerializer)
@api_view(["POST"])
def submit_sheet(request: Request) -> Response:
    _somewhere(request, "attendance.submit_attendancesheet")
    data = _body(request, SheetBody)
    community = _community(request, data["community"], "attendance.submit_attendancesheet")
    sheet = services.submit_sheet(community=community, month=_month(data["month"]), by=_by(request))
    return Response(SheetSerializer(sheet).data)


app_name = "attendance-api"
urlpatterns = [
    path("roster/", RosterViewSet.as_view({"get": "list"}), name="roster-list"),
    path("roster/plan/", RosterViewSet.as_view({"post": "plan"}), name="roster-plan"),
    path("swaps/", SwapViewSet.as_view({"get": "list", "post": "create"}), name="swap-list"),
    path("swaps/<int:pk>/", SwapViewSet.as_view({"get": "retrieve"}), name="swap-detail"),
    path("swaps/<int:pk>/decide/", SwapViewSet.as_view({"post": "decide"}), name="swap-decide"),
    path("leave/", LeaveViewSet.as_view({"get": "list", "post": "create"}), name="leave-list"),
    path("leave/<int:pk>/", LeaveViewSet.as_view({"get": "retrieve"}), name="leave-detail"),
    path("leave/<int:pk>/decide/", LeaveViewSet.as_view({"post": "decide"}), name="leave-decide"),
    path(
        "missing/", MissingViewSet.as_view({"get": "list", "post": "create"}), name="missing-list"
    ),
    path(
        "missing/<int:pk>/decide/",
        MissingViewSet.as_view({"post": "decide"}),
        name="missing-decide",
    ),
    path("punches/", punch, name="punch"),
    path("days/", DayViewSet.as_view({"get": "list"}), name="day-list"),
    path("findings/", findings, name="findings"),
    path("sheet/submit/", submit_sheet, name="sheet-submit"),
]

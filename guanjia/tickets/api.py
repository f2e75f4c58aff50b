"""Tickets API under /api/v1/tickets/: the register, complaints and repairs.

Reads: rows of the communities where the caller holds the view permission (another
community's row: 404). Writes: a serializer (or the page's form) shapes the body, then the
same service as the page decides (ValidationError -> 400, authority -> 403). Each workflow
move is its own POST route, as on the pages."""

from __future__ import annotations

from typing import Any, ClassVar

from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from guanjia.accounts.selectors import (
    communities_with_perm,
    get_visible_or_404,
    request_user,
    require_perm,
)
from guanjia.core.models import Community
from guanjia.estates.models import Person, Unit

from . import services
from .models import Channel, Complaint, RepairOrder, RequestKind, ServiceRequest
from .views.actions import COMPLAINT_ACTIONS, REPAIR_ACTIONS, Action


class HasViewPerm(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(communities_with_perm(request.user, view.view_perm))


class RequestSerializer(serializers.ModelSerializer):
    class Meta:
        model = ServiceRequest
        fields = [
            "id",
            "community",
            "number",
            "channel",
            "kind",
            "unit",
            "person",
            "is_anonymous",
            "requester_name",
            "content",
            "received_at",
            "status",
            "answer",
            "answered_at",
            "closed_at_first_contact",
            "master",
        ]


class ComplaintSerializer(serializers.ModelSerializer):
    class Meta:
        model = Complaint
        fields = [
            "id",
            "community",
            "number",
            "request",
            "status",
            "validity",
            "invalid_reason",
            "severity",
            "category",
            "department",
            "handler",
            "promise_date",
            "result",
            "reply",
            "reply_method",
            "replied_at",
            "first_reply_due",
            "first_reply_met",
            "resolve_due",
            "resolve_met",
            "escalated_at",
            "closed_at",
        ]


class RepairSerializer(serializers.ModelSerializer):
    quote_amount = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)
    charge_amount = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)

    class Meta:
        model = RepairOrder
        fields = [
            "id",
            "community",
            "number",
            "request",
            "unit",
            "location",
            "place",
            "category",
            "urgency",
            "appointment_at",
            "warranty",
            "is_paid",
            "description",
            "status",
            "technician",
            "arrive_due",
            "arrived_at",
            "arrive_met",
            "complete_due",
            "completed_at",
            "complete_met",
            "quote_amount",
            "quote_status",
            "parts_promised_on",
            "fault",
            "work_done",
            "materials",
            "labour_minutes",
            "charge_amount",
            "verified_at",
            "rework_of",
        ]


class ContactSerializer(serializers.Serializer):
    """A new contact for the register (and its ticket)."""

    community = serializers.PrimaryKeyRelatedField(queryset=Community.objects.all())
    channel = serializers.ChoiceField(choices=Channel.choices)
    kind = serializers.ChoiceField(choices=RequestKind.choices)
    content = serializers.CharField(max_length=4000)
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), required=False)
    person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all(), required=False)
    is_anonymous = serializers.BooleanField(default=False)
    requester_name = serializers.CharField(max_length=50, required=False, default="")
    requester_phone = serializers.CharField(max_length=30, required=False, default="")
    answer = serializers.CharField(max_length=4000, required=False, default="")
    location = serializers.ChoiceField(choices=["home", "common"], required=False)
    category = serializers.CharField(max_length=20, required=False)
    urgency = serializers.ChoiceField(
        choices=["emergency", "ordinary", "appointment"], required=False
    )
    appointment_at = serializers.DateTimeField(required=False, allow_null=True)

    def validate_community(self, community: Community) -> Community:
        user = self.context["request"].user
        if community.pk not in communities_with_perm(user, "tickets.add_servicerequest"):
            raise serializers.ValidationError(_("You cannot register contacts in this community."))
        return community

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        if data["kind"] == RequestKind.REPAIR:
            missing = [k for k in ("location", "category", "urgency") if not data.get(k)]
            if missing:
                raise serializers.ValidationError(
                    dict.fromkeys(missing, _("Required for a repair."))
                )
        return data


class TicketList(generics.ListAPIView):
    permission_classes = [HasViewPerm]
    view_perm: ClassVar[str]
    related: ClassVar[tuple[str, ...]] = ()

    filter_backends = []  # type: ignore[var-annotated]  # filters: see get_queryset
    filters: ClassVar[tuple[str, ...]] = ("community", "status")

    def get_queryset(self) -> Any:
        """The caller's communities; `?community=`, `?status=` (and the list's own keys)."""
        ids = communities_with_perm(self.request.user, self.view_perm)
        model = self.get_serializer_class().Meta.model  # type: ignore[attr-defined]
        qs = model.objects.filter(community__in=ids).select_related(*self.related)
        params = self.request.query_params
        wanted = {k: params[k] for k in self.filters if params.get(k)}
        if "community" in wanted and not wanted["community"].isdigit():
            raise serializers.ValidationError({"community": _("Give a community id.")})
        return qs.filter(**wanted).order_by("-pk")


class TicketDetail(generics.RetrieveAPIView):
    permission_classes = [HasViewPerm]
    view_perm: ClassVar[str]

    def get_object(self) -> Any:
        model = self.get_serializer_class().Meta.model  # type: ignore[attr-defined]
        obj = get_visible_or_404(model.objects.all(), self.request.user, pk=self.kwargs["pk"])
        require_perm(self.request.user, self.view_perm, obj.community)
        return obj


class RequestList(TicketList):
    serializer_class = RequestSerializer
    view_perm = "tickets.view_servicerequest"
    filters = ("community", "status", "kind", "channel")

    @extend_schema(request=ContactSerializer, responses=RequestSerializer)
    def post(self, request: Request) -> Response:
        body = ContactSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        d = dict(body.validated_data)
        community = d.pop("community")
        require_perm(request.user, "tickets.add_servicerequest", community)
        repair = None
        if d["kind"] == RequestKind.REPAIR:
            repair = services.RepairDetails(
                location=d.pop("location"),
                category=d.pop("category"),
                urgency=d.pop("urgency"),
                appointment_at=d.pop("appointment_at", None),
            )
        answer = d.pop("answer", "")
        for key in ("location", "category", "urgency", "appointment_at"):
            d.pop(key, None)
        entry = services.take_contact(
            community=community,
            contact=services.Contact(**d),
            by=request_user(request),
            repair=repair,
            answer=answer,
        )
        return Response(RequestSerializer(entry).data, status=201)


class RequestDetail(TicketDetail):
    serializer_class = RequestSerializer
    view_perm = "tickets.view_servicerequest"


class ComplaintList(TicketList):
    serializer_class = ComplaintSerializer
    view_perm = "tickets.view_complaint"
    filters = ("community", "status", "severity", "category", "handler")


class ComplaintDetail(TicketDetail):
    serializer_class = ComplaintSerializer
    view_perm = "tickets.view_complaint"


class RepairList(TicketList):
    serializer_class = RepairSerializer
    view_perm = "tickets.view_repairorder"
    filters = ("community", "status", "urgency", "category", "technician")


class RepairDetail(TicketDetail):
    serializer_class = RepairSerializer
    view_perm = "tickets.view_repairorder"


def move_view(model: Any, serializer: Any, view_perm: str, action: Action) -> Any:
    """POST one workflow move; the body is validated by the page's form for that move."""

    class Move(APIView):
        @extend_schema(request=None, responses=serializer)
        def post(self, request: Request, pk: int) -> Response:
            obj = get_visible_or_404(model.objects.all(), request.user, pk=pk)
            require_perm(request.user, view_perm, obj.community)
            require_perm(request.user, action.perm, obj.community)
            form = action.form(request.data, community=obj.community)
            if not form.is_valid():
                return Response(form.errors.get_json_data(), status=400)
            action.perform(obj, form.cleaned_data, request_user(request))
            obj.refresh_from_db()
            return Response(serializer(obj).data)

    Move.__name__ = f"{model.__name__}{action.name.title().replace('-', '')}Move"
    return Move.as_view()


def _has_files(action: Action) -> bool:
    return any(f.widget.needs_multipart_form for f in action.form.base_fields.values())


app_name = "tickets-api"
urlpatterns = [
    path("requests/", RequestList.as_view(), name="request-list"),
    path("requests/<int:pk>/", RequestDetail.as_view(), name="request-detail"),
    path("complaints/", ComplaintList.as_view(), name="complaint-list"),
    path("complaints/<int:pk>/", ComplaintDetail.as_view(), name="complaint-detail"),
    path("repairs/", RepairList.as_view(), name="repair-list"),
    path("repairs/<int:pk>/", RepairDetail.as_view(), name="repair-detail"),
]
urlpatterns += [
    path(
        f"complaints/<int:pk>/{a.name}/",
        move_view(Complaint, ComplaintSerializer, "tickets.view_complaint", a),
        name=f"complaint-{a.name}",
    )
    for a in COMPLAINT_ACTIONS
]
urlpatterns += [
    path(
        f"repairs/<int:pk>/{a.name}/",
        move_view(RepairOrder, RepairSerializer, "tickets.view_repairorder", a),
        name=f"repair-{a.name}",
    )
    for a in REPAIR_ACTIONS
    if not _has_files(a)
]

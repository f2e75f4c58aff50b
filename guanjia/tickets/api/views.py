"""The tickets API's lists and details, and a new contact through the register."""

from __future__ import annotations

from typing import Any, ClassVar

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from guanjia.core.access import (
    communities_with_perm,
    get_visible_or_404,
    request_user,
    require_perm,
)
from guanjia.core.api import HasViewPerm

from .. import services
from ..models import RequestKind
from ..selectors.desk import overdue_q
from .serializers import ComplaintSerializer, ContactSerializer, RepairSerializer, RequestSerializer


class TicketList(generics.ListAPIView):
    permission_classes = [HasViewPerm]
    view_perm: ClassVar[str]
    related: ClassVar[tuple[str, ...]] = ()
    prefetch: ClassVar[tuple[str, ...]] = ()

    filter_backends = []  # type: ignore[var-annotated]  # filters: see get_queryset
    filters: ClassVar[tuple[str, ...]] = ("community", "status")

    def get_queryset(self) -> Any:
        """The caller's communities; `?community=`, `?status=` (and the list's own keys)."""
        ids = communities_with_perm(self.request.user, self.view_perm)
        model = self.get_serializer_class().Meta.model  # type: ignore[attr-defined]
        qs = (
            model.objects.filter(community__in=ids)
            .select_related(*self.related)
            .prefetch_related(*self.prefetch)
        )
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
    prefetch = ("attachments",)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "overdue",
                bool,
                description="true: letters whose written reply missed its deadline only.",
            )
        ]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        qs = super().get_queryset()
        overdue = self.request.query_params.get("overdue", "")
        if overdue not in ("", "true", "false"):
            raise serializers.ValidationError({"overdue": _("Give true or false.")})
        if overdue:
            q = overdue_q(timezone.now(), kind="request")
            qs = qs.filter(q) if overdue == "true" else qs.exclude(q)
        return qs

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
    prefetch = ("actions",)
    filters = ("community", "status", "severity", "category", "handler")


class ComplaintDetail(TicketDetail):
    serializer_class = ComplaintSerializer
    view_perm = "tickets.view_complaint"


class RepairList(TicketList):
    serializer_class = RepairSerializer
    view_perm = "tickets.view_repairorder"
    prefetch = ("photos",)
    filters = ("community", "status", "urgency", "category", "technician")


class RepairDetail(TicketDetail):
    serializer_class = RepairSerializer
    view_perm = "tickets.view_repairorder"

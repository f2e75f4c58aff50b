"""The tickets API's lists and details, and a new contact through the register."""

from __future__ import annotations

from typing import Any, ClassVar

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import generics
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
from ..filters import ComplaintFilter, RepairFilter, RequestFilter
from ..models import RequestKind
from .serializers import ComplaintSerializer, ContactSerializer, RepairSerializer, RequestSerializer


class DeskFilterBackend(DjangoFilterBackend):
    """The list's FilterSet (the page's, filters.py) over the caller's communities; a filter
    value that does not fit is a 400 with the field's message."""

    def get_filterset_kwargs(self, request: Request, queryset: Any, view: Any) -> dict[str, Any]:
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        kwargs["communities"] = communities_with_perm(request.user, view.view_perm)
        return kwargs


class TicketList(generics.ListAPIView):
    """The rows of the caller's communities, filtered by the list's FilterSet (`?community=`,
    `?status=`, the list's own keys, `?q=`, `?overdue=`...), 25 a page."""

    permission_classes = [HasViewPerm]
    view_perm: ClassVar[str]
    related: ClassVar[tuple[str, ...]] = ()
    prefetch: ClassVar[tuple[str, ...]] = ()
    filter_backends = [DeskFilterBackend]

    def get_queryset(self) -> Any:
        ids = communities_with_perm(self.request.user, self.view_perm)
        model = self.get_serializer_class().Meta.model  # type: ignore[attr-defined]
        return (
            model.objects.filter(community__in=ids)
            .select_related(*self.related)
            .prefetch_related(*self.prefetch)
            .order_by("-pk")
        )


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
    filterset_class = RequestFilter
    prefetch = ("attachments",)

    @extend_schema(request=ContactSerializer, responses=RequestSerializer)
    def post(self, request: Request) -> Response:
        body = ContactSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        community = data.pop("community")
        require_perm(request.user, "tickets.add_servicerequest", community)
        repair = None
        if data["kind"] == RequestKind.REPAIR:
            repair = services.RepairDetails(
                location=data.pop("location"),
                category=data.pop("category"),
                urgency=data.pop("urgency"),
                appointment_at=data.pop("appointment_at", None),
            )
        answer = data.pop("answer", "")
        for key in ("location", "category", "urgency", "appointment_at"):
            data.pop(key, None)
        entry = services.take_contact(
            community=community,
            contact=services.Contact(**data),
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
    filterset_class = ComplaintFilter
    prefetch = ("actions",)


class ComplaintDetail(TicketDetail):
    serializer_class = ComplaintSerializer
    view_perm = "tickets.view_complaint"


class RepairList(TicketList):
    serializer_class = RepairSerializer
    view_perm = "tickets.view_repairorder"
    filterset_class = RepairFilter
    prefetch = ("photos",)


class RepairDetail(TicketDetail):
    serializer_class = RepairSerializer
    view_perm = "tickets.view_repairorder"

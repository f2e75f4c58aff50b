"""Visits API under /api/v1/visits/: the list (the page's filter), one visit, recording its
answers or an attempt, the review, and "generate now". Reads: the communities where the caller
holds visits.view_visit (else 404; nowhere: 403). Writes: the same services as the pages
(ValidationError -> 400, authority -> 403)."""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from guanjia.core.access import get_visible_or_404, request_user
from guanjia.core.api import CommunityViewSet
from guanjia.core.models import Community

from . import services
from .filters import VisitFilter
from .models import Visit
from .services.recording import Answers


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


router = SimpleRouter()
router.register("visits", VisitViewSet, basename="visit")

app_name = "visits-api"
urlpatterns = [
    path("generate/", VisitViewSet.as_view({"post": "generate"}), name="generate"),
    *router.urls,
]

"""Visits API under /api/v1/visits/: the list (the page's filter), one visit, recording its
answers or an attempt, the review, and "generate now". Reads: the communities where the caller
holds visits.view_visit (else 404; nowhere: 403). Writes: the same services as the pages
(ValidationError -> 400, authority -> 403)."""

from __future__ import annotations

from typing import Any, cast

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action, api_view
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from guanjia.core.access import User, communities_with_perm, get_visible_or_404
from guanjia.core.api import HasViewPerm
from guanjia.core.models import Community

from . import services
from .filters import VisitFilter
from .models import Visit
from .services.recording import Answers


def _user(request: Request) -> User:
    return cast(User, request.user)  # HasViewPerm let only staff in


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


class VisitViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = VisitSerializer
    permission_classes = [HasViewPerm]
    filterset_class = VisitFilter
    view_perm = "visits.view_visit"

    def get_queryset(self) -> Any:
        ids = communities_with_perm(self.request.user, self.view_perm)
        rows = Visit.objects.visible_to(self.request.user).filter(community__in=ids)
        return rows.select_related("complaint", "repair", "request").order_by("due_on", "pk")

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
        services.record_visit(visit=visit, answers=answers, by=_user(request))
        return self._answer(visit)

    @extend_schema(request=AttemptSerializer, responses=VisitSerializer)
    @action(detail=True, methods=["post"])
    def attempt(self, request: Request, pk: str) -> Response:
        """A try that did not reach the resident."""
        visit = self.get_object()
        body = self._body(AttemptSerializer)
        services.record_attempt(
            visit=visit, outcome=body["outcome"], note=body.get("note", ""), by=_user(request)
        )
        return self._answer(visit)

    @extend_schema(request=VisitNoteSerializer, responses=VisitSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request: Request, pk: str) -> Response:
        """The supervisor's review."""
        visit = self.get_object()
        body = self._body(VisitNoteSerializer)
        services.review_visit(visit=visit, note=body.get("note", ""), by=_user(request))
        return self._answer(visit)


@extend_schema(request=GenerateSerializer, responses={200: dict})
@api_view(["POST"])
def generate_view(request: Request) -> Response:
    """Generate the visits the rules owe in one community now; counts by type."""
    body = GenerateSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    community = get_visible_or_404(
        Community.objects.all(), request.user, pk=body.validated_data["community"]
    )
    return Response(services.generate_visits(community=community, by=_user(request)))


router = SimpleRouter()
router.register("visits", VisitViewSet, basename="visit")

app_name = "visits-api"
urlpatterns = [path("generate/", generate_view, name="generate"), *router.urls]

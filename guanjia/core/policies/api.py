"""API for policies under /api/v1/policies/: the keys with values in force, and setting one."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from guanjia.core.access import get_visible_or_404, request_user, require_perm
from guanjia.core.models import Community

from . import selectors, services
from .registry import PolicySpec, get_spec, is_registered
from .selectors import VIEW_PERM, PolicyState


class PolicySerializer(serializers.Serializer):
    """A key with its company default and, for a community, the value in force there."""

    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a field, not Field.label
    kind = serializers.CharField()
    unit = serializers.CharField()
    section = serializers.CharField()
    domain = serializers.CharField()
    scope = serializers.CharField()
    minimum = serializers.JSONField(allow_null=True)
    maximum = serializers.JSONField(allow_null=True)
    choices = serializers.ListField(child=serializers.CharField())
    default = serializers.JSONField(help_text=_("The spec's default."))
    company_value = serializers.JSONField(help_text=_("The company default in force."))
    community_value = serializers.JSONField(allow_null=True)
    effective = serializers.JSONField()


def _counted(spec: PolicySpec) -> bool:
    return spec.kind in ("list", "time_window")


def _bound(spec: PolicySpec, bound: Any) -> Any:
    if bound is None or _counted(spec):
        return bound
    return spec.to_primitive(bound)


def _policy_data(state: PolicyState) -> dict[str, Any]:
    spec = state.spec
    return {
        "key": spec.key,
        "label": str(spec.label),
        "kind": spec.kind,
        "unit": spec.unit,
        "section": spec.section,
        "domain": spec.domain,
        "scope": spec.scope,
        "minimum": _bound(spec, spec.minimum),
        "maximum": _bound(spec, spec.maximum),
        "choices": [code for code, _label in spec.allowed_choices()],
        "default": spec.to_primitive(spec.default),
        "company_value": spec.to_primitive(state.company_value),
        "community_value": spec.to_primitive(state.override) if state.has_override else None,
        "effective": spec.to_primitive(state.effective),
    }


class CommunityQuerySerializer(serializers.Serializer):
    community = serializers.IntegerField(required=False, min_value=1)


def _community(request: Request, raw: Any) -> Community | None:
    if raw is None:
        return None
    return get_visible_or_404(Community, request.user, pk=raw)


def _company_id(request: Request, community: Community | None) -> int:
    if community is not None:
        return community.company_id
    return getattr(request.user, "company_id", None) or 0


COMMUNITY_PARAM = OpenApiParameter("community", int, description="Community id")


@extend_schema(parameters=[COMMUNITY_PARAM], responses=PolicySerializer(many=True))
@api_view(["GET"])
def policy_list(request: Request) -> Response:
    query = CommunityQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    community = _community(request, query.validated_data.get("community"))
    require_perm(request.user, VIEW_PERM, community)
    states = selectors.policy_states(community, company_id=_company_id(request, community))
    return Response([_policy_data(state) for state in states])


def _spec_or_404(key: str) -> PolicySpec:
    if not is_registered(key):
        raise Http404
    return get_spec(key)


class CommunityValueSerializer(serializers.Serializer):
    community = serializers.IntegerField()
    value = serializers.JSONField(allow_null=True)
    is_override = serializers.BooleanField()


class ChangeSerializer(serializers.Serializer):
    community = serializers.IntegerField(allow_null=True)
    old = serializers.CharField()
    new = serializers.CharField()
    effective_from = serializers.DateField()
    reason = serializers.CharField()
    set_by = serializers.CharField()
    created_at = serializers.DateTimeField()


class PolicyDetailSerializer(PolicySerializer):
    communities = CommunityValueSerializer(many=True)
    changes = ChangeSerializer(many=True)


@extend_schema(parameters=[COMMUNITY_PARAM], responses=PolicyDetailSerializer)
@api_view(["GET"])
def policy_detail(request: Request, key: str) -> Response:
    spec = _spec_or_404(key)
    query = CommunityQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    community = _community(request, query.validated_data.get("community"))
    require_perm(request.user, VIEW_PERM, community)
    data = _policy_data(
        selectors.policy_state(community, key, company_id=_company_id(request, community))
    )
    data["communities"] = [
        {
            "community": c.pk,
            "value": spec.to_primitive(state.effective),
            "is_override": state.has_override,
        }
        for c in Community.objects.visible_to(request.user).filter(is_active=True)
        for state in [selectors.policy_state(c, key)]
    ]
    data["changes"] = [
        {
            "community": change.row.community_id,
            "old": change.old,
            "new": change.new,
            "effective_from": change.row.effective_from,
            "reason": change.row.reason,
            "set_by": str(change.row.set_by),
            "created_at": change.row.created_at,
        }
        for change in selectors.policy_changes(key, request_user(request))
    ]
    return Response(PolicyDetailSerializer(data).data)


class SetValueSerializer(serializers.Serializer):
    """The body of a new value: the value (JSON, shaped by the key's kind), where, from when."""

    value = serializers.JSONField(help_text=_('For example 24, "0.003", "08:30", true.'))
    community = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, help_text=_("Empty: the company default.")
    )
    effective_from = serializers.DateField(required=False)
    reason = serializers.CharField(max_length=500)


class PolicyValueSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    key = serializers.CharField()
    community = serializers.IntegerField(allow_null=True, source="community_id")
    value = serializers.JSONField()
    effective_from = serializers.DateField()
    reason = serializers.CharField()


@extend_schema(request=SetValueSerializer, responses={201: PolicyValueSerializer})
@api_view(["POST"])
def policy_set_value(request: Request, key: str) -> Response:
    spec = _spec_or_404(key)
    body = SetValueSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    community = _community(request, body.validated_data.get("community"))
    require_perm(request.user, VIEW_PERM, community)
    row = services.set_policy(
        key=key,
        value=body.validated_data["value"],
        community=community,
        company=None if community else _company_or_404(request),
        effective_from=body.validated_data.get("effective_from"),
        reason=body.validated_data["reason"],
        by=request_user(request),
    )
    data = PolicyValueSerializer(row).data
    data["value"] = spec.to_primitive(spec.from_json(row.value))
    return Response(data, status=status.HTTP_201_CREATED)


def _company_or_404(request: Request) -> Any:
    company = getattr(request.user, "company", None)
    if company is None:
        raise Http404
    return company


app_name = "policies-api"
urlpatterns = [
    path("", policy_list, name="list"),
    path("<str:key>/", policy_detail, name="detail"),
    path("<str:key>/values/", policy_set_value, name="set-value"),
]

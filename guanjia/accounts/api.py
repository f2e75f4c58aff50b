"""Accounts API: who am I, with my roles and communities."""

from typing import Any

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from .selectors import get_access


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    full_name = serializers.CharField()
    roles = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
    communities = serializers.ListField(child=serializers.IntegerField())


@extend_schema(responses=MeSerializer)
@api_view(["GET"])
def me(request: Request) -> Response:
    access = get_access(request.user)
    data: dict[str, Any] = {
        "username": request.user.get_username(),
        "full_name": getattr(request.user, "display_name", ""),
        "roles": {
            str(cid or "company"): sorted(roles) for cid, roles in access.roles_by_community.items()
        },
        "communities": access.community_ids,
    }
    return Response(MeSerializer(data).data)


app_name = "accounts-api"
urlpatterns = [path("me/", me, name="me")]

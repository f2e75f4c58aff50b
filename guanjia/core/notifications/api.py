"""API for notifications under /api/v1/notifications/: my inbox and marking read."""

from __future__ import annotations

from typing import cast

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

from guanjia.core.access import User, get_visible_or_404, request_user

from . import selectors, services
from .models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notification
        fields = [
            "id",
            "event",
            "subject",
            "body",
            "link",
            "community",
            "created_at",
            "read_at",
            "is_read",
        ]
        read_only_fields = fields


@extend_schema(responses=NotificationSerializer(many=True))
@api_view(["GET"])
def notification_list(request: Request) -> Response:
    """My notifications, unread first, 25 a page."""
    paginator = PageNumberPagination()
    page = paginator.paginate_queryset(selectors.inbox(request_user(request)), request)
    return paginator.get_paginated_response(NotificationSerializer(page, many=True).data)


@extend_schema(request=None, responses=NotificationSerializer)
@api_view(["POST"])
def notification_read(request: Request, pk: int) -> Response:
    """Mark one of my notifications read; anyone else's is 404."""
    notification = get_visible_or_404(Notification, request.user, pk=pk)
    services.mark_read(notification=notification, by=cast(User, request.user))
    return Response(NotificationSerializer(notification).data)


app_name = "notifications-api"

urlpatterns = [
    path("", notification_list, name="list"),
    path("<int:pk>/read/", notification_read, name="read"),
]

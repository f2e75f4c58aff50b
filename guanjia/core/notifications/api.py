"""API for notifications under /api/v1/notifications/."""

from django.urls import path  # noqa: F401  # routes are added as the endpoints are built

app_name = "notifications-api"

urlpatterns: list = []

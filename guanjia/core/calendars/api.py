"""API for calendars under /api/v1/calendars/."""

from django.urls import path  # noqa: F401  # routes are added as the endpoints are built

app_name = "calendars-api"

urlpatterns: list = []

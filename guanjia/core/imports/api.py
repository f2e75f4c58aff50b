"""API for imports under /api/v1/imports/."""

from django.urls import path  # noqa: F401  # routes are added as the endpoints are built

app_name = "imports-api"

urlpatterns: list = []

"""API for policies under /api/v1/policies/."""

from django.urls import path  # noqa: F401  # routes are added as the endpoints are built

app_name = "policies-api"

urlpatterns: list = []

"""API for jobs under /api/v1/jobs/."""

from django.urls import path  # noqa: F401  # routes are added as the endpoints are built

app_name = "jobs-api"

urlpatterns: list = []

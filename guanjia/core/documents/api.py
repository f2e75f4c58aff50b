"""API for documents under /api/v1/documents/."""

from django.urls import path  # noqa: F401  # routes are added as the endpoints are built

app_name = "documents-api"

urlpatterns: list = []

"""The plans API (/api/v1/plans/)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []

"""The conduct API (/api/v1/conduct/)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []

"""The move-in API (/api/v1/movein/)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []

"""The renovation API (/api/v1/renovation/)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []

"""The attendance API (/api/v1/attendance/)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []

"""The violations API (/api/v1/violations/)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []

"""The appraisal API (/api/v1/appraisal/)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []

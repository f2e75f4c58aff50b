"""The passes API (/api/v1/passes/)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []

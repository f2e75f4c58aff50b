"""The zone patrols API (/api/v1/patrols/)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []

"""The vacant units API (/api/v1/vacant/)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []

"""The sanctions API (/api/v1/sanctions/)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []

from django.urls import path  # noqa: F401  # staff administration pages are added here

app_name = "accounts"

urlpatterns: list = []

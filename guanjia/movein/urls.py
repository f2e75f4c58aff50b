from django.urls import URLPattern

app_name = "movein"
urlpatterns: list[URLPattern] = []

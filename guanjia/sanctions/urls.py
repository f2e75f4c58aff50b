from django.urls import URLPattern

app_name = "sanctions"
urlpatterns: list[URLPattern] = []

from django.urls import URLPattern

app_name = "passes"
urlpatterns: list[URLPattern] = []

from django.urls import URLPattern

app_name = "attendance"
urlpatterns: list[URLPattern] = []

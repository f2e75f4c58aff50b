from django.urls import URLPattern

app_name = "patrols"
urlpatterns: list[URLPattern] = []

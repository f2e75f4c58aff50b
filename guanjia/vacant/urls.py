from django.urls import URLPattern

app_name = "vacant"
urlpatterns: list[URLPattern] = []

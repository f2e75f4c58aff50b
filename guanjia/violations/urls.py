from django.urls import URLPattern

app_name = "violations"
urlpatterns: list[URLPattern] = []

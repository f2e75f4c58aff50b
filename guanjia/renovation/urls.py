from django.urls import URLPattern

app_name = "renovation"
urlpatterns: list[URLPattern] = []

from django.urls import path

from . import views

app_name = "files"

urlpatterns = [
    path(
        "<slug:app_label>/<slug:model>/<int:pk>/<slug:field>/",
        views.serve_file,
        name="serve",
    ),
]

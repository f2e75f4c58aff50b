from django.urls import path

from . import views

app_name = "jobs"

urlpatterns = [
    path("", views.jobrun_list, name="jobrun-list"),
    path("<int:pk>/", views.jobrun_detail, name="jobrun-detail"),
]

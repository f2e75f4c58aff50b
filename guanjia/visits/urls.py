from django.urls import path

from . import kpis, views

app_name = "visits"

urlpatterns = [
    path("", views.VisitList.as_view(), name="visit-list"),
    path("review/", views.ReviewList.as_view(), name="review"),
    path("generate/", views.generate_now, name="generate"),
    path("kpis/", kpis.kpi_page, name="kpis"),
    path("kpis/export/", kpis.kpi_export, name="kpis-export"),
    path("<int:pk>/", views.visit_detail, name="visit-detail"),
    path("<int:pk>/record/", views.visit_record, name="visit-record"),
    path("<int:pk>/attempt/", views.visit_attempt, name="visit-attempt"),
    path("<int:pk>/decline/", views.visit_decline, name="visit-decline"),
    path("<int:pk>/review/", views.visit_review, name="visit-review"),
]

from django.urls import path

from . import kpis, plan_views, survey_views, views

app_name = "visits"

urlpatterns = [
    path("", views.VisitList.as_view(), name="visit-list"),
    path("review/", views.ReviewList.as_view(), name="review"),
    path("generate/", views.generate_now, name="generate"),
    path("kpis/", kpis.kpi_page, name="kpis"),
    path("kpis/export/", kpis.kpi_export, name="kpis-export"),
    path("plans/", plan_views.plan_list, name="plans"),
    path("plan/", plan_views.plan_visit, name="plan-visit"),
    path("surveys/", survey_views.survey_list, name="surveys"),
    path("surveys/<int:pk>/", survey_views.survey_detail, name="survey-detail"),
    path("surveys/<int:pk>/export/", survey_views.survey_export, name="survey-export"),
    path("surveys/<int:pk>/send/", survey_views.survey_send, name="survey-send"),
    path("surveys/<int:pk>/enter/", survey_views.survey_enter, name="survey-enter"),
    path("s/<str:token>/", survey_views.survey_answer, name="survey-answer"),
    path("<int:pk>/", views.visit_detail, name="visit-detail"),
    path("<int:pk>/record/", views.visit_record, name="visit-record"),
    path("<int:pk>/attempt/", views.visit_attempt, name="visit-attempt"),
    path("<int:pk>/decline/", views.visit_decline, name="visit-decline"),
    path("<int:pk>/review/", views.visit_review, name="visit-review"),
]

from django.urls import path

from . import views

app_name = "appraisal"
urlpatterns = [
    path("scores/", views.ScoreList.as_view(), name="score-list"),
    path("scores/compute/", views.score_compute, name="score-compute"),
    path("scores/<int:pk>/", views.score_detail, name="score-detail"),
    path("scores/<int:pk>/adjust/", views.score_adjust, name="score-adjust"),
    path("appraisals/", views.AppraisalList.as_view(), name="appraisal-list"),
    path("appraisals/open/", views.appraisal_open, name="appraisal-open"),
    path("appraisals/probation/", views.probation_open, name="probation-open"),
    path("appraisals/<int:pk>/", views.appraisal_detail, name="appraisal-detail"),
    path("appraisals/<int:pk>/<slug:step>/", views.appraisal_act, name="appraisal-act"),
    path("mine/", views.mine, name="mine"),
    path("reports/", views.reports, name="reports"),
    path("reports/pay/", views.pay_export, name="pay-export"),
]

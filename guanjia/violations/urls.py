from django.urls import path

from . import kpis, views

app_name = "violations"

urlpatterns = [
    path("", views.ViolationList.as_view(), name="violation-list"),
    path("recheck/", views.RecheckList.as_view(), name="recheck-list"),
    path("new/", views.violation_create, name="violation-create"),
    path("kpis/", kpis.kpi_page, name="kpis"),
    path("kpis/export/", kpis.kpi_export, name="kpis-export"),
    path("types/", views.type_list, name="type-list"),
    path("types/<int:pk>/retire/", views.type_retire, name="type-retire"),
    path("notices/<int:pk>/print/", views.notice_print, name="notice-print"),
    path("<int:pk>/", views.violation_detail, name="violation-detail"),
    path("<int:pk>/dissuade/", views.Dissuade.as_view(), name="violation-dissuade"),
    path("<int:pk>/notice/", views.IssueNotice.as_view(), name="violation-notice"),
    path("<int:pk>/recheck/", views.Recheck.as_view(), name="violation-recheck"),
    path("<int:pk>/correct/", views.Correct.as_view(), name="violation-correct"),
    path("<int:pk>/escalate/", views.Escalate.as_view(), name="violation-escalate"),
    path("<int:pk>/report/", views.Report.as_view(), name="violation-report"),
    path("<int:pk>/transfer/", views.Transfer.as_view(), name="violation-transfer"),
    path("<int:pk>/measure/", views.Measure.as_view(), name="violation-measure"),
    path("<int:pk>/appeal/", views.Appeal.as_view(), name="violation-appeal"),
    path("<int:pk>/appeal/decide/", views.DecideAppeal.as_view(), name="violation-decide"),
    path("<int:pk>/photo/", views.AddPhoto.as_view(), name="violation-photo"),
]

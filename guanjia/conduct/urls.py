from django.urls import path

from . import kpis, views

app_name = "conduct"

urlpatterns = [
    path("standards/", views.standards, name="standards"),
    path("standards/print/", views.standards_print, name="standards-print"),
    path("standards/add/", views.standard_add, name="standard-add"),
    path("standards/<int:pk>/edit/", views.standard_edit, name="standard-edit"),
    path("levels/", views.levels, name="levels"),
    path("levels/<int:pk>/edit/", views.level_edit, name="level-edit"),
    path("checks/", views.CheckList.as_view(), name="check-list"),
    path("checks/new/", views.check_new, name="check-new"),
    path("checks/<int:pk>/", views.check_detail, name="check-detail"),
    path("checks/<int:pk>/submit/", views.check_submit, name="check-submit"),
    path("checks/<int:pk>/acknowledge/", views.check_acknowledge, name="check-acknowledge"),
    path("checks/<int:pk>/refuse/", views.check_refuse, name="check-refuse"),
    path("checks/<int:pk>/cancel/", views.check_cancel, name="check-cancel"),
    path("records/", views.RecordList.as_view(), name="record-list"),
    path("records/new/", views.record_new, name="record-new"),
    path("records/generate/", views.generate_now, name="generate"),
    path("records/<int:pk>/", views.record_detail, name="record-detail"),
    path("records/<int:pk>/<slug:step>/", views.record_act, name="record-act"),
    path("mine/", views.mine, name="mine"),
    path("board/", views.board, name="board"),
    path("kpis/", kpis.kpi_page, name="kpis"),
    path("kpis/export/", kpis.kpi_export, name="kpis-export"),
]

from django.urls import path

from . import views

app_name = "attendance"
urlpatterns = [
    path("me/", views.mine, name="mine"),
    path("me/punch/", views.punch, name="punch"),
    path("staff/<int:pk>/", views.employee_page, name="employee"),
    path("roster/", views.roster, name="roster"),
    path("roster/print/", views.roster_print, name="roster-print"),
    path("roster/plan/", views.roster_plan, name="roster-plan"),
    path("swaps/", views.SwapList.as_view(), name="swap-list"),
    path("swaps/new/", views.swap_create, name="swap-create"),
    path("swaps/<int:pk>/", views.SwapDetail.as_view(), name="swap-detail"),
    path("swaps/<int:pk>/decide/", views.SwapDecide.as_view(), name="swap-decide"),
    path("leave/", views.LeaveList.as_view(), name="leave-list"),
    path("leave/new/", views.leave_create, name="leave-create"),
    path("leave/<int:pk>/", views.LeaveDetail.as_view(), name="leave-detail"),
    path("leave/<int:pk>/decide/", views.LeaveDecide.as_view(), name="leave-decide"),
    path("missing/", views.MissingList.as_view(), name="missing-list"),
    path("missing/new/", views.missing_create, name="missing-create"),
    path("missing/<int:pk>/", views.MissingDetail.as_view(), name="missing-detail"),
    path("missing/<int:pk>/decide/", views.MissingDecide.as_view(), name="missing-decide"),
    path("punches/import/", views.punch_import, name="punch-import"),
    path("punches/columns/", views.punch_columns, name="punch-columns"),
    path("days/", views.DayList.as_view(), name="day-list"),
    path("days/recompute/", views.recompute, name="recompute"),
    path("sheet/", views.sheet, name="sheet"),
    path("sheet/submit/", views.sheet_submit, name="sheet-submit"),
    path("sheet/reopen/", views.sheet_reopen, name="sheet-reopen"),
    path("sheet/export/", views.sheet_export, name="sheet-export"),
    path("kpis/", views.kpi_page, name="kpis"),
]

from django.urls import path

from . import kpis, views

app_name = "vacant"
urlpatterns = [
    path("", views.VacantUnitList.as_view(), name="unit-list"),
    path("new/", views.VacantUnitCreate.as_view(), name="unit-create"),
    path("sync/", views.sync_register, name="unit-sync"),
    path("<int:pk>/", views.VacantUnitDetail.as_view(), name="unit-detail"),
    path("<int:pk>/update/", views.VacantUnitUpdate.as_view(), name="unit-update"),
    path("<int:pk>/leave/", views.VacantUnitLeave.as_view(), name="unit-leave"),
    path("<int:pk>/viewings/", views.VacantUnitViewing.as_view(), name="unit-viewing"),
    path("<int:pk>/inspect/", views.InspectPage.as_view(), name="unit-inspect"),
    path("inspections/", views.InspectionList.as_view(), name="inspection-list"),
    path("inspections/<int:pk>/", views.InspectionDetail.as_view(), name="inspection-detail"),
    path("tasks/", views.TaskList.as_view(), name="task-list"),
    path("tasks/generate/", views.generate_now, name="task-generate"),
    path("tasks/<int:pk>/done/", views.TaskDone.as_view(), name="task-done"),
    path("storms/new/", views.storm_create, name="storm-create"),
    path("kpis/", kpis.kpi_page, name="kpis"),
    path("kpis/export/", kpis.kpi_export, name="kpis-export"),
]

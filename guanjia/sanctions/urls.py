from django.urls import path

from . import views

app_name = "sanctions"

urlpatterns = [
    path("", views.BreachList.as_view(), name="breach-list"),
    path("new/", views.breach_create, name="breach-create"),
    path("kpis/", views.kpi_page, name="kpis"),
    path("table/", views.table, name="table"),
    path("table/<int:pk>/", views.table_edit, name="table-edit"),
    path("<int:pk>/", views.breach_detail, name="breach-detail"),
    path("<int:pk>/print/", views.breach_print, name="breach-print"),
    path("<int:pk>/verify/", views.Verify.as_view(), name="breach-verify"),
    path("<int:pk>/decide/", views.Decide.as_view(), name="breach-decide"),
    path("<int:pk>/notify/", views.Notify.as_view(), name="breach-notify"),
    path("<int:pk>/execute/", views.Execute.as_view(), name="breach-execute"),
    path("<int:pk>/appeal/", views.Appeal.as_view(), name="breach-appeal"),
    path("<int:pk>/appeal/decide/", views.DecideAppeal.as_view(), name="breach-appeal-decide"),
    path("<int:pk>/close/", views.Close.as_view(), name="breach-close"),
    path("<int:pk>/cancel/", views.Cancel.as_view(), name="breach-cancel"),
    path("<int:pk>/photo/", views.AddPhoto.as_view(), name="breach-photo"),
]

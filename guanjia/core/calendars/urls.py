from django.urls import path

from . import views

app_name = "calendars"

urlpatterns = [
    path("", views.index, name="index"),
    path("company/schedule/", views.company_schedule_edit, name="company-schedule"),
    path("<int:community_id>/<int:year>/", views.year_view, name="year"),
    path("<int:community_id>/<int:year>/<int:month>/", views.month_view, name="month"),
    path("<int:community_id>/exceptions/new/", views.holiday_create, name="holiday-create"),
    path("<int:community_id>/changes/", views.changes, name="changes"),
    path("<int:community_id>/schedule/", views.schedule_edit, name="schedule"),
    path("exceptions/<int:pk>/edit/", views.holiday_update, name="holiday-update"),
    path("exceptions/<int:pk>/delete/", views.holiday_delete, name="holiday-delete"),
]

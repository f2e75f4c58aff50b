from django.urls import path

from . import views
from .views import meters

app_name = "billing"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("fee-items/", views.feeitem_list, name="feeitem-list"),
    path("fee-items/new/", views.feeitem_create, name="feeitem-create"),
    path("standards/", views.standard_list, name="standard-list"),
    path("standards/new/", views.standard_create, name="standard-create"),
    path("standards/<int:pk>/", views.standard_detail, name="standard-detail"),
    path("standards/waiting/", views.standard_waiting, name="standard-waiting"),
    path("standards/<int:pk>/edit/", views.standard_edit, name="standard-edit"),
    path("standards/<int:pk>/approve/", views.standard_approve, name="standard-approve"),
    path("standards/<int:pk>/reject/", views.standard_reject, name="standard-reject"),
    path("standards/<int:pk>/rates/", views.version_create, name="version-create"),
    path("rates/<int:pk>/approve/", views.version_approve, name="version-approve"),
    path("rates/<int:pk>/reject/", views.version_reject, name="version-reject"),
    path("runs/", views.run_list, name="run-list"),
    path("runs/preview/", views.run_preview, name="run-preview"),
    path("runs/post/", views.run_post, name="run-post"),
    path("runs/<int:pk>/", views.run_detail, name="run-detail"),
    path("runs/<int:pk>/reverse/", views.run_request_reversal, name="run-request-reversal"),
    path(
        "runs/<int:pk>/approve-reversal/", views.run_approve_reversal, name="run-approve-reversal"
    ),
    path("readings/", views.reading_list, name="reading-list"),
    path("readings/new/", views.reading_create, name="reading-create"),
    path("readings/flagged/", views.reading_flagged, name="reading-flagged"),
    path("readings/<int:pk>/confirm/", views.reading_confirm, name="reading-confirm"),
    path("meters/", meters.MeterList.as_view(), name="meter-list"),
    path("meters/new/", meters.MeterCreate.as_view(), name="meter-create"),
    path("meters/<int:pk>/", meters.meter_detail, name="meter-detail"),
    path("meters/<int:pk>/edit/", meters.MeterEdit.as_view(), name="meter-edit"),
    path("meters/<int:pk>/replace/", meters.meter_replace, name="meter-replace"),
    path(
        "meters/<int:pk>/apportionment/",
        meters.meter_apportionment,
        name="meter-apportionment",
    ),
    path("rates/<int:pk>/tiers/", meters.version_tiers, name="version-tiers"),
    path("months/close/", views.month_close, name="month-close"),
    path("late-fees/", views.late_fee_list, name="late-fee-list"),
    path("units/<int:pk>/late-fees/", views.unit_late_fees, name="unit-late-fees"),
    path("units/<int:pk>/statement/", views.unit_statement_view, name="unit-statement"),
    path(
        "units/<int:pk>/statement/print/", views.unit_statement_print, name="unit-statement-print"
    ),
    path("units/<int:pk>/exceptions/", views.unit_exception_list, name="unit-exceptions"),
    path(
        "units/<int:pk>/exceptions/new/",
        views.unit_exception_create,
        name="unit-exception-create",
    ),
]

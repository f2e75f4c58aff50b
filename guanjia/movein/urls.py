from django.urls import URLPattern, path

from . import views

app_name = "movein"
urlpatterns: list[URLPattern] = [
    path("batches/", views.BatchList.as_view(), name="batch-list"),
    path("batches/new/", views.BatchCreate.as_view(), name="batch-create"),
    path("batches/<int:pk>/", views.BatchDetail.as_view(), name="batch-detail"),
    path("batches/<int:pk>/tick/", views.BatchTick.as_view(), name="batch-tick"),
    path("batches/<int:pk>/notify/", views.BatchNotify.as_view(), name="batch-notify"),
    path("batches/<int:pk>/close/", views.BatchClose.as_view(), name="batch-close"),
    path("batches/<int:pk>/notices/", views.BatchNoticesPdf.as_view(), name="batch-notices"),
    path(
        "batches/<int:pk>/notices.pdf",
        views.batch_notices_download,
        name="batch-notices-download",
    ),
    path("units/", views.DeliveryList.as_view(), name="delivery-list"),
    path("units/<int:pk>/", views.DeliveryDetail.as_view(), name="delivery-detail"),
    path("units/<int:pk>/verify/", views.Verify.as_view(), name="delivery-verify"),
    path("units/<int:pk>/register/", views.Register.as_view(), name="delivery-register"),
    path("units/<int:pk>/fees/", views.Fees.as_view(), name="delivery-fees"),
    path("units/<int:pk>/documents/", views.Documents.as_view(), name="delivery-documents"),
    path("units/<int:pk>/inspect/", views.StartInspection.as_view(), name="delivery-inspect"),
    path("units/<int:pk>/keys/", views.Keys.as_view(), name="delivery-keys"),
    path("units/<int:pk>/cards/", views.Cards.as_view(), name="delivery-cards"),
    path("units/<int:pk>/refuse/", views.Refuse.as_view(), name="delivery-refuse"),
    path("units/<int:pk>/inspection/", views.InspectionPage.as_view(), name="inspection"),
    path("units/<int:pk>/inspection/defect/", views.AddDefect.as_view(), name="inspection-defect"),
    path("units/<int:pk>/inspection/sign/", views.SignInspection.as_view(), name="inspection-sign"),
    path("units/<int:pk>/inspection/print/", views.inspection_print, name="inspection-print"),
    path("queue/", views.queue, name="queue"),
    path("defects/", views.DefectList.as_view(), name="defect-list"),
    path("defects/<int:pk>/", views.DefectDetail.as_view(), name="defect-detail"),
    path("defects/<int:pk>/fixed/", views.DefectFixed.as_view(), name="defect-fixed"),
    path("defects/<int:pk>/reinspect/", views.DefectReinspect.as_view(), name="defect-reinspect"),
    path("defects/<int:pk>/reopen/", views.DefectReopen.as_view(), name="defect-reopen"),
    path("template/", views.template_edit, name="template"),
    path("report/", views.report, name="report"),
    path("report/export.xlsx", views.report_export, name="report-export"),
]

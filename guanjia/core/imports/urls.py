from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("exports/<int:pk>/", views.export_download, name="export-download"),
    path("<slug:kind>/", views.upload, name="upload"),
    path("<slug:kind>/template.xlsx", views.template, name="template"),
    path("<slug:kind>/batches/<int:pk>/", views.batch_detail, name="batch-detail"),
    path("<slug:kind>/batches/<int:pk>/commit/", views.batch_commit, name="batch-commit"),
    path("<slug:kind>/batches/<int:pk>/discard/", views.batch_discard, name="batch-discard"),
    path("<slug:kind>/batches/<int:pk>/errors.xlsx", views.batch_errors, name="batch-errors"),
]

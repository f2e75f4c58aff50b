from django.urls import path

from . import views

app_name = "renovation"

urlpatterns = [
    path("", views.RenovationList.as_view(), name="renovation-list"),
    path("apply/", views.apply_view, name="renovation-create"),
    path("inspections/due/", views.due_inspections, name="due-inspections"),
    path("kpis/", views.kpi_page, name="kpis"),
    path("permit/<str:token>/", views.permit_public, name="permit-public"),
    path("contractors/", views.ContractorList.as_view(), name="contractor-list"),
    path("contractors/new/", views.ContractorCreate.as_view(), name="contractor-create"),
    path("contractors/<int:pk>/", views.ContractorDetail.as_view(), name="contractor-detail"),
    path("contractors/<int:pk>/ban/", views.contractor_ban, name="contractor-ban"),
    path("<int:pk>/", views.renovation_detail, name="renovation-detail"),
    path("<int:pk>/print/<str:kind>/", views.document, name="renovation-print"),
    path("<int:pk>/plans/", views.plan_add, name="renovation-plan"),
    path("<int:pk>/workers/", views.worker_add, name="renovation-worker"),
    path("<int:pk>/submit/", views.submit, name="renovation-submit"),
    path("<int:pk>/csc-opinion/", views.csc_opinion, name="renovation-csc-opinion"),
    path(
        "<int:pk>/engineering-opinion/",
        views.engineering_opinion,
        name="renovation-engineering-opinion",
    ),
    path("<int:pk>/changes/", views.request_changes, name="renovation-changes"),
    path("<int:pk>/reject/", views.reject, name="renovation-reject"),
    path("<int:pk>/approve/", views.approve, name="renovation-approve"),
    path("<int:pk>/permit/", views.issue_permit, name="renovation-permit"),
    path("<int:pk>/start/", views.start, name="renovation-start"),
    path("<int:pk>/inspect/", views.inspect, name="renovation-inspect"),
    path("<int:pk>/suspend/", views.suspend, name="renovation-suspend"),
    path("<int:pk>/resume/", views.resume, name="renovation-resume"),
    path("<int:pk>/extend/", views.extend, name="renovation-extend"),
    path("<int:pk>/complete/", views.complete, name="renovation-complete"),
    path("<int:pk>/accept/", views.accept_initial, name="renovation-accept"),
    path("<int:pk>/accept-final/", views.accept_final, name="renovation-accept-final"),
    path("<int:pk>/refund/", views.refund_request, name="renovation-refund"),
    path("<int:pk>/refund/decide/", views.refund_decide, name="renovation-refund-decide"),
    path("<int:pk>/refund/pay/", views.refund_pay, name="renovation-refund-pay"),
]

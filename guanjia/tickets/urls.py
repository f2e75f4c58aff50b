from django.urls import path

from .views import complaints, kpis, lists, repairs, requests

app_name = "tickets"

urlpatterns = [
    # The service register
    path("", lists.request_list, name="request-list"),
    path("export/", lists.request_export, name="request-export"),
    path("print/", lists.request_print, name="request-print"),
    path("new/", requests.request_create, name="request-create"),
    path("new/requester/", requests.requester_search, name="requester-search"),
    path("new/residents/", requests.requester_residents, name="requester-residents"),
    path("requests/<int:pk>/", requests.request_detail, name="request-detail"),
    path("requests/<int:pk>/answer/", requests.request_answer, name="request-answer"),
    path("requests/<int:pk>/letter/draft/", requests.letter_draft, name="letter-draft"),
    path("requests/<int:pk>/letter/check/", requests.letter_check, name="letter-check"),
    path("requests/<int:pk>/letter/approve/", requests.letter_approve, name="letter-approve"),
    path("requests/<int:pk>/attachments/", requests.attachment_add, name="attachment-add"),
    # Complaints
    path("complaints/", lists.complaint_list, name="complaint-list"),
    path("complaints/export/", lists.complaint_export, name="complaint-export"),
    path("complaints/<int:pk>/", complaints.complaint_detail, name="complaint-detail"),
    path("complaints/<int:pk>/print/", complaints.complaint_print, name="complaint-print"),
    path(
        "complaints/<int:pk>/classify/",
        complaints.complaint_classify,
        name="complaint-classify",
    ),
    path(
        "complaints/<int:pk>/progress/",
        complaints.complaint_progress,
        name="complaint-progress",
    ),
    path("complaints/<int:pk>/promise/", complaints.complaint_promise, name="complaint-promise"),
    path("complaints/<int:pk>/resolve/", complaints.complaint_resolve, name="complaint-resolve"),
    path("complaints/<int:pk>/reply/", complaints.complaint_reply, name="complaint-reply"),
    path("complaints/<int:pk>/close/", complaints.complaint_close, name="complaint-close"),
    path("complaints/<int:pk>/reopen/", complaints.complaint_reopen, name="complaint-reopen"),
    path("complaints/<int:pk>/action/", complaints.complaint_action, name="complaint-action"),
    path(
        "complaints/<int:pk>/actions/<int:action_pk>/done/",
        complaints.complaint_action_done,
        name="complaint-action-done",
    ),
    path(
        "complaints/<int:pk>/actions/<int:action_pk>/verified/",
        complaints.complaint_action_verified,
        name="complaint-action-verified",
    ),
    # Repair orders
    path("repairs/", lists.repair_list, name="repair-list"),
    path("repairs/export/", lists.repair_export, name="repair-export"),
    path("repairs/mine/", lists.my_jobs, name="my-jobs"),
    path("repairs/<int:pk>/", repairs.repair_detail, name="repair-detail"),
    path("repairs/<int:pk>/print/", repairs.repair_print, name="repair-print"),
    path("repairs/<int:pk>/contact/", repairs.repair_contact, name="repair-contact"),
    path("repairs/<int:pk>/dispatch/", repairs.repair_dispatch, name="repair-dispatch"),
    path("repairs/<int:pk>/accept/", repairs.repair_accept, name="repair-accept"),
    path("repairs/<int:pk>/arrive/", repairs.repair_arrive, name="repair-arrive"),
    path("repairs/<int:pk>/photo/", repairs.repair_photo, name="repair-photo"),
    path("repairs/<int:pk>/quote/", repairs.repair_quote, name="repair-quote"),
    path(
        "repairs/<int:pk>/decide-quote/",
        repairs.repair_decide_quote,
        name="repair-decide-quote",
    ),
    path("repairs/<int:pk>/parts/", repairs.repair_parts, name="repair-parts"),
    path("repairs/<int:pk>/resume/", repairs.repair_resume, name="repair-resume"),
    path("repairs/<int:pk>/no-access/", repairs.repair_no_access, name="repair-no-access"),
    path("repairs/<int:pk>/complete/", repairs.repair_complete, name="repair-complete"),
    path("repairs/<int:pk>/verify/", repairs.repair_verify, name="repair-verify"),
    path("repairs/<int:pk>/rework/", repairs.repair_rework, name="repair-rework"),
    path("repairs/<int:pk>/cancel/", repairs.repair_cancel, name="repair-cancel"),
    # Lists' saved views, the dashboard, the KPIs
    path("dashboard/", lists.dashboard, name="dashboard"),
    path("views/", lists.savedview_create, name="savedview-create"),
    path("views/<int:pk>/delete/", lists.savedview_delete, name="savedview-delete"),
    path("kpis/", kpis.kpis, name="kpis"),
    path("kpis/export/", kpis.kpis_export, name="kpis-export"),
]

from django.urls import path

from .views import kpis as k
from .views import lists, tickets
from .views import requests as req
from .views.actions import COMPLAINT_ACTIONS, REPAIR_ACTIONS

app_name = "tickets"

urlpatterns = [
    path("", lists.request_list, name="request-list"),
    path("new/", req.request_create, name="request-create"),
    path("new/requester/", req.requester_search, name="requester-search"),
    path("requests/<int:pk>/", req.request_detail, name="request-detail"),
    path("requests/<int:pk>/answer/", req.request_answer, name="request-answer"),
    path("requests/<int:pk>/letter/draft/", req.letter_draft, name="letter-draft"),
    path("requests/<int:pk>/letter/check/", req.letter_check, name="letter-check"),
    path("requests/<int:pk>/letter/approve/", req.letter_approve, name="letter-approve"),
    path("requests/<int:pk>/attachments/", req.attachment_add, name="attachment-add"),
    path("complaints/", lists.complaint_list, name="complaint-list"),
    path("complaints/<int:pk>/", tickets.ticket_detail("complaint"), name="complaint-detail"),
    path(
        "complaints/<int:pk>/actions/<int:action_pk>/done/",
        tickets.complaint_action_step("done"),
        name="complaint-action-done",
    ),
    path(
        "complaints/<int:pk>/actions/<int:action_pk>/verified/",
        tickets.complaint_action_step("verified"),
        name="complaint-action-verified",
    ),
    path("repairs/", lists.repair_list, name="repair-list"),
    path("repairs/mine/", lists.my_jobs, name="my-jobs"),
    path("repairs/<int:pk>/", tickets.ticket_detail("repair"), name="repair-detail"),
    path("repairs/<int:pk>/print/", tickets.repair_print, name="repair-print"),
    path("dashboard/", lists.dashboard, name="dashboard"),
    path("views/", lists.savedview_create, name="savedview-create"),
    path("views/<int:pk>/delete/", lists.savedview_delete, name="savedview-delete"),
]
urlpatterns += [
    path(
        f"complaints/<int:pk>/{a.name}/",
        tickets.action_view("complaint", a),
        name=f"complaint-{a.name}",
    )
    for a in COMPLAINT_ACTIONS
]
urlpatterns += [
    path(f"repairs/<int:pk>/{a.name}/", tickets.action_view("repair", a), name=f"repair-{a.name}")
    for a in REPAIR_ACTIONS
]
urlpatterns += [
    path("kpis/", k.kpis, name="kpis"),
    path("kpis/export/", k.kpis_export, name="kpis-export"),
]

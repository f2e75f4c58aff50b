from django.urls import path

from .views import kpis as k
from .views import pages as v
from .views.actions import COMPLAINT_ACTIONS, REPAIR_ACTIONS

app_name = "tickets"

urlpatterns = [
    path("", v.request_list, name="request-list"),
    path("new/", v.request_create, name="request-create"),
    path("new/requester/", v.requester_search, name="requester-search"),
    path("requests/<int:pk>/", v.request_detail, name="request-detail"),
    path("requests/<int:pk>/answer/", v.request_answer, name="request-answer"),
    path("requests/<int:pk>/letter/draft/", v.letter_draft, name="letter-draft"),
    path("requests/<int:pk>/letter/check/", v.letter_check, name="letter-check"),
    path("requests/<int:pk>/letter/approve/", v.letter_approve, name="letter-approve"),
    path("requests/<int:pk>/attachments/", v.attachment_add, name="attachment-add"),
    path("complaints/", v.complaint_list, name="complaint-list"),
    path("complaints/<int:pk>/", v.ticket_detail("complaint"), name="complaint-detail"),
    path(
        "complaints/<int:pk>/actions/<int:action_pk>/done/",
        v.complaint_action_step("done"),
        name="complaint-action-done",
    ),
    path(
        "complaints/<int:pk>/actions/<int:action_pk>/verified/",
        v.complaint_action_step("verified"),
        name="complaint-action-verified",
    ),
    path("repairs/", v.repair_list, name="repair-list"),
    path("repairs/mine/", v.my_jobs, name="my-jobs"),
    path("repairs/<int:pk>/", v.ticket_detail("repair"), name="repair-detail"),
    path("repairs/<int:pk>/print/", v.repair_print, name="repair-print"),
    path("dashboard/", v.dashboard, name="dashboard"),
    path("views/", v.savedview_create, name="savedview-create"),
    path("views/<int:pk>/delete/", v.savedview_delete, name="savedview-delete"),
]
urlpatterns += [
    path(
        f"complaints/<int:pk>/{a.name}/", v.action_view("complaint", a), name=f"complaint-{a.name}"
    )
    for a in COMPLAINT_ACTIONS
]
urlpatterns += [
    path(f"repairs/<int:pk>/{a.name}/", v.action_view("repair", a), name=f"repair-{a.name}")
    for a in REPAIR_ACTIONS
]
urlpatterns += [
    path("kpis/", k.kpis, name="kpis"),
    path("kpis/export/", k.kpis_export, name="kpis-export"),
]

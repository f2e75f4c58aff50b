"""Tickets API under /api/v1/tickets/: the register, complaints and repairs.

Reads: rows of the communities where the caller holds the view permission (another
community's row: 404). Writes: a serializer shapes the body (for a workflow move, one built
from the page's form: `bodies.py`), then the same form and service as the page decide
(ValidationError -> 400, authority -> 403). Each workflow move is its own POST route, as on
the pages; moves that take a photo accept multipart/form-data."""

from __future__ import annotations

from django.urls import path

from ..models import Complaint, RepairOrder, ServiceRequest
from ..views.actions import COMPLAINT_ACTIONS, REPAIR_ACTIONS
from .letters import LETTER_MOVES
from .moves import action_step_view, move_view
from .serializers import ComplaintSerializer, RepairSerializer, RequestSerializer
from .views import (
    ComplaintDetail,
    ComplaintList,
    RepairDetail,
    RepairList,
    RequestDetail,
    RequestList,
)

app_name = "tickets-api"
urlpatterns = [
    path("requests/", RequestList.as_view(), name="request-list"),
    path("requests/<int:pk>/", RequestDetail.as_view(), name="request-detail"),
    path("complaints/", ComplaintList.as_view(), name="complaint-list"),
    path("complaints/<int:pk>/", ComplaintDetail.as_view(), name="complaint-detail"),
    path(
        "complaints/<int:pk>/actions/<int:action_pk>/done/",
        action_step_view("done"),
        name="complaint-action-done",
    ),
    path(
        "complaints/<int:pk>/actions/<int:action_pk>/verified/",
        action_step_view("verified"),
        name="complaint-action-verified",
    ),
    path("repairs/", RepairList.as_view(), name="repair-list"),
    path("repairs/<int:pk>/", RepairDetail.as_view(), name="repair-detail"),
]
urlpatterns += [
    path(
        f"complaints/<int:pk>/{a.name}/",
        move_view(Complaint, ComplaintSerializer, "tickets.view_complaint", a),
        name=f"complaint-{a.name}",
    )
    for a in COMPLAINT_ACTIONS
]
urlpatterns += [
    path(
        f"repairs/<int:pk>/{a.name}/",
        move_view(RepairOrder, RepairSerializer, "tickets.view_repairorder", a),
        name=f"repair-{a.name}",
    )
    for a in REPAIR_ACTIONS
]
urlpatterns += [
    path(
        f"requests/<int:pk>/{route}",
        move_view(ServiceRequest, RequestSerializer, "tickets.view_servicerequest", a),
        name=a.name,
    )
    for route, a in LETTER_MOVES
]

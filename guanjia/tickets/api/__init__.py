"""Tickets API under /api/v1/tickets/: the register, complaints and repairs.

Reads: rows of the communities where the caller holds the view permission (another
community's row: 404). Writes: a serializer shapes the body (for a workflow move, one built
from the page's form: `bodies.py`), then the same form and service as the page decide
(ValidationError -> 400, authority -> 403). Each workflow move is its own POST route, as on
the pages; moves that take a photo accept multipart/form-data."""

from __future__ import annotations

from django.urls import path

from . import moves
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
    # The service register
    path("requests/", RequestList.as_view(), name="request-list"),
    path("requests/<int:pk>/", RequestDetail.as_view(), name="request-detail"),
    path("requests/<int:pk>/answer/", moves.RequestAnswer.as_view(), name="request-answer"),
    path("requests/<int:pk>/letter/draft/", moves.LetterDraft.as_view(), name="letter-draft"),
    path("requests/<int:pk>/letter/check/", moves.LetterCheck.as_view(), name="letter-check"),
    path(
        "requests/<int:pk>/letter/approve/",
        moves.LetterApprove.as_view(),
        name="letter-approve",
    ),
    path(
        "requests/<int:pk>/attachments/",
        moves.AttachmentAdd.as_view(),
        name="attachment-add",
    ),
    # Complaints
    path("complaints/", ComplaintList.as_view(), name="complaint-list"),
    path("complaints/<int:pk>/", ComplaintDetail.as_view(), name="complaint-detail"),
    path(
        "complaints/<int:pk>/classify/",
        moves.ComplaintClassify.as_view(),
        name="complaint-classify",
    ),
    path(
        "complaints/<int:pk>/progress/",
        moves.ComplaintProgress.as_view(),
        name="complaint-progress",
    ),
    path(
        "complaints/<int:pk>/promise/",
        moves.ComplaintPromise.as_view(),
        name="complaint-promise",
    ),
    path(
        "complaints/<int:pk>/resolve/",
        moves.ComplaintResolve.as_view(),
        name="complaint-resolve",
    ),
    path("complaints/<int:pk>/reply/", moves.ComplaintReply.as_view(), name="complaint-reply"),
    path("complaints/<int:pk>/close/", moves.ComplaintClose.as_view(), name="complaint-close"),
    path("complaints/<int:pk>/reopen/", moves.ComplaintReopen.as_view(), name="complaint-reopen"),
    path(
        "complaints/<int:pk>/action/",
        moves.ComplaintAddAction.as_view(),
        name="complaint-action",
    ),
    path(
        "complaints/<int:pk>/actions/<int:action_pk>/done/",
        moves.ComplaintActionDone.as_view(),
        name="complaint-action-done",
    ),
    path(
        "complaints/<int:pk>/actions/<int:action_pk>/verified/",
        moves.ComplaintActionVerified.as_view(),
        name="complaint-action-verified",
    ),
    # Repair orders
    path("repairs/", RepairList.as_view(), name="repair-list"),
    path("repairs/<int:pk>/", RepairDetail.as_view(), name="repair-detail"),
    path("repairs/<int:pk>/dispatch/", moves.RepairDispatch.as_view(), name="repair-dispatch"),
    path("repairs/<int:pk>/accept/", moves.RepairAccept.as_view(), name="repair-accept"),
    path("repairs/<int:pk>/arrive/", moves.RepairArrive.as_view(), name="repair-arrive"),
    path("repairs/<int:pk>/photo/", moves.RepairPhoto.as_view(), name="repair-photo"),
    path("repairs/<int:pk>/quote/", moves.RepairQuote.as_view(), name="repair-quote"),
    path(
        "repairs/<int:pk>/decide-quote/",
        moves.RepairDecideQuote.as_view(),
        name="repair-decide-quote",
    ),
    path("repairs/<int:pk>/parts/", moves.RepairParts.as_view(), name="repair-parts"),
    path("repairs/<int:pk>/resume/", moves.RepairResume.as_view(), name="repair-resume"),
    path("repairs/<int:pk>/no-access/", moves.RepairNoAccess.as_view(), name="repair-no-access"),
    path("repairs/<int:pk>/complete/", moves.RepairComplete.as_view(), name="repair-complete"),
    path("repairs/<int:pk>/verify/", moves.RepairVerify.as_view(), name="repair-verify"),
    path("repairs/<int:pk>/rework/", moves.RepairRework.as_view(), name="repair-rework"),
    path("repairs/<int:pk>/cancel/", moves.RepairCancel.as_view(), name="repair-cancel"),
]

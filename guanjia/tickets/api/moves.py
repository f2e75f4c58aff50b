"""Workflow moves through the API: one POST route per page button, and the action steps.

Each move: the caller must see the ticket (another community: 404) and hold the move's
permission (403); the body is checked by the serializer built from the page's form (types,
required, choices: DRF field errors), then by the form itself and the service (business
rules: 400 with the page's message). Moves whose form takes a file (a photo) accept
multipart/form-data; the resident's signature is a PNG data URL, as on the page, or a PNG file
in a multipart body."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any, ClassVar

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Model
from django.http import QueryDict
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from guanjia.core import workflows
from guanjia.core.access import get_visible_or_404, request_user, require_perm
from guanjia.core.api import UPLOAD_PARSERS
from guanjia.core.files.checks import check_upload
from guanjia.core.files.signatures import MAX_SIGNATURE_BYTES
from guanjia.core.files.types import PNG

from .. import services
from ..forms import NoteForm
from ..models import Complaint, RepairOrder, ServiceRequest
from ..moves import Move
from ..moves import complaint as complaint_moves
from ..moves import register as register_moves
from ..moves import repair as repair_moves
from .bodies import body_serializer, has_files
from .serializers import (
    ComplaintActionSerializer,
    ComplaintSerializer,
    RepairSerializer,
    RequestSerializer,
)


def _signature_as_data_url(data: dict[str, Any]) -> None:
    """A signature sent as a file becomes the data URL the page's canvas sends."""
    upload = data.get("signature")
    if not isinstance(upload, UploadedFile):
        return
    if (upload.size or 0) > MAX_SIGNATURE_BYTES:
        raise serializers.ValidationError(
            {"signature": [_("The signature is larger than 300 KB.")]}
        )
    check_upload(upload, (PNG,), field="signature")  # name, declared type and content agree
    raw = upload.read()
    data["signature"] = "data:image/png;base64," + base64.b64encode(raw).decode("ascii")


def _plain(data: Any) -> dict[str, Any]:
    """The body as a dict of single values (a multipart QueryDict keeps lists)."""
    if isinstance(data, QueryDict):
        return {key: data.get(key) for key in data}
    if not isinstance(data, Mapping):
        raise serializers.ValidationError({"non_field_errors": [_("Send a JSON object.")]})
    return dict(data)


def _form_errors(form: Any) -> Response:
    """The form's errors in DRF's shape: {field: [message, ...]}."""
    return Response({name: list(errors) for name, errors in form.errors.items()}, status=400)


class MoveView(APIView):
    """POST one workflow move of a ticket or register entry: the caller must see it (else
    404) and hold the view and the move's permission (403); the body is typed by a serializer
    made from the page's form (`body_name` in the schema), then the form and the service decide
    (400 through core.api.exception_handler). Each subclass names its move, model and schema."""

    parser_classes = UPLOAD_PARSERS
    model: ClassVar[type[Model]]
    serializer: ClassVar[Any]
    view_perm: ClassVar[str]
    move: ClassVar[Move]
    body_name: ClassVar[str]
    operation_id: ClassVar[str]
    body: ClassVar[type[serializers.Serializer]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "move" not in cls.__dict__:
            return  # a base for one model's moves
        cls.body = body_serializer(
            cls.move.form,
            cls.body_name,
            f"The body of the move '{cls.move.name}' ({cls.model.__name__}), as the page's "
            "form takes it.",
        )
        request_doc: Any = {"application/json": cls.body}
        if has_files(cls.move.form):  # a file cannot travel in JSON
            request_doc = {"multipart/form-data": cls.body}
        elif cls.move is repair_moves.VERIFY:  # the signature: a data URL, or a PNG file
            request_doc = {"application/json": cls.body, "multipart/form-data": cls.body}

        def post(self: MoveView, request: Request, pk: int) -> Response:
            return self.run(request, pk)

        cls.post = extend_schema(  # type: ignore[attr-defined]
            request=request_doc,
            responses=cls.serializer,
            summary=cls.move.label,
            operation_id=cls.operation_id,
        )(post)

    def run(self, request: Request, pk: int) -> Response:
        target: Any = get_visible_or_404(self.model._default_manager.all(), request.user, pk=pk)
        require_perm(request.user, self.view_perm, target.community)
        require_perm(request.user, self.move.perm, target.community)
        data = _plain(request.data)
        _signature_as_data_url(data)
        self.body(data=data).is_valid(raise_exception=True)
        form = self.move.form(
            {key: value for key, value in data.items() if not isinstance(value, UploadedFile)},
            request.FILES,
            community=target.community,
        )
        if not form.is_valid():
            return _form_errors(form)
        self.move.perform(target, form.cleaned_data, request_user(request))
        target.refresh_from_db()
        return Response(self.serializer(target).data)


class ComplaintMove(MoveView):
    model = Complaint
    serializer = ComplaintSerializer
    view_perm = "tickets.view_complaint"


class ComplaintClassify(ComplaintMove):
    move = complaint_moves.CLASSIFY
    body_name = "ComplaintClassifyBody"
    operation_id = "tickets_complaint_classify"


class ComplaintProgress(ComplaintMove):
    move = complaint_moves.PROGRESS
    body_name = "ComplaintProgressBody"
    operation_id = "tickets_complaint_progress"


class ComplaintPromise(ComplaintMove):
    move = complaint_moves.PROMISE
    body_name = "ComplaintPromiseBody"
    operation_id = "tickets_complaint_promise"


class ComplaintResolve(ComplaintMove):
    move = complaint_moves.RESOLVE
    body_name = "ComplaintResolveBody"
    operation_id = "tickets_complaint_resolve"


class ComplaintReply(ComplaintMove):
    move = complaint_moves.REPLY
    body_name = "ComplaintReplyBody"
    operation_id = "tickets_complaint_reply"


class ComplaintClose(ComplaintMove):
    move = complaint_moves.CLOSE
    body_name = "ComplaintCloseBody"
    operation_id = "tickets_complaint_close"


class ComplaintReopen(ComplaintMove):
    move = complaint_moves.REOPEN
    body_name = "ComplaintReopenBody"
    operation_id = "tickets_complaint_reopen"


class ComplaintAddAction(ComplaintMove):
    move = complaint_moves.ACTION
    body_name = "ComplaintActionBody"
    operation_id = "tickets_complaint_action"


class RepairMove(MoveView):
    model = RepairOrder
    serializer = RepairSerializer
    view_perm = "tickets.view_repairorder"


class RepairDispatch(RepairMove):
    move = repair_moves.DISPATCH
    body_name = "RepairOrderDispatchBody"
    operation_id = "tickets_repairorder_dispatch"


class RepairAccept(RepairMove):
    move = repair_moves.ACCEPT
    body_name = "RepairOrderAcceptBody"
    operation_id = "tickets_repairorder_accept"


class RepairArrive(RepairMove):
    move = repair_moves.ARRIVE
    body_name = "RepairOrderArriveBody"
    operation_id = "tickets_repairorder_arrive"


class RepairPhoto(RepairMove):
    move = repair_moves.PHOTO
    body_name = "RepairOrderPhotoBody"
    operation_id = "tickets_repairorder_photo"


class RepairQuote(RepairMove):
    move = repair_moves.QUOTE
    body_name = "RepairOrderQuoteBody"
    operation_id = "tickets_repairorder_quote"


class RepairDecideQuote(RepairMove):
    move = repair_moves.DECIDE_QUOTE
    body_name = "RepairOrderDecideQuoteBody"
    operation_id = "tickets_repairorder_decide_quote"


class RepairParts(RepairMove):
    move = repair_moves.PARTS
    body_name = "RepairOrderPartsBody"
    operation_id = "tickets_repairorder_parts"


class RepairResume(RepairMove):
    move = repair_moves.RESUME
    body_name = "RepairOrderResumeBody"
    operation_id = "tickets_repairorder_resume"


class RepairNoAccess(RepairMove):
    move = repair_moves.NO_ACCESS
    body_name = "RepairOrderNoAccessBody"
    operation_id = "tickets_repairorder_no_access"


class RepairComplete(RepairMove):
    move = repair_moves.COMPLETE
    body_name = "RepairOrderCompleteBody"
    operation_id = "tickets_repairorder_complete"


class RepairVerify(RepairMove):
    move = repair_moves.VERIFY
    body_name = "RepairOrderVerifyBody"
    operation_id = "tickets_repairorder_verify"


class RepairRework(RepairMove):
    move = repair_moves.REWORK
    body_name = "RepairOrderReworkBody"
    operation_id = "tickets_repairorder_rework"


class RepairCancel(RepairMove):
    move = repair_moves.CANCEL
    body_name = "RepairOrderCancelBody"
    operation_id = "tickets_repairorder_cancel"


class EntryMove(MoveView):
    model = ServiceRequest
    serializer = RequestSerializer
    view_perm = "tickets.view_servicerequest"


class RequestAnswer(EntryMove):
    move = register_moves.ANSWER
    body_name = "ServiceRequestRequestAnswerBody"
    operation_id = "tickets_servicerequest_request_answer"


class LetterDraft(EntryMove):
    move = register_moves.LETTER_DRAFT
    body_name = "ServiceRequestLetterDraftBody"
    operation_id = "tickets_servicerequest_letter_draft"


class LetterCheck(EntryMove):
    move = register_moves.LETTER_CHECK
    body_name = "ServiceRequestLetterCheckBody"
    operation_id = "tickets_servicerequest_letter_check"


class LetterApprove(EntryMove):
    move = register_moves.LETTER_APPROVE
    body_name = "ServiceRequestLetterApproveBody"
    operation_id = "tickets_servicerequest_letter_approve"


class AttachmentAdd(EntryMove):
    move = register_moves.ATTACHMENT
    body_name = "ServiceRequestAttachmentAddBody"
    operation_id = "tickets_servicerequest_attachment_add"


ActionStepBody = body_serializer(
    NoteForm, "ComplaintActionStepBody", "What was done, or how it was checked."
)


class ActionStepView(APIView):
    """POST a corrective / preventive action as done (its owner or a complaint handler) or as
    verified (a complaint handler other than its owner). The service decides who may: a role
    that takes no part in action steps gets 403 (`not_permitted`), a separation rule (the
    owner verifying their own action) 403 with code `separation`; a step in the wrong order
    or a missing note gets 400 with the message."""

    step: ClassVar[Any]

    def run(self, request: Request, pk: int, action_pk: int) -> Response:
        complaint = get_visible_or_404(Complaint.objects.all(), request.user, pk=pk)
        require_perm(request.user, "tickets.view_complaint", complaint.community)
        action = get_object_or_404(complaint.actions.all(), pk=action_pk)
        body = ActionStepBody(data=_plain(request.data))
        body.is_valid(raise_exception=True)
        form = NoteForm(body.validated_data, community=complaint.community)
        if not form.is_valid():
            return _form_errors(form)
        by = request_user(request)
        try:
            done = type(self).step(action=action, note=form.cleaned_data["note"], by=by)
        except workflows.WorkflowDenied:
            raise
        except PermissionDenied as exc:  # a separation rule (accounts.services.separation)
            return Response({"detail": str(exc), "code": "separation"}, status=403)
        return Response(ComplaintActionSerializer(done).data)


class ComplaintActionDone(ActionStepView):
    step = services.complete_complaint_action

    @extend_schema(
        request=ActionStepBody,
        responses=ComplaintActionSerializer,
        operation_id="tickets_complaint_action_done",
    )
    def post(self, request: Request, pk: int, action_pk: int) -> Response:
        return self.run(request, pk, action_pk)


class ComplaintActionVerified(ActionStepView):
    step = services.verify_complaint_action

    @extend_schema(
        request=ActionStepBody,
        responses=ComplaintActionSerializer,
        operation_id="tickets_complaint_action_verified",
    )
    def post(self, request: Request, pk: int, action_pk: int) -> Response:
        return self.run(request, pk, action_pk)

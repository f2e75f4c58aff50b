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
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.http import QueryDict
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from guanjia.core.access import get_visible_or_404, has_perm_in, request_user, require_perm
from guanjia.core.api import JSONParser
from guanjia.core.files.checks import check_upload
from guanjia.core.files.types import PNG

from .. import services as s
from ..forms import NoteForm
from ..models import Complaint
from ..services.actions import ACTION_PERM
from ..services.repairs import MAX_SIGNATURE_BYTES
from ..views.actions import Action
from .bodies import body_serializer, has_files
from .serializers import ComplaintActionSerializer

PARSERS = [JSONParser, MultiPartParser, FormParser]


def _camel(name: str) -> str:
    return "".join(part.title() for part in name.replace("-", "_").split("_"))


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
        return {k: data.get(k) for k in data}
    if not isinstance(data, Mapping):
        raise serializers.ValidationError({"non_field_errors": [_("Send a JSON object.")]})
    return dict(data)


def _form_errors(form: Any) -> Response:
    """The form's errors in DRF's shape: {field: [message, ...]}."""
    return Response({name: list(errors) for name, errors in form.errors.items()}, status=400)


def move_view(model: Any, serializer: Any, view_perm: str, action: Action) -> Any:
    """POST one workflow move; the body is typed by a serializer made from the page's form."""
    prefix = model.__name__
    body = body_serializer(
        action.form,
        f"{prefix}{_camel(action.name)}Body",
        f"The body of the move '{action.name}' ({prefix}), as the page's form takes it.",
    )
    request_doc: Any = {"application/json": body}
    if has_files(action.form):  # a file cannot travel in JSON
        request_doc = {"multipart/form-data": body}
    elif action.name == "verify":  # the signature: a data URL in JSON, or a PNG file
        request_doc = {"application/json": body, "multipart/form-data": body}

    class Move(APIView):
        parser_classes = PARSERS

        @extend_schema(
            request=request_doc,
            responses=serializer,
            summary=action.label,  # type: ignore[arg-type]
            operation_id=f"tickets_{prefix.lower()}_{action.name.replace('-', '_')}",
        )
        def post(self, request: Request, pk: int) -> Response:
            obj = get_visible_or_404(model.objects.all(), request.user, pk=pk)
            require_perm(request.user, view_perm, obj.community)
            require_perm(request.user, action.perm, obj.community)
            data = _plain(request.data)
            _signature_as_data_url(data)
            body(data=data).is_valid(raise_exception=True)
            form = action.form(
                {k: v for k, v in data.items() if not isinstance(v, UploadedFile)},
                request.FILES,
                community=obj.community,
            )
            if not form.is_valid():
                return _form_errors(form)
            action.perform(obj, form.cleaned_data, request_user(request))
            obj.refresh_from_db()
            return Response(serializer(obj).data)

    Move.__name__ = f"{prefix}{_camel(action.name)}Move"
    return Move.as_view()


ACTION_STEPS = {"done": s.complete_complaint_action, "verified": s.verify_complaint_action}
NoteBody = body_serializer(
    NoteForm, "ComplaintActionStepBody", "What was done, or how it was checked."
)


def action_step_view(step: str) -> Any:
    """POST a corrective / preventive action as done (its owner or a complaint handler) or as
    verified (a complaint handler other than its owner): the page's rules and messages. A role
    that takes no part in action steps, or the owner verifying their own action, gets 403 (as
    on the page); a step in the wrong order or a missing note gets 400 with the message."""

    class Step(APIView):
        @extend_schema(
            request=NoteBody,
            responses=ComplaintActionSerializer,
            operation_id=f"tickets_complaint_action_{step}",
        )
        def post(self, request: Request, pk: int, action_pk: int) -> Response:
            complaint = get_visible_or_404(Complaint.objects.all(), request.user, pk=pk)
            require_perm(request.user, "tickets.view_complaint", complaint.community)
            action = get_object_or_404(complaint.actions.all(), pk=action_pk)
            body = NoteBody(data=_plain(request.data))
            body.is_valid(raise_exception=True)
            form = NoteForm(body.validated_data, community=complaint.community)
            if not form.is_valid():
                return _form_errors(form)
            by = request_user(request)
            handler = has_perm_in(by, ACTION_PERM, complaint.community)
            if not handler and (step == "verified" or by.pk != action.owner_id):
                raise PermissionDenied  # a role that takes no part in action steps: 403
            try:
                done = ACTION_STEPS[step](action=action, note=form.cleaned_data["note"], by=by)
            except PermissionDenied as exc:  # the wrong person for this step (the owner)
                return Response({"detail": str(exc), "code": "separation"}, status=403)
            return Response(ComplaintActionSerializer(done).data)

    Step.__name__ = f"ComplaintAction{step.title()}Step"
    return Step.as_view()

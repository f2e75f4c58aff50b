"""Finance approves or rejects a proposed fee standard (or a change to it) and a proposed
rate: one POST per action; the proposer cannot decide (a clear message, 403)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guanjia.core.access import get_visible_or_404, request_user, require_perm

from ..forms import ApproveForm, RejectForm
from ..models import FeeStandard, FeeStandardVersion
from ..services import approvals
from ..services.approvals import APPROVE_PERM
from .common import error_list
from .standards import standard_page


def _decide(
    request: HttpRequest, standard: FeeStandard, form: Any, act: Callable[..., Any], done: str
) -> HttpResponse:
    """Run one decision service; a refused one shows the standard's page with its message."""
    status = 400
    try:
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        act(by=request_user(request), **form.cleaned_data)
    except ValidationError as exc:
        messages_ = error_list(exc)
    except PermissionDenied as exc:  # the proposer deciding on their own proposal
        messages_, status = [str(exc) or _("You may not decide on this.")], 403
    else:
        messages.success(request, done)
        return redirect("billing:standard-detail", pk=standard.pk)
    for message in messages_:
        messages.error(request, message)
    return standard_page(request, standard, status=status)


def _standard(request: HttpRequest, pk: int) -> FeeStandard:
    standard = get_visible_or_404(
        FeeStandard.objects.select_related("community", "fee_item"), request.user, pk=pk
    )
    require_perm(request.user, APPROVE_PERM, standard.community)
    return standard


def _version(request: HttpRequest, pk: int) -> FeeStandardVersion:
    version = get_visible_or_404(
        FeeStandardVersion.objects.select_related("standard__community"), request.user, pk=pk
    )
    require_perm(request.user, APPROVE_PERM, version.standard.community)
    return version


@require_POST
def standard_approve(request: HttpRequest, pk: int) -> HttpResponse:
    standard = _standard(request, pk)
    act = partial(approvals.approve_standard, standard=standard)
    return _decide(request, standard, ApproveForm(request.POST), act, _("Standard approved."))


@require_POST
def standard_reject(request: HttpRequest, pk: int) -> HttpResponse:
    standard = _standard(request, pk)
    act = partial(approvals.reject_standard, standard=standard)
    return _decide(request, standard, RejectForm(request.POST), act, _("Standard rejected."))


@require_POST
def version_approve(request: HttpRequest, pk: int) -> HttpResponse:
    version = _version(request, pk)
    act = partial(approvals.approve_version, version=version)
    return _decide(request, version.standard, ApproveForm(request.POST), act, _("Rate approved."))


@require_POST
def version_reject(request: HttpRequest, pk: int) -> HttpResponse:
    version = _version(request, pk)
    act = partial(approvals.reject_version, version=version)
    return _decide(request, version.standard, RejectForm(request.POST), act, _("Rate rejected."))

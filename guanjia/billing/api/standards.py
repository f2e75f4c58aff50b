"""Fee items, fee standards (list, new, one, edit), their rates, and finance's decisions on
proposed standards and rates: the page's forms and services, the page's permissions."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.forms.models import model_to_dict
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from guanjia.core.access import get_visible_or_404, request_user, require_perm

from .. import services
from ..forms import FeeItemForm, FeeStandardEditForm, FeeStandardForm
from ..models import FeeItem, FeeStandard, FeeStandardVersion
from ..services import approvals
from ..services import standards as services_standards
from ..services.approvals import APPROVE_PERM
from .common import body, community_or_404, form_data, scoped
from .serializers import (
    ApproveInputSerializer,
    FeeItemBody,
    FeeItemSerializer,
    RateBody,
    RejectInputSerializer,
    StandardCreateBody,
    StandardSerializer,
    StandardUpdateBody,
    VersionSerializer,
)


@extend_schema(methods=["GET"], responses=FeeItemSerializer(many=True))
@extend_schema(methods=["POST"], request=FeeItemBody, responses={201: FeeItemSerializer})
@api_view(["GET", "POST"])
def fee_items(request: Request) -> Response:
    """GET: the fee items of the caller's company. POST: a new one (a duplicate code: 400)."""
    if request.method == "GET":
        require_perm(request.user, "billing.view_feeitem")
        items = FeeItem.objects.visible_to(request.user)
        return Response(FeeItemSerializer(items, many=True).data)
    require_perm(request.user, "billing.add_feeitem")
    user = request_user(request._request)
    company = user.company
    if company is None:
        raise serializers.ValidationError({"detail": [_("Your account has no company.")]})
    data = form_data(FeeItemForm(body(request, FeeItemBody)))
    item = services.create_fee_item(company=company, by=user, **data)
    return Response(FeeItemSerializer(item).data, status=201)


@extend_schema(methods=["GET"], responses=StandardSerializer(many=True))
@extend_schema(methods=["POST"], request=StandardCreateBody, responses={201: StandardSerializer})
@api_view(["GET", "POST"])
def standards(request: Request) -> Response:
    """GET: fee standards with their rate versions. POST: propose a new standard of a
    community (it awaits finance's approval; add its rates with `standards/<pk>/rates/`)."""
    if request.method == "GET":
        rows = scoped(FeeStandard.objects.all(), request, "billing.view_feestandard")
        return Response(StandardSerializer(rows.prefetch_related("versions"), many=True).data)
    data = body(request, StandardCreateBody)
    community = community_or_404(request, data.pop("community"), "billing.add_feestandard")
    cleaned = form_data(FeeStandardForm(data, community=community))
    standard = services.create_standard(
        community=community, by=request_user(request._request), **cleaned
    )
    return Response(StandardSerializer(standard).data, status=201)


def _edit_data(standard: FeeStandard, given: dict[str, Any]) -> dict[str, Any]:
    """The edit page's whole form: the standard's values, then the change awaiting approval
    (as the page opens with it), then the fields the body gives."""
    data = model_to_dict(standard, fields=services_standards.EDITABLE_FIELDS)
    data.update(services_standards.pending_values(standard))
    data.update(given)
    return {name: value for name, value in data.items() if value is not None}


@extend_schema(methods=["GET"], responses=StandardSerializer)
@extend_schema(methods=["PATCH"], request=StandardUpdateBody, responses=StandardSerializer)
@extend_schema(
    methods=["POST"],
    request=StandardUpdateBody,
    responses=StandardSerializer,
    operation_id="v1_billing_standards_update",
    description="The same as PATCH, for clients that cannot send PATCH.",
)
@api_view(["GET", "PATCH", "POST"])
def standard_detail(request: Request, pk: int) -> Response:
    """GET: one standard and its rates. PATCH (or POST): change the edit page's fields. Name,
    developer and active apply at once; a change of amounts on an approved standard is kept
    in `pending_change` for finance's approval (the approved terms are billed until then)."""
    standard = get_visible_or_404(
        FeeStandard.objects.select_related("community"), request.user, pk=pk
    )
    if request.method == "GET":
        require_perm(request.user, "billing.view_feestandard", standard.community)
        return Response(StandardSerializer(standard).data)
    require_perm(request.user, "billing.change_feestandard", standard.community)
    given = body(request, StandardUpdateBody)
    # The method is not disabled as on the page: a locked method is refused by the service.
    form = FeeStandardEditForm(
        _edit_data(standard, given),
        instance=FeeStandard.objects.get(pk=standard.pk),  # the form writes on its instance
        initial=services_standards.pending_values(standard),
        method_locked=False,
    )
    cleaned = form_data(form)
    saved = services_standards.update_standard(
        standard=standard,
        by=request_user(request._request),
        **cleaned,
    )
    return Response(StandardSerializer(saved).data)


@extend_schema(request=RateBody, responses={201: VersionSerializer})
@api_view(["POST"])
def standard_rates(request: Request, pk: int) -> Response:
    """Propose a rate from a date (`change_rate`): billed once finance approves it; the open
    rate then ends the day before. Zero or negative, a fifth decimal, an overlap: 400."""
    standard = get_visible_or_404(FeeStandard, request.user, pk=pk)
    require_perm(request.user, "billing.add_feestandardversion", standard.community)
    # The body goes straight to the service, whose message is clearer than the form's
    # validator ("A rate must be above zero.").
    data = body(request, RateBody)
    version = services.change_rate(standard=standard, by=request_user(request._request), **data)
    return Response(VersionSerializer(version).data, status=201)


def _decision(request: Request, act: Any, body_class: Any, serializer: Any) -> Response:
    """Validate the body, run one approval service: refused -> 400, the proposer -> 403."""
    row = act(by=request_user(request._request), **body(request, body_class))
    return Response(serializer(row).data)


def _api_standard(request: Request, pk: int) -> FeeStandard:
    standard = get_visible_or_404(FeeStandard, request.user, pk=pk)
    require_perm(request.user, APPROVE_PERM, standard.community)
    return standard


def _api_version(request: Request, pk: int) -> FeeStandardVersion:
    version = get_visible_or_404(
        FeeStandardVersion.objects.select_related("standard__community"), request.user, pk=pk
    )
    require_perm(request.user, APPROVE_PERM, version.standard.community)
    return version


@extend_schema(request=ApproveInputSerializer, responses=StandardSerializer)
@api_view(["POST"])
def standard_approve(request: Request, pk: int) -> Response:
    """Finance approves a proposed standard (not the proposer)."""
    act = partial(approvals.approve_standard, standard=_api_standard(request, pk))
    return _decision(request, act, ApproveInputSerializer, StandardSerializer)


@extend_schema(request=RejectInputSerializer, responses=StandardSerializer)
@api_view(["POST"])
def standard_reject(request: Request, pk: int) -> Response:
    """Finance rejects a proposed standard with a reason (not the proposer)."""
    act = partial(approvals.reject_standard, standard=_api_standard(request, pk))
    return _decision(request, act, RejectInputSerializer, StandardSerializer)


@extend_schema(request=ApproveInputSerializer, responses=VersionSerializer)
@api_view(["POST"])
def version_approve(request: Request, pk: int) -> Response:
    """Finance approves a proposed rate; the open rate before it ends the day before."""
    act = partial(approvals.approve_version, version=_api_version(request, pk))
    return _decision(request, act, ApproveInputSerializer, VersionSerializer)


@extend_schema(request=RejectInputSerializer, responses=VersionSerializer)
@api_view(["POST"])
def version_reject(request: Request, pk: int) -> Response:
    """Finance rejects a proposed rate with a reason: it is never billed."""
    act = partial(approvals.reject_version, version=_api_version(request, pk))
    return _decision(request, act, RejectInputSerializer, VersionSerializer)

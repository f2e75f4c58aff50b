"""Fee items, fee standards (list, new, one, edit), their rates, and finance's decisions on
proposed standards and rates: the page's forms and services, the page's permissions, on
guanjia.core.api.CommunityViewSet (lists through FeeItemFilter and StandardFilter, a page at
a time)."""

from __future__ import annotations

from typing import Any

from django.forms.models import model_to_dict
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from guanjia.core.access import communities_with_perm, request_user, require_perm
from guanjia.core.api import CommunityViewSet

from .. import filters, services
from ..forms import FeeItemForm, FeeStandardEditForm, FeeStandardForm
from ..models import FeeItem, FeeStandard, FeeStandardVersion
from ..services import approvals
from ..services import standards as services_standards
from ..services.approvals import APPROVE_PERM
from .common import body, community_or_404, form_data
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


class FeeItemViewSet(mixins.ListModelMixin, CommunityViewSet):
    """The fee items of the caller's company (FeeItemFilter), in allocation order; a new one.
    Fee items are company rows: the caller's companies, not one community's."""

    model = FeeItem
    view_perm = "billing.view_feeitem"
    serializer_class = FeeItemSerializer
    filterset_class = filters.FeeItemFilter

    def get_queryset(self) -> Any:
        return FeeItem.objects.visible_to(self.request.user).order_by("priority", "code", "pk")

    @extend_schema(request=FeeItemBody, responses={201: FeeItemSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """A new fee item of the caller's company (a duplicate code: 400)."""
        require_perm(request.user, "billing.add_feeitem")
        user = request_user(request._request)
        company = user.company
        if company is None:
            raise serializers.ValidationError({"detail": [_("Your account has no company.")]})
        data = form_data(FeeItemForm(body(request, FeeItemBody)))
        item = services.create_fee_item(company=company, by=user, **data)
        return Response(FeeItemSerializer(item).data, status=201)


def _edit_data(standard: FeeStandard, given: dict[str, Any]) -> dict[str, Any]:
    """The edit page's whole form: the standard's values, then the change awaiting approval
    (as the page opens with it), then the fields the body gives."""
    data = model_to_dict(standard, fields=services_standards.EDITABLE_FIELDS)
    data.update(services_standards.pending_values(standard))
    data.update(given)
    return {name: value for name, value in data.items() if value is not None}


class StandardViewSet(mixins.ListModelMixin, CommunityViewSet):
    """Fee standards with their rate versions (StandardFilter); a new one, one, its edit, its
    rates and finance's decision on it."""

    model = FeeStandard
    view_perm = "billing.view_feestandard"
    serializer_class = StandardSerializer
    filterset_class = filters.StandardFilter
    related = ("community",)
    prefetch = ("versions",)
    ordering = ("community_id", "fee_item__priority", "name")

    @extend_schema(request=StandardCreateBody, responses={201: StandardSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Propose a new standard of a community (it awaits finance's approval; add its rates
        with `standards/<pk>/rates/`)."""
        data = body(request, StandardCreateBody)
        community = community_or_404(request, data.pop("community"), "billing.add_feestandard")
        cleaned = form_data(FeeStandardForm(data, community=community))
        standard = services.create_standard(
            community=community, by=request_user(request._request), **cleaned
        )
        return Response(StandardSerializer(standard).data, status=201)

    @extend_schema(responses=StandardSerializer)
    def retrieve(self, request: Request, pk: int) -> Response:
        """One standard and its rates."""
        return Response(StandardSerializer(self.get_object()).data)

    @extend_schema(methods=["PATCH"], request=StandardUpdateBody, responses=StandardSerializer)
    @extend_schema(
        methods=["POST"],
        request=StandardUpdateBody,
        responses=StandardSerializer,
        operation_id="v1_billing_standards_update",
        description="The same as PATCH, for clients that cannot send PATCH.",
    )
    def update(self, request: Request, pk: int) -> Response:
        """Change the edit page's fields. Name, developer and active apply at once; a change
        of amounts on an approved standard is kept in `pending_change` for finance's approval
        (the approved terms are billed until then)."""
        standard = self.action_object("billing.change_feestandard")
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
            standard=standard, by=request_user(request._request), **cleaned
        )
        return Response(StandardSerializer(saved).data)

    @extend_schema(request=RateBody, responses={201: VersionSerializer})
    def rates(self, request: Request, pk: int) -> Response:
        """Propose a rate from a date (`change_rate`): billed once finance approves it; the
        open rate then ends the day before. Zero or negative, a fifth decimal, an overlap:
        400."""
        standard = self.action_object("billing.add_feestandardversion")
        # The body goes straight to the service, whose message is clearer than the form's
        # validator ("A rate must be above zero.").
        data = body(request, RateBody)
        by = request_user(request._request)
        version = services.change_rate(standard=standard, by=by, **data)
        return Response(VersionSerializer(version).data, status=201)

    @extend_schema(request=ApproveInputSerializer, responses=StandardSerializer)
    def approve(self, request: Request, pk: int) -> Response:
        """Finance approves a proposed standard (not the proposer: 403)."""
        standard = self.action_object(APPROVE_PERM)
        data = body(request, ApproveInputSerializer)
        by = request_user(request._request)
        row = approvals.approve_standard(standard=standard, by=by, **data)
        return Response(StandardSerializer(row).data)

    @extend_schema(request=RejectInputSerializer, responses=StandardSerializer)
    def reject(self, request: Request, pk: int) -> Response:
        """Finance rejects a proposed standard with a reason (not the proposer: 403)."""
        standard = self.action_object(APPROVE_PERM)
        data = body(request, RejectInputSerializer)
        by = request_user(request._request)
        row = approvals.reject_standard(standard=standard, by=by, **data)
        return Response(StandardSerializer(row).data)


class VersionRows(CommunityViewSet):
    """Rates (standard versions): a rate's community is its standard's."""

    model = FeeStandardVersion

    def get_queryset(self) -> Any:
        ids = communities_with_perm(self.request.user, self.view_perm)
        rows = FeeStandardVersion.objects.visible_to(self.request.user)
        return rows.filter(standard__community__in=ids).select_related("standard__community")

    def action_object(self, perm: str) -> Any:
        version = self.get_object()
        require_perm(self.request.user, perm, version.standard.community_id)
        return version


class VersionViewSet(VersionRows):
    """Finance's decision on a proposed rate."""

    view_perm = "billing.view_feestandard"
    serializer_class = VersionSerializer

    @extend_schema(request=ApproveInputSerializer, responses=VersionSerializer)
    def approve(self, request: Request, pk: int) -> Response:
        """Finance approves a proposed rate; the open rate before it ends the day before."""
        version = self.action_object(APPROVE_PERM)
        data = body(request, ApproveInputSerializer)
        by = request_user(request._request)
        row = approvals.approve_version(version=version, by=by, **data)
        return Response(VersionSerializer(row).data)

    @extend_schema(request=RejectInputSerializer, responses=VersionSerializer)
    def reject(self, request: Request, pk: int) -> Response:
        """Finance rejects a proposed rate with a reason: it is never billed."""
        version = self.action_object(APPROVE_PERM)
        data = body(request, RejectInputSerializer)
        by = request_user(request._request)
        row = approvals.reject_version(version=version, by=by, **data)
        return Response(VersionSerializer(row).data)

"""Fee items, fee standards (list, waiting for approval, new, page, edit) and new rates."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from guanjia.core.access import get_visible_or_404, has_perm_in, request_user, require_perm
from guanjia.core.pages import current_community

from .. import services
from ..forms import (
    ApproveForm,
    FeeItemForm,
    FeeStandardEditForm,
    FeeStandardForm,
    RateVersionForm,
    RejectForm,
)
from ..models import FeeItem, FeeStandard
from ..selectors.standards import (
    pending_change_rows,
    standard_history,
    standards_awaiting_approval,
)
from ..services import standards as services_standards
from ..services.approvals import APPROVE_PERM
from .common import form_page


@require_GET
def feeitem_list(request: HttpRequest) -> HttpResponse:
    community = current_community(request, "billing.view_feeitem")
    items = FeeItem.objects.filter(company_id=community.company_id)
    return render(request, "billing/feeitem_list.html", {"items": items})


def feeitem_create(request: HttpRequest) -> HttpResponse:
    community = current_community(request, "billing.add_feeitem")
    form = FeeItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_fee_item(
                company=community.company, by=request_user(request), **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("billing:feeitem-list")
    return form_page(request, form, _("New fee item"), 400 if form.errors else 200)


def _standards_page(request: HttpRequest, *, waiting: bool) -> HttpResponse:
    community = current_community(request, "billing.view_feestandard")
    standards = (
        FeeStandard.objects.in_community(community)
        .select_related("fee_item")
        .prefetch_related("versions")
    )
    to_approve = standards_awaiting_approval(community)
    if waiting:
        standards = standards.filter(pk__in=to_approve.values("pk"))
    context = {
        "standards": standards,
        "waiting": waiting,
        "waiting_count": to_approve.count(),
        "can_approve": has_perm_in(request.user, APPROVE_PERM, community),
    }
    return render(request, "billing/feestandard_list.html", context)


@require_GET
def standard_list(request: HttpRequest) -> HttpResponse:
    return _standards_page(request, waiting=False)


@require_GET
def standard_waiting(request: HttpRequest) -> HttpResponse:
    """Standards awaiting approval, or with a rate awaiting approval: finance's to-do list."""
    return _standards_page(request, waiting=True)


def standard_create(request: HttpRequest) -> HttpResponse:
    community = current_community(request, "billing.add_feestandard")
    form = FeeStandardForm(request.POST or None, community=community)
    if request.method == "POST" and form.is_valid():
        try:
            standard = services.create_standard(
                community=community, by=request_user(request), **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved: now add its rate."))
            return redirect("billing:standard-detail", pk=standard.pk)
    return form_page(request, form, _("New fee standard"), 400 if form.errors else 200)


@require_GET
def standard_detail(request: HttpRequest, pk: int) -> HttpResponse:
    standard = get_visible_or_404(FeeStandard, request.user, pk=pk)
    require_perm(request.user, "billing.view_feestandard", standard.community)
    return standard_page(request, standard)


def standard_page(
    request: HttpRequest,
    standard: FeeStandard,
    form: RateVersionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The standard, its rates, their approval and its history (also after a refused POST)."""
    user, community = request.user, standard.community
    versions = standard.versions.select_related("proposed_by", "decided_by")
    context = {
        "standard": standard,
        "versions": versions,
        "form": form or RateVersionForm(),
        "can_add": has_perm_in(user, "billing.add_feestandardversion", community),
        "can_edit": has_perm_in(user, "billing.change_feestandard", community),
        "can_approve": has_perm_in(user, APPROVE_PERM, community),
        "approve_form": ApproveForm(initial={"approval_ref": standard.approval_ref}),
        "reject_form": RejectForm(),
        "history": standard_history(standard),
        "proposed_change": pending_change_rows(standard),
    }
    if form is not None and form.errors:
        status = 400
    return render(request, "billing/feestandard_detail.html", context, status=status)


def standard_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a standard's own fields; a change of amounts waits for finance's approval."""
    standard = get_visible_or_404(
        FeeStandard.objects.select_related("community"), request.user, pk=pk
    )
    require_perm(request.user, "billing.change_feestandard", standard.community)
    locked = services_standards.has_live_runs(standard)
    form = FeeStandardEditForm(
        request.POST or None,
        instance=standard,
        initial=services_standards.pending_values(standard),  # amend the change awaiting approval
        method_locked=locked,
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services_standards.update_standard(
                standard=standard, by=request_user(request), **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _edit_message(saved))
            return redirect("billing:standard-detail", pk=standard.pk)
    title = _("Edit fee standard %(name)s") % {"name": standard.name}
    return form_page(request, form, title, 400 if form.errors else 200)


def _edit_message(standard: FeeStandard) -> str:
    if standard.pending_change:
        return _(
            "Saved: the change awaits finance's approval; the approved terms are billed until then."
        )
    if standard.awaits_approval:
        return _(
            "Saved: the change awaits finance's approval; the standard is not billed until then."
        )
    return _("Saved.")


@require_POST
def version_create(request: HttpRequest, pk: int) -> HttpResponse:
    standard = get_visible_or_404(FeeStandard, request.user, pk=pk)
    require_perm(request.user, "billing.add_feestandardversion", standard.community)
    form = RateVersionForm(request.POST)
    if form.is_valid():
        try:
            services.change_rate(standard=standard, by=request_user(request), **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Rate saved: it is billed once finance approves it."))
            return redirect("billing:standard-detail", pk=standard.pk)
    return standard_page(request, standard, form)

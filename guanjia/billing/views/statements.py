"""A unit's statement (on screen, printable, PDF) and its fee exceptions."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from guanjia.core.access import get_visible_or_404, has_perm_in, request_user, require_perm
from guanjia.core.documents.views import print_or_pdf
from guanjia.estates.models import Unit

from .. import services
from ..forms import UnitExceptionForm
from ..models import UnitFeeException
from ..selectors import unit_statement


@require_GET
def unit_statement_view(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_visible_or_404(Unit.objects.with_place(), request.user, pk=pk)
    require_perm(request.user, "billing.view_ledgerentry", unit.community)
    return render(request, "billing/statement_detail.html", {"statement": unit_statement(unit)})


@require_GET
def unit_statement_print(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_visible_or_404(Unit.objects.with_place(), request.user, pk=pk)
    require_perm(request.user, "billing.view_ledgerentry", unit.community)
    return print_or_pdf(
        request,
        "billing/statement_print.html",
        {"statement": unit_statement(unit)},
        filename=f"statement-{unit.pk}.pdf",
        community=unit.community,
    )


def _exceptions_page(
    request: HttpRequest, unit: Unit, form: UnitExceptionForm, status: int = 200
) -> HttpResponse:
    exceptions = (
        UnitFeeException.objects.filter(unit=unit)
        .select_related("standard__fee_item", "created_by")
        .order_by("standard__name", "-starts_on")
    )
    context = {
        "unit": unit,
        "exceptions": exceptions,
        "form": form,
        "can_add": has_perm_in(request.user, "billing.add_unitfeeexception", unit.community),
    }
    return render(request, "billing/unitfeeexception_list.html", context, status=status)


@require_GET
def unit_exception_list(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_visible_or_404(Unit.objects.with_place(), request.user, pk=pk)
    require_perm(request.user, "billing.view_unitfeeexception", unit.community)
    return _exceptions_page(request, unit, UnitExceptionForm(community=unit.community))


@require_POST
def unit_exception_create(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_visible_or_404(Unit.objects.with_place(), request.user, pk=pk)
    require_perm(request.user, "billing.add_unitfeeexception", unit.community)
    form = UnitExceptionForm(request.POST, community=unit.community)
    if form.is_valid():
        try:
            services.add_unit_exception(unit=unit, by=request_user(request), **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Exception saved."))
            return redirect("billing:unit-exceptions", pk=unit.pk)
    return _exceptions_page(request, unit, form, status=400)

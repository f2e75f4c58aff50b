"""Late fees as of a day, for the community and for one unit, before the daily job posts them."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from guanjia.core.access import get_visible_or_404, require_perm
from guanjia.core.models import Community
from guanjia.core.pages import current_community
from guanjia.estates.models import Unit

from ..forms import LateFeeAsOfForm
from ..selectors import late_fee_report


def _late_fee_page(
    request: HttpRequest, community: Community, unit: Unit | None = None
) -> HttpResponse:
    form = LateFeeAsOfForm(request.GET or None)
    day = timezone.localdate()
    status = 200
    if form.is_bound:
        if form.is_valid():
            day = form.cleaned_data["on"] or day
        else:
            status = 400
    report = late_fee_report(
        community=community, day=day, unit=unit, page=request.GET.get("page", 1)
    )
    query = f"on={day.isoformat()}"
    return render(
        request,
        "billing/late_fee_list.html",
        {"report": report, "form": form, "unit": unit, "page_obj": report.page, "query": query},
        status=status,
    )


@require_GET
def late_fee_list(request: HttpRequest) -> HttpResponse:
    community = current_community(request, "billing.view_ledgerentry")
    return _late_fee_page(request, community)


@require_GET
def unit_late_fees(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_visible_or_404(Unit.objects.with_place(), request.user, pk=pk)
    require_perm(request.user, "billing.view_ledgerentry", unit.community)
    return _late_fee_page(request, unit.community, unit)

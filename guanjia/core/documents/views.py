"""Print views: every printable form is one template, shown for the browser's print or as PDF.

Other apps use `print_or_pdf` for their printable forms:

    def receipt_print(request, pk):
        receipt = get_visible_or_404(Receipt, request.user, pk=pk)
        return print_or_pdf(request, "billing/receipt_print.html", {"receipt": receipt},
                            filename=f"{receipt.number}.pdf", community=receipt.community)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from guanjia.core.http import community_of
from guanjia.core.models import Community

from .selectors import contact_sheet as build_contact_sheet
from .services import pdf_response, print_context, render_pdf

FORMATS = ("html", "pdf")


def print_or_pdf(
    request: HttpRequest,
    template: str,
    context: Mapping[str, Any],
    *,
    filename: str,
    community: Community | None = None,
) -> HttpResponse:
    """The print view (HTML) or, with `?format=pdf`, the same template as a PDF."""
    wanted = request.GET.get("format", "html")
    if wanted not in FORMATS:
        return HttpResponseBadRequest(
            _("Unknown format %(format)s: use html or pdf.") % {"format": wanted[:20]}
        )
    if wanted == "pdf":
        return pdf_response(
            render_pdf(template, context, community=community, request=request), filename
        )
    return render(request, template, print_context(context, community, for_pdf=False))


@require_GET
def contact_sheet(request: HttpRequest) -> HttpResponse:
    """The contact sheet of the community the staff member works in now; any staff may print."""
    community = community_of(request)
    if community is None:
        raise Http404(_("You do not work in any community."))
    sheet = build_contact_sheet(community)
    return print_or_pdf(
        request,
        "documents/contactsheet_print.html",
        {"sheet": sheet},
        filename=_("Contact sheet %(community)s.pdf") % {"community": community.name},
        community=community,
    )

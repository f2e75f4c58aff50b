"""The cashier's day: open it, count it, finance closes it (or sends it back), the daily
report (收款日报表) printed and as PDF."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from guanjia.core import workflows
from guanjia.core.access import get_visible_or_404, request_user, require_perm
from guanjia.core.documents.services import pdf_response, render_pdf
from guanjia.core.pages import CommunityListView, apply_errors, current_community

from .. import services
from ..filters import SessionFilter
from ..forms import CountForm, NoteForm, OpenSessionForm, ReasonForm
from ..models import DENOMINATIONS, CashierSession, SessionStatus
from ..selectors import day_summary

VIEW = "cashier.view_cashiersession"


class SessionList(CommunityListView):
    model = CashierSession
    perm = VIEW
    filterset_class = SessionFilter
    related = ("cashier", "closed_by")
    template_name = "cashier/session_list.html"


def _session(request: HttpRequest, pk: int) -> CashierSession:
    base = CashierSession.objects.select_related("community__company", "cashier", "closed_by")
    session: CashierSession = get_visible_or_404(base, request.user, pk=pk)
    require_perm(request.user, VIEW, session.community)
    return session


def _detail(
    request: HttpRequest, session: CashierSession, status: int = 200, **forms: Any
) -> HttpResponse:
    user = request_user(request)
    context = {
        "session": session,
        "summary": day_summary(session),
        "events": session.events.select_related("actor"),
        "can_count": workflows.can_transition(session, SessionStatus.COUNTED, by=user),
        "can_close": workflows.can_transition(session, SessionStatus.CLOSED, by=user),
        "can_return": workflows.can_transition(session, SessionStatus.OPEN, by=user),
        "count_form": forms.get("count_form") or CountForm(),
        "close_form": forms.get("close_form") or NoteForm(),
        "return_form": forms.get("return_form") or ReasonForm(),
        "denominations": [(name, session.denominations.get(name, 0)) for name in DENOMINATIONS],
    }
    return render(request, "cashier/session_detail.html", context, status=status)


@require_POST
def session_open(request: HttpRequest) -> HttpResponse:
    community = current_community(request, "cashier.add_cashiersession")
    form = OpenSessionForm(request.POST)
    if form.is_valid():
        try:
            session = services.open_session(
                community=community,
                float_amount=form.cleaned_data["float_amount"],
                by=request_user(request),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Your day is open."))
            return redirect("cashier:session-detail", pk=session.pk)
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))
    return redirect("cashier:counter")


@require_GET
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _session(request, pk))


@require_POST
def session_count(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    form = CountForm(request.POST)
    if form.is_valid():
        try:
            services.count_session(
                session=session,
                denominations=form.denominations(),
                explanation=form.cleaned_data["explanation"],
                by=request_user(request),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The day is counted: finance checks and closes it."))
            return redirect("cashier:session-detail", pk=session.pk)
    return _detail(request, session, status=400, count_form=form)


@require_POST
def session_close(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.close_session(
                session=session, note=form.cleaned_data["note"], by=request_user(request)
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The day is closed."))
            return redirect("cashier:session-detail", pk=session.pk)
    return _detail(request, session, status=400, close_form=form)


@require_POST
def session_return(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.return_session(
                session=session, reason=form.cleaned_data["reason"], by=request_user(request)
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The day is sent back to the cashier to recount."))
            return redirect("cashier:session-detail", pk=session.pk)
    return _detail(request, session, status=400, return_form=form)


@require_GET
def session_report(request: HttpRequest, pk: int) -> HttpResponse:
    """The daily collection report (收款日报表): printed, or `?format=pdf`."""
    session = _session(request, pk)
    context = {
        "session": session,
        "summary": day_summary(session),
        "denominations": [(name, session.denominations.get(name, 0)) for name in DENOMINATIONS],
    }
    if request.GET.get("format") == "pdf":
        pdf = render_pdf(
            "cashier/session_print.html", context, community=session.community, request=request
        )
        return pdf_response(pdf, f"{session.business_day:%Y%m%d}-{session.pk}.pdf")
    return render(request, "cashier/session_print.html", context)

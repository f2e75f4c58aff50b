"""Training session pages: the list, a new session, its page (sign in on a phone, the
trainer's sheet, materials, the scanned sheet, move, cancel, held) and the printable sign-in
sheet (培训签到表, PDF)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from guanjia.core import workflows
from guanjia.core.access import has_perm_in, request_user
from guanjia.core.documents.views import print_or_pdf
from guanjia.core.pages import CommunityListView, current_community, submit

from .. import forms, services
from ..filters import SessionFilter
from ..models import SessionStatus, TrainingSession
from ._common import RUN_SESSIONS, TAKE, VIEW_SESSIONS, VIEW_TESTS, either, history, session_of


class SessionList(CommunityListView):
    model = TrainingSession
    perm = VIEW_SESSIONS
    filterset_class = SessionFilter
    related = ("trainer", "plan")
    add_perm = RUN_SESSIONS
    template_name = "training/session_list.html"


def session_new(request: HttpRequest) -> HttpResponse:
    community = current_community(request, RUN_SESSIONS)
    form = forms.SessionForm(
        request.POST if request.method == "POST" else None, community=community
    )
    if request.method == "POST":
        created: list[TrainingSession] = []

        def act() -> Any:
            data = form.cleaned_data
            created.append(
                services.schedule_session(
                    community=community,
                    data=services.SessionData(
                        topic=data["topic"],
                        kind=data["kind"],
                        trainer=data["trainer"],
                        starts_at=data["starts_at"],
                        hours=data["hours"],
                        place=data["place"],
                        method=data["method"],
                        content=data["content"],
                    ),
                    invited=data["invited"],
                    plan=data["plan"],
                    by=request_user(request),
                )
            )

        if submit(request, form, act, _("The session was scheduled.")):
            return redirect("training:session-detail", pk=created[0].pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "title": _("New training session")}
    return render(request, "training/form.html", context, status=status)


def _session_page(
    request: HttpRequest, session: TrainingSession, status: int = 200, **extra: Any
) -> HttpResponse:
    user = request_user(request)
    manages = session.trainer_id == user.pk or has_perm_in(user, RUN_SESSIONS, session.community)
    attendances = list(session.attendances.select_related("employee", "recorded_by"))
    mine = next((a for a in attendances if a.employee_id == user.pk), None)
    open_ = session.status != SessionStatus.CANCELLED
    context = {
        "session": session,
        "attendances": attendances,
        "mine": mine,
        "may_sign_in": open_
        and has_perm_in(user, TAKE, session.community)
        and (mine is None or mine.signed_at is None),
        "manages": manages and open_,
        "may_hold": workflows.can_transition(session, SessionStatus.HELD, by=user),
        "may_cancel": workflows.can_transition(session, SessionStatus.CANCELLED, by=user),
        "materials": session.materials.all(),
        "scans": session.scans.all() if manages else [],
        "tests": session.assessments.all(),
        "may_see_tests": has_perm_in(user, VIEW_TESTS, session.community),
        "events": history(session.events.select_related("actor").order_by("at", "pk")),
        "sheet_form": extra.pop("sheet_form", None)
        or forms.SheetForm(
            community=session.community,
            initial={"present": [a.employee_id for a in attendances if a.signed_at]},
        ),
        "material_form": extra.pop("material_form", None) or forms.MaterialForm(),
        "scan_form": extra.pop("scan_form", None) or forms.ScanForm(),
        "move_form": extra.pop("move_form", None) or forms.MoveForm(prefix="move"),
        "cancel_form": extra.pop("cancel_form", None) or forms.ReasonForm(prefix="cancel"),
        "hold_form": extra.pop("hold_form", None) or forms.NoteForm(prefix="hold"),
        **extra,
    }
    return render(request, "training/session_detail.html", context, status=status)


def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _session_page(request, session_of(request, pk))


def _act(
    request: HttpRequest,
    pk: int,
    form: Any,
    name: str,
    act: Callable[[TrainingSession, dict[str, Any]], Any],
    done: Any,
) -> HttpResponse:
    session = session_of(request, pk)
    if submit(request, form, lambda: act(session, form.cleaned_data), done):
        return redirect("training:session-detail", pk=session.pk)
    session.refresh_from_db()
    return _session_page(request, session, status=400, **{name: form})


@require_POST
def session_sign_in(request: HttpRequest, pk: int) -> HttpResponse:
    """The attendee signs in themself (on a phone)."""
    user = request_user(request)
    return _act(
        request,
        pk,
        forms.NoteForm(request.POST),
        "hold_form",
        lambda s, d: services.sign_in(session=s, employee=user, by=user),
        _("Signed in."),
    )


@require_POST
def session_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    session = session_of(request, pk)
    form = forms.SheetForm(request.POST, community=session.community)
    return _act(
        request,
        pk,
        form,
        "sheet_form",
        lambda s, d: services.record_sheet(
            session=s, present=d["present"], by=request_user(request)
        ),
        _("The signed sheet was recorded."),
    )


@require_POST
def session_scan(request: HttpRequest, pk: int) -> HttpResponse:
    form = forms.ScanForm(request.POST, request.FILES)
    return _act(
        request,
        pk,
        form,
        "scan_form",
        lambda s, d: services.upload_sheet(session=s, upload=d["file"], by=request_user(request)),
        _("The scanned sheet was kept."),
    )


@require_POST
def session_material(request: HttpRequest, pk: int) -> HttpResponse:
    form = forms.MaterialForm(request.POST, request.FILES)
    return _act(
        request,
        pk,
        form,
        "material_form",
        lambda s, d: services.add_material(
            session=s,
            by=request_user(request),
            manual_code=d["manual_code"],
            title=d["title"],
            upload=d["file"],
        ),
        _("The material was added."),
    )


@require_POST
def session_move(request: HttpRequest, pk: int) -> HttpResponse:
    form = forms.MoveForm(request.POST, prefix="move")
    return _act(
        request,
        pk,
        form,
        "move_form",
        lambda s, d: services.move_session(
            session=s, starts_at=d["starts_at"], reason=d["reason"], by=request_user(request)
        ),
        _("The session was moved: the invited staff are told."),
    )


@require_POST
def session_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    form = forms.ReasonForm(request.POST, prefix="cancel")
    return _act(
        request,
        pk,
        form,
        "cancel_form",
        lambda s, d: services.cancel_session(
            session=s, reason=d["reason"], by=request_user(request)
        ),
        _("The session was cancelled: the invited staff are told."),
    )


@require_POST
def session_hold(request: HttpRequest, pk: int) -> HttpResponse:
    form = forms.NoteForm(request.POST, prefix="hold")
    return _act(
        request,
        pk,
        form,
        "hold_form",
        lambda s, d: services.hold_session(session=s, note=d["note"], by=request_user(request)),
        _("The session is recorded as held."),
    )


@require_GET
def session_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The sign-in sheet to print (培训签到表): session, date, trainer, a line to sign for
    every invited employee and some empty lines."""
    session = session_of(request, pk)
    if session.trainer_id != request_user(request).pk:
        either(request, session, VIEW_SESSIONS)
    context = {
        "session": session,
        "attendances": session.attendances.select_related("employee"),
        "blank_lines": range(5),
    }
    return print_or_pdf(
        request,
        "training/session_print.html",
        context,
        filename=f"training-sign-in-{session.pk}.pdf",
        community=session.community,
    )

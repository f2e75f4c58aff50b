"""The attendance pages: my month (and the web punch), an employee's page, the roster grid
(printable) and its plan, leave, swaps and missing punches with their decisions, the punch
import with its column mapping, the attendance days, the monthly sheet and the KPIs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from guanjia.core.access import User, has_perm_in, request_user, require_perm
from guanjia.core.charts import Bar, bar_chart
from guanjia.core.imports.services import ExportFile, export_or_enqueue, upload_rows
from guanjia.core.pages import (
    CommunityActionView,
    CommunityDetailView,
    CommunityListView,
    current_community,
    submit,
)
from guanjia.desk.models import Post
from guanjia.training.selectors import untrained_employee_ids

from . import forms, selectors, services
from .filters import DayFilter, LeaveFilter, MissingFilter, SwapFilter
from .importers import mapped_importer, read_punch_file
from .models import (
    AttendanceDay,
    Leave,
    MissingPunch,
    PunchColumns,
    SheetStatus,
    ShiftSwap,
)

ALL = "attendance.view_all_attendance"


def _month(request: HttpRequest) -> dt.date:
    return forms.parse_month(request.GET.get("month")) or timezone.localdate().replace(day=1)


class OwnOrAllList(CommunityListView):
    """Everyone's rows for those who see everyone's attendance, else one's own."""

    def base_queryset(self) -> QuerySet[Any]:
        rows = super().base_queryset()
        if has_perm_in(self.request.user, ALL, self.community):
            return rows
        return rows.filter(employee_id=self.request.user.pk)


class OwnOrAllDetail(CommunityDetailView):
    def get_object(self, queryset: QuerySet[Any] | None = None) -> Any:
        obj: Any = super().get_object(queryset)
        user = self.request.user
        require_perm(user, self.perm, obj.community_id)  # a role without it: 403, not 404
        if obj.employee_id != user.pk and not has_perm_in(user, ALL, obj.community_id):
            raise Http404
        return obj


# --- My month, an employee's page ---------------------------------------------------------


def _overview(request: HttpRequest, employee_id: int, template: str) -> HttpResponse:
    community = current_community(request)
    user = request_user(request)
    if not selectors.may_see(user, employee_id, community):
        raise PermissionDenied(_("You see only your own attendance."))
    month = _month(request)
    if not forms.staff_of(community).filter(pk=employee_id).exists():
        raise Http404  # not staff of the community the user works in now
    data = selectors.employee_overview(employee_id, community, month)
    context = {
        **data,
        "month": month,
        "community": community,
        "is_self": employee_id == user.pk,
        "may_punch": employee_id == user.pk
        and has_perm_in(user, "attendance.be_rostered", community),
        "balance": services.annual_balance(data["employee"], month.year),
    }
    return render(request, template, context)


def mine(request: HttpRequest) -> HttpResponse:
    current_community(request, "attendance.be_rostered")
    return _overview(request, request_user(request).pk, "attendance/mine.html")


def employee_page(request: HttpRequest, pk: int) -> HttpResponse:
    current_community(request, "attendance.view_attendanceday")
    return _overview(request, pk, "attendance/mine.html")


@require_POST
def punch(request: HttpRequest) -> HttpResponse:
    community = current_community(request, "attendance.be_rostered")
    try:
        done = services.record_punch(community=community, by=request_user(request))
    except ValidationError as exc:  # a second click in the same minute: said, not a 500
        for message in exc.messages:
            messages.error(request, message)
        return redirect("attendance:mine")
    messages.success(
        request, _("Punched at %(time)s.") % {"time": timezone.localtime(done.at).strftime("%H:%M")}
    )
    return redirect("attendance:mine")


# --- The roster -------------------------------------------------------------------------------


def _roster_context(request: HttpRequest, form: BaseForm | None = None) -> dict[str, Any]:
    community = current_community(request, "attendance.view_rosterentry")
    posts = list(Post.objects.filter(community=community, is_active=True))
    post = next((p for p in posts if str(p.pk) == request.GET.get("post")), None) or (
        posts[0] if posts else None
    )
    first = forms.parse_month(request.GET.get("month")) or timezone.localdate().replace(day=1)
    week = request.GET.get("week")
    try:
        start = dt.date.fromisoformat(week) if week else None
    except ValueError:
        start = None
    if start is not None:
        first, last = start, start + dt.timedelta(days=6)
    else:
        last = selectors.month_bounds(first)[1]
    grid = selectors.roster_grid(community, post.pk, first, last) if post else None
    may_plan = has_perm_in(request.user, "attendance.add_rosterentry", community)
    return {
        "community": community,
        "posts": posts,
        "post": post,
        "first": first,
        "last": last,
        "grid": grid,
        "may_plan": may_plan,
        "plan_form": form or (forms.PlanForm(community=community) if may_plan else None),
        # Train first, then work (spec §21): who has not passed their induction test today.
        "untrained": untrained_employee_ids(community, timezone.localdate()),
    }


def roster(request: HttpRequest) -> HttpResponse:
    return render(request, "attendance/roster.html", _roster_context(request))


def roster_print(request: HttpRequest) -> HttpResponse:
    return render(request, "attendance/roster_print.html", _roster_context(request))


def roster_plan(request: HttpRequest) -> HttpResponse:
    community = current_community(request, "attendance.add_rosterentry")
    form = forms.PlanForm(request.POST or None, community=community)
    if request.method != "POST":
        return render(
            request, "attendance/form.html", {"form": form, "title": _("Plan the roster")}
        )

    def act() -> Any:
        data = form.cleaned_data
        return services.plan_roster(
            post=data["post"],
            shift=data["shift"],
            employee=data["employee"],
            first=data["first"],
            last=data["last"],
            weekdays=frozenset(data["weekdays"]) or None,
            by=request_user(request),
        )

    if submit(request, form, act, _("Rostered.")):
        url = reverse("attendance:roster")
        return redirect(f"{url}?post={form.cleaned_data['post'].pk}")
    return render(
        request, "attendance/form.html", {"form": form, "title": _("Plan the roster")}, status=400
    )


# --- Swaps, leave, missing punches ------------------------------------------------------------


def _create(
    request: HttpRequest, perm: str, form_class: Any, title: Any, act: Any, done: Any, **kw: Any
) -> HttpResponse:
    community = current_community(request, perm)
    form = form_class(request.POST or None, request.FILES or None, community=community, **kw)
    context = {"form": form, "title": title, "multipart": True}
    if request.method != "POST":
        return render(request, "attendance/form.html", context)
    result: list[Any] = []
    if submit(request, form, lambda: result.append(act(community, form.cleaned_data)), done):
        return redirect(result[0].get_absolute_url())
    return render(request, "attendance/form.html", context, status=400)


class SwapList(OwnOrAllList):
    model, perm, filterset_class = ShiftSwap, "attendance.view_shiftswap", SwapFilter
    related = ("entry__post", "entry__shift", "employee", "substitute")
    add_perm = "attendance.add_shiftswap"
    template_name = "attendance/swap_list.html"


def swap_create(request: HttpRequest) -> HttpResponse:
    user = request_user(request)

    def act(community: Any, data: dict[str, Any]) -> Any:
        return services.request_swap(by=user, **data)

    return _create(
        request,
        "attendance.add_shiftswap",
        forms.SwapForm,
        _("Ask for a shift swap"),
        act,
        _("Sent to the supervisor."),
        user=user,
    )


def _decision_context(obj: Any, request: HttpRequest, approve_perm: Any, **given: Any) -> dict:
    user = request_user(request)
    return {
        "object": obj,
        "kind_label": obj._meta.verbose_name,
        "community": obj.community,
        "events": obj.events.select_related("actor").order_by("at", "pk"),
        "may_decide": obj.status == "requested"
        and obj.employee_id != user.pk
        and has_perm_in(user, approve_perm(obj), obj.community_id),
        "decision_form": given.get("decision_form") or forms.DecisionForm(community=obj.community),
    }


def _swap_perm(obj: Any) -> str:
    return "attendance.approve_shiftswap"


def _missing_perm(obj: Any) -> str:
    return "attendance.approve_missingpunch"


def _leave_perm(obj: Any) -> str:
    from .models.leave import approval_perm

    return approval_perm(obj)


class SwapDetail(OwnOrAllDetail):
    model, perm, template_name = ShiftSwap, "attendance.view_shiftswap", "attendance/decide.html"
    related = ("entry__post", "entry__shift", "other_entry__shift", "employee", "substitute")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        return {**context, **_decision_context(self.object, self.request, _swap_perm)}


class Decide(CommunityActionView):
    """Approve (`go=approve`) or reject with a reason."""

    form_class = forms.DecisionForm
    form_context_name = "decision_form"
    template_name = "attendance/decide.html"
    success_message = gettext_lazy("Decided.")
    approve_perm: Any = None

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "community": self.community}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return _decision_context(self.object, self.request, type(self).approve_perm, **kwargs)

    def decide(self, obj: Any, approve: bool, reason: str, by: User) -> Any:
        raise NotImplementedError

    def perform(self, obj: Any, form: BaseForm) -> Any:
        approve = self.request.POST.get("go") != "reject"
        return self.decide(obj, approve, form.cleaned_data["reason"], request_user(self.request))


class SwapDecide(Decide):
    model, perm = ShiftSwap, "attendance.approve_shiftswap"
    approve_perm = _swap_perm

    def decide(self, obj: Any, approve: bool, reason: str, by: User) -> Any:
        return services.decide_swap(swap=obj, approve=approve, reason=reason, by=by)


class LeaveList(OwnOrAllList):
    model, perm, filterset_class = Leave, "attendance.view_leave", LeaveFilter
    related = ("employee",)
    add_perm = "attendance.add_leave"
    template_name = "attendance/leave_list.html"


def leave_create(request: HttpRequest) -> HttpResponse:
    user = request_user(request)

    def act(community: Any, data: dict[str, Any]) -> Any:
        return services.request_leave(community=community, by=user, **data)

    return _create(
        request,
        "attendance.add_leave",
        forms.LeaveForm,
        _("Ask for leave"),
        act,
        _("Leave requested: it waits for approval."),
    )


class LeaveDetail(OwnOrAllDetail):
    model, perm, template_name = Leave, "attendance.view_leave", "attendance/decide.html"
    related = ("employee",)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        return {**context, **_decision_context(self.object, self.request, _leave_perm)}


class LeaveDecide(Decide):
    model, perm = Leave, "attendance.view_leave"
    approve_perm = _leave_perm

    def decide(self, obj: Any, approve: bool, reason: str, by: User) -> Any:
        return services.decide_leave(leave=obj, approve=approve, reason=reason, by=by)


class MissingList(OwnOrAllList):
    model, perm, filterset_class = MissingPunch, "attendance.view_missingpunch", MissingFilter
    related = ("employee",)
    add_perm = "attendance.add_missingpunch"
    template_name = "attendance/missing_list.html"


def missing_create(request: HttpRequest) -> HttpResponse:
    user = request_user(request)

    def act(community: Any, data: dict[str, Any]) -> Any:
        return services.request_missing_punch(community=community, by=user, **data)

    return _create(
        request,
        "attendance.add_missingpunch",
        forms.MissingPunchForm,
        _("Explain a missing punch"),
        act,
        _("Sent to the supervisor."),
        initial=_missing_initial(request),
    )


def _missing_initial(request: HttpRequest) -> dict[str, Any]:
    """`?at=2026-12-01T08:00` from the workbench's row prefills the time; anything else is
    ignored (the form asks for it)."""
    try:
        at = forms.MissingPunchForm.base_fields["at"].to_python(request.GET.get("at", ""))
    except ValidationError:
        return {}
    return {"at": at} if at else {}


class MissingDetail(OwnOrAllDetail):
    model, perm = MissingPunch, "attendance.view_missingpunch"
    template_name = "attendance/decide.html"
    related = ("employee",)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        return {**context, **_decision_context(self.object, self.request, _missing_perm)}


class MissingDecide(Decide):
    model, perm = MissingPunch, "attendance.approve_missingpunch"
    approve_perm = _missing_perm

    def decide(self, obj: Any, approve: bool, reason: str, by: User) -> Any:
        return services.decide_missing_punch(missing=obj, approve=approve, reason=reason, by=by)


# --- Punch import ---------------------------------------------------------------------------


def punch_import(request: HttpRequest) -> HttpResponse:
    """Upload the machine's export (.xlsx or .csv, the community's column names): the
    framework's preview page shows its rows and errors, and commits it."""
    community = current_community(request, "attendance.add_punch")
    form = forms.UploadForm(request.POST or None, request.FILES or None, community=community)
    mapping = PunchColumns.objects.filter(community=community).first()
    context = {"form": form, "mapping": mapping, "community": community}
    if request.method != "POST":
        return render(request, "attendance/punch_import.html", context)
    batches: list[Any] = []

    def act() -> None:
        upload = form.cleaned_data["file"]
        rows = read_punch_file(upload, community)
        user = request_user(request)
        importer = mapped_importer(community)(by=user, community=community)
        batches.append(
            upload_rows(
                kind="punches",
                rows=rows,
                file_name=upload.name or "",
                by=user,
                community=community,
                importer=importer,
            )
        )

    if submit(request, form, act, _("File checked: see the preview.")):
        return redirect("imports:batch-detail", kind="punches", pk=batches[0].pk)
    return render(request, "attendance/punch_import.html", context, status=400)


def punch_columns(request: HttpRequest) -> HttpResponse:
    community = current_community(request, "attendance.add_punch")
    mapping = PunchColumns.objects.filter(community=community).first()
    initial = (
        {
            "staff_no": mapping.staff_no,
            "punched_at": mapping.punched_at,
            "date": mapping.date,
            "time": mapping.time,
        }
        if mapping
        else {"staff_no": "工号", "punched_at": "打卡时间"}
    )
    form = forms.ColumnsForm(request.POST or None, initial=initial, community=community)
    context = {"form": form, "title": _("Columns of the punch file")}
    if request.method != "POST":
        return render(request, "attendance/form.html", context)

    def act() -> Any:
        return services.save_punch_columns(
            community=community, by=request_user(request), **form.cleaned_data
        )

    if submit(request, form, act, _("Saved.")):
        return redirect("attendance:punch-import")
    return render(request, "attendance/form.html", context, status=400)


# --- Attendance days, the sheet, KPIs ---------------------------------------------------------


class DayList(OwnOrAllList):
    model, perm, filterset_class = AttendanceDay, "attendance.view_attendanceday", DayFilter
    related = ("employee", "post")
    template_name = "attendance/day_list.html"


def _sheet_context(request: HttpRequest, month: dt.date, **given: Any) -> dict[str, Any]:
    community = current_community(request, "attendance.view_attendancesheet")
    sheet = services.sheet_for(community, month)
    user = request_user(request)
    return {
        "community": community,
        "month": month,
        "sheet": sheet,
        "months": selectors.attendance_findings(community, month),
        "may_submit": sheet.status == SheetStatus.OPEN
        and has_perm_in(user, "attendance.submit_attendancesheet", community),
        "may_reopen": sheet.status == SheetStatus.SUBMITTED
        and has_perm_in(user, "attendance.correct_attendance", community),
        "note_form": given.get("note_form") or forms.NoteForm(community=community),
        "error": given.get("error"),
        "due": _due(community, month),
    }


def _due(community: Any, month: dt.date) -> dt.date:
    from guanjia.core.policies.selectors import policy

    following = (month + dt.timedelta(days=32)).replace(day=1)
    last = selectors.month_bounds(following)[1].day
    return following.replace(day=min(policy(community, "att.report_day"), last))


def sheet(request: HttpRequest) -> HttpResponse:
    return render(request, "attendance/sheet.html", _sheet_context(request, _month(request)))


@require_POST
def sheet_submit(request: HttpRequest) -> HttpResponse:
    month = forms.parse_month(request.POST.get("month"))
    community = current_community(request, "attendance.submit_attendancesheet")
    if month is None:
        context = _sheet_context(request, timezone.localdate().replace(day=1))
        context["error"] = _("Choose a month such as 2026-11.")
        return render(request, "attendance/sheet.html", context, status=400)
    from django.core.exceptions import ValidationError

    try:
        services.submit_sheet(community=community, month=month, by=request_user(request))
    except ValidationError as exc:
        context = _sheet_context(request, month)
        context["error"] = " ".join(exc.messages)
        return render(request, "attendance/sheet.html", context, status=400)
    messages.success(request, _("Submitted to HR: the month is locked."))
    return redirect(f"{reverse('attendance:sheet')}?month={month:%Y-%m}")


@require_POST
def sheet_reopen(request: HttpRequest) -> HttpResponse:
    month = forms.parse_month(request.POST.get("month")) or timezone.localdate().replace(day=1)
    community = current_community(request, "attendance.correct_attendance")
    form = forms.NoteForm(request.POST, community=community)
    the_sheet = services.sheet_for(community, month)

    def act() -> Any:
        return services.reopen_sheet(
            sheet=the_sheet, note=form.cleaned_data["note"], by=request_user(request)
        )

    if submit(request, form, act, _("Reopened for corrections.")):
        return redirect(f"{reverse('attendance:sheet')}?month={month:%Y-%m}")
    context = _sheet_context(request, month, note_form=form)
    return render(request, "attendance/sheet.html", context, status=400)


def sheet_export(request: HttpRequest) -> HttpResponse:
    community = current_community(request, ALL)
    month = _month(request)
    result = export_or_enqueue(
        kind="attendance_sheet",
        params={"month": f"{month:%Y-%m}"},
        by=request_user(request),
        community=community,
    )
    if isinstance(result, ExportFile):
        response = HttpResponse(
            result.content,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{result.name}"'
        return response
    return redirect("jobs:jobrun-detail", pk=result.pk)


@require_POST
def recompute(request: HttpRequest) -> HttpResponse:
    """Compute the month again now (a job for the whole community)."""
    from guanjia.core.jobs.services import enqueue

    community = current_community(request, "attendance.submit_attendancesheet")
    month = forms.parse_month(request.POST.get("month")) or timezone.localdate().replace(day=1)
    minute = timezone.now().strftime("%Y%m%d%H%M")
    run = enqueue(
        "guanjia.attendance.services.compute.compute_month_job",
        key=f"attendance.compute:{community.pk}:{month:%Y-%m}:{minute}",
        label=_("Attendance of %(month)s") % {"month": f"{month:%Y-%m}"},
        args=[community.pk, f"{month:%Y-%m}"],
        by=request_user(request),
        community=community,
    )
    return redirect("jobs:jobrun-detail", pk=run.pk)


def kpi_page(request: HttpRequest) -> HttpResponse:
    community = current_community(request, "attendance.view_attendance_kpis")
    month = _month(request)
    figures = selectors.kpis(community, month)
    chart = bar_chart(
        _("Leave days by type"),
        [Bar(label, days) for label, days in figures.leave_by_kind],
        unit="",
        decimals=0,
        empty=_("No leave this month."),
    )
    return render(
        request,
        "attendance/kpis.html",
        {"community": community, "month": month, "kpis": figures, "chart": chart},
    )

"""Findings: the list, one finding with its action and photos, the review and the KPIs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guanjia.core.access import get_visible_or_404, has_perm_in, request_user, require_perm
from guanjia.core.charts import Bar, bar_chart
from guanjia.core.imports.base import Column, ColumnType
from guanjia.core.imports.xlsx import export_xlsx
from guanjia.core.pages import CommunityListView, apply_errors, current_community, submit

from .. import forms, services
from ..actions import get_action
from ..filters import FindingFilter
from ..kpis import patrol_kpis
from ..models import Finding, FindingStatus, Patrol, PatrolStatus, WeeklyReview
from ..services.review import week_start

VIEW = "patrols.view_finding"
ACT = "patrols.change_finding"
REVIEW = "patrols.review_patrol"
KPI = "patrols.view_patrol_kpis"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class FindingList(CommunityListView):
    model = Finding
    perm = VIEW
    filterset_class = FindingFilter
    related = ("zone", "checkpoint", "found_by")
    template_name = "patrols/finding_list.html"


def _finding(request: HttpRequest, pk: int) -> Finding:
    base = Finding.objects.select_related("zone", "checkpoint", "patrol", "unit", "community")
    finding: Finding = get_visible_or_404(base, request.user, pk=pk)
    require_perm(request.user, VIEW, finding.community)
    return finding


def _action_state(finding: Finding) -> Any:
    if not finding.action_kind:
        return None
    try:
        action = get_action(finding.action_kind)
    except ValidationError:
        return None
    return {"action": action, "state": action.state(finding) if action.state else None}


def _render(
    request: HttpRequest, finding: Finding, status: int = 200, **extra: Any
) -> HttpResponse:
    community = finding.community
    may_act = has_perm_in(request.user, ACT, community)
    context = {
        "finding": finding,
        "events": finding.events.select_related("actor"),
        "photos": finding.photos.all(),
        "current": _action_state(finding),
        "may_act": may_act and finding.status == FindingStatus.OPEN,
        "may_close": may_act and finding.status == FindingStatus.ACTION,
        "may_photo": may_act,
        "action_form": extra.pop("action_form", None)
        or forms.ActionForm(community=community, prefix="action"),
        "close_form": extra.pop("close_form", None)
        or forms.NoteForm(community=community, prefix="close"),
        "photo_form": extra.pop("photo_form", None)
        or forms.PhotoForm(community=community, prefix="photo"),
        **extra,
    }
    return render(request, "patrols/finding_detail.html", context, status=status)


def finding_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render(request, _finding(request, pk))


@require_POST
def finding_action(request: HttpRequest, pk: int) -> HttpResponse:
    finding = _finding(request, pk)
    require_perm(request.user, ACT, finding.community)
    form = forms.ActionForm(request.POST, community=finding.community, prefix="action")
    if form.is_valid():
        try:
            services.take_action(
                finding=finding,
                kind=form.cleaned_data["kind"],
                data=form.cleaned_data,
                by=request_user(request),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("patrols:finding-detail", pk=pk)
    return _render(request, finding, 400, action_form=form)


@require_POST
def finding_close(request: HttpRequest, pk: int) -> HttpResponse:
    finding = _finding(request, pk)
    require_perm(request.user, ACT, finding.community)
    form = forms.NoteForm(request.POST, community=finding.community, prefix="close")
    if form.is_valid():
        try:
            services.close_finding(
                finding=finding, note=form.cleaned_data["note"], by=request_user(request)
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("patrols:finding-detail", pk=pk)
    return _render(request, finding, 400, close_form=form)


@require_POST
def finding_photo(request: HttpRequest, pk: int) -> HttpResponse:
    finding = _finding(request, pk)
    require_perm(request.user, ACT, finding.community)
    form = forms.PhotoForm(request.POST, request.FILES, community=finding.community, prefix="photo")
    if form.is_valid():
        try:
            services.add_photo(
                finding=finding, upload=form.cleaned_data["image"], by=request_user(request)
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("patrols:finding-detail", pk=pk)
    return _render(request, finding, 400, photo_form=form)


def review(request: HttpRequest) -> HttpResponse:
    """The supervisor's weekly review: the week's patrols by state, the open findings, and
    the review written down."""
    community = current_community(request, REVIEW)
    form = forms.ReviewForm(
        request.POST or None,
        community=community,
        initial={"week": week_start(timezone.localdate())},
    )
    status = 200
    if request.method == "POST":

        def act() -> Any:
            return services.weekly_review(
                community=community,
                week=form.cleaned_data["week"],
                note=form.cleaned_data["note"],
                by=request_user(request),
            )

        if submit(request, form, act, _("Review saved.")):
            return redirect("patrols:review")
        status = 400
    start = week_start(timezone.localdate())
    week = Patrol.objects.filter(
        community=community, day__gte=start, day__lt=start + dt.timedelta(days=7)
    )
    context = {
        "form": form,
        "start": start,
        "missed": week.filter(status=PatrolStatus.MISSED).select_related("zone", "patroller"),
        "week_done": week.filter(status=PatrolStatus.DONE).count(),
        "week_planned": week.count(),
        "open_findings": Finding.objects.filter(community=community)
        .exclude(status=FindingStatus.CLOSED)
        .select_related("zone")
        .order_by("found_on")[:50],
        "reviews": WeeklyReview.objects.filter(community=community).select_related("by")[:8],
    }
    return render(request, "patrols/review.html", context, status=status)


def _period(request: HttpRequest) -> tuple[dt.date, dt.date, list[str]]:
    today = timezone.localdate()
    errors: list[str] = []
    try:
        start = dt.date.fromisoformat(request.GET.get("start") or today.replace(day=1).isoformat())
        end = dt.date.fromisoformat(request.GET.get("end") or today.isoformat())
    except ValueError:
        errors.append(_("Give the dates as YYYY-MM-DD."))
        start, end = today.replace(day=1), today
    if end < start or (end - start).days > 366:
        errors.append(_("The period runs forward and covers at most a year."))
        start, end = today.replace(day=1), today
    return start, end, errors


def kpi_page(request: HttpRequest) -> HttpResponse:
    community = current_community(request, KPI)
    start, end, errors = _period(request)
    by = "patroller" if request.GET.get("by") == "patroller" else "zone"
    rows = patrol_kpis(community, start, end, by=by)
    bars = [
        Bar(
            r.label,
            None if r.completion is None else float(r.completion * 100),
            f"({r.done}/{r.planned})",
        )
        for r in rows[:-1]
    ]
    title = _("Patrol completion rate")
    return render(
        request,
        "patrols/kpis.html",
        {
            "rows": rows,
            "start": start,
            "end": end,
            "by": by,
            "errors": errors,
            "chart": bar_chart(str(title), bars),
            "chart_title": title,
        },
        status=400 if errors else 200,
    )


COLUMNS = [
    ("label", "片区/巡查人", "Zone or patroller"),
    ("planned", "计划巡查数", "Planned"),
    ("done", "完成巡查数", "Done"),
    ("missed", "未巡查数", "Missed"),
    ("completion", "巡查完成率", "Completion rate"),
    ("findings", "发现问题数", "Findings"),
    ("per_patrol", "每次巡查问题数", "Findings per patrol"),
    ("closed", "已关闭问题数", "Closed"),
    ("closure", "问题关闭率", "Closure rate"),
    ("days_to_close", "平均关闭天数", "Average days to close"),
    ("residents", "住户报修数", "Reported by residents"),
    ("proactive", "巡查发现占比", "Share found by patrol"),
]


def kpi_export(request: HttpRequest) -> HttpResponse:
    community = current_community(request, KPI)
    start, end, errors = _period(request)
    if errors:
        return HttpResponse(" ".join(errors), status=400, content_type="text/plain; charset=utf-8")
    by = "patroller" if request.GET.get("by") == "patroller" else "zone"
    cells = [
        {
            field: ("" if getattr(row, field) is None else str(getattr(row, field)))
            for field, _zh, _en in COLUMNS
        }
        | {"label": row.label or _("Total")}
        for row in patrol_kpis(community, start, end, by=by)
    ]
    columns = [
        Column(field=f, header_zh=zh, header_en=en, type=ColumnType.TEXT) for f, zh, en in COLUMNS
    ]
    content = export_xlsx(cells, columns, title="巡查KPI")
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="patrol-kpi-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"'
    )
    return response

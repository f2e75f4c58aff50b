"""The KPI page of the service desk (spec §27) and its Excel export."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from guanjia.accounts.selectors import require_perm
from guanjia.core.imports.base import Column
from guanjia.core.imports.xlsx import export_xlsx
from guanjia.core.models import Community

from ..selectors import GROUPINGS, Ratio, complaint_kpis, desk_kpis, repair_kpis

PERM = "tickets.view_desk_kpis"
MAX_DAYS = 366
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class KpiQuery(forms.Form):
    """The period and the grouping of a KPI report."""

    start = forms.DateField(
        label=gettext_lazy("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(label=gettext_lazy("To"), widget=forms.DateInput(attrs={"type": "date"}))
    by = forms.ChoiceField(
        label=gettext_lazy("By"), choices=[(k, v[0]) for k, v in GROUPINGS.items()]
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and not (0 <= (end - start).days < MAX_DAYS):
            raise forms.ValidationError(_("Choose a period of one day to one year, start first."))
        return data


def _query(request: HttpRequest) -> tuple[Community, KpiQuery]:
    community = getattr(request, "community", None)
    if community is None:
        raise PermissionDenied
    require_perm(request.user, PERM, community)
    today = timezone.localdate()
    initial = {"start": today.replace(day=1).isoformat(), "end": today.isoformat(), "by": "total"}
    return community, KpiQuery({**initial, **request.GET.dict()})


def _report(community: Community, q: dict[str, Any]) -> dict[str, Any]:
    args = {"community": community, "start": q["start"], "end": q["end"]}
    return {
        "complaints": complaint_kpis(**args, by=q["by"]),
        "repairs": repair_kpis(**args, by=q["by"]),
        "desk": desk_kpis(**args),
    }


@require_GET
def kpis(request: HttpRequest) -> HttpResponse:
    """The KPIs of a period with raw counts and simple bars."""
    community, form = _query(request)
    report = _report(community, form.cleaned_data) if form.is_valid() else {}
    status = 200 if form.is_valid() else 400
    return render(
        request,
        "tickets/kpis.html",
        {"form": form, **report, "query": request.GET.urlencode()},
        status=status,
    )


def _cells(prefix: str, ratio: Ratio) -> dict[str, Any]:
    return {
        f"{prefix}_n": ratio.numerator,
        f"{prefix}_d": ratio.denominator,
        f"{prefix}": ratio.rate,
    }


def _rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for c in report["complaints"]:
        rows.append({"table": _("Complaints"), "group": c.group, "received": c.received,
                     **_cells("a", c.handling), **_cells("b", c.on_time), **_cells("c", c.valid),
                     "hours": c.avg_resolve_hours})  # fmt: skip
    for r in report["repairs"]:
        rows.append({"table": _("Repairs"), "group": r.group, "received": r.received,
                     **_cells("a", r.completion), **_cells("b", r.arrival_on_time),
                     **_cells("c", r.completion_on_time), **_cells("d", r.rework),
                     "hours": r.avg_complete_hours})  # fmt: skip
    return rows


def _columns() -> list[Column]:
    names = [
        ("table", "表", "Table"),
        ("group", "分组", "Group"),
        ("received", "受理数", "Received"),
    ]
    for key, zh, en in (
        ("a", "处理/完成", "Handling/completion"),
        ("b", "及时(处理/到场)", "On time/arrival"),
        ("c", "有效/完工及时", "Valid/completion on time"),
        ("d", "返修", "Rework"),
    ):
        names += [
            (f"{key}_n", f"{zh}分子", f"{en} numerator"),
            (f"{key}_d", f"{zh}分母", f"{en} denominator"),
            (key, f"{zh}%", f"{en} %"),
        ]
    names.append(("hours", "平均用时(小时)", "Average hours"))
    return [Column(field=f, header_zh=zh, header_en=en) for f, zh, en in names]


@require_GET
def kpis_export(request: HttpRequest) -> HttpResponse:
    """The same report as an .xlsx file."""
    community, form = _query(request)
    if not form.is_valid():
        return render(request, "tickets/kpis.html", {"form": form}, status=400)
    content = export_xlsx(_rows(_report(community, form.cleaned_data)), _columns(), title="KPI")
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="kpi-{timezone.localdate():%Y%m%d}.xlsx"'
    )
    return response

"""The violation KPIs page and its Excel export (spec §11, §27): found by type and by zone,
correction rate, on-time correction rate, reported to authorities, with their raw counts, and
the repeat offenders."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from guanjia.core.charts import Bar, bar_chart
from guanjia.core.imports.base import Column, ColumnType
from guanjia.core.imports.xlsx import export_xlsx
from guanjia.core.models import Community
from guanjia.core.pages import current_community

from .selectors import KpiReport, ViolationKpis, violation_kpis

PERM = "violations.view_violation_kpis"
MAX_DAYS = 366
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class KpiQuery(forms.Form):
    """The period: violations found from `start` to `end`."""

    start = forms.DateField(
        label=gettext_lazy("Found from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=gettext_lazy("Found to"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and not (0 <= (end - start).days < MAX_DAYS):
            raise forms.ValidationError(_("Choose a period of one day to one year, start first."))
        return data


def _query(request: HttpRequest) -> tuple[Community, KpiQuery]:
    community = current_community(request, PERM)
    today = timezone.localdate()
    initial = {"start": today.replace(month=1, day=1).isoformat(), "end": today.isoformat()}
    return community, KpiQuery({**initial, **request.GET.dict()})


def _charts(report: KpiReport) -> list[dict[str, Any]]:
    charts = []
    for rows, title in (
        (report.by_type, _("Violations found by type")),
        (report.by_zone, _("Violations found by zone")),
    ):
        bars = [Bar(row.label, row.found) for row in rows]
        charts.append({"title": title, "svg": bar_chart(title, bars, unit="", decimals=0)})
    zones = [
        Bar(row.label, row.correction_rate.rate, f"({row.corrected}/{row.found})")
        for row in report.by_zone
    ]
    title = _("Correction rate by zone")
    charts.append({"title": title, "svg": bar_chart(title, zones)})
    return charts


@require_GET
def kpi_page(request: HttpRequest) -> HttpResponse:
    community, form = _query(request)
    context: dict[str, Any] = {"form": form, "query": request.GET.urlencode()}
    if form.is_valid():
        report = violation_kpis(community=community, **form.cleaned_data)
        context |= {"report": report, "charts": _charts(report)}
    return render(request, "violations/kpis.html", context, status=200 if form.is_valid() else 400)


def _cells(section: str, row: ViolationKpis) -> dict[str, Any]:
    rates = {
        name: "" if ratio.rate is None else str(ratio.rate)
        for name, ratio in (
            ("correction_rate", row.correction_rate),
            ("on_time_rate", row.on_time_rate),
        )
    }
    return {
        "section": section,
        "label": row.label or _("Total"),
        "found": row.found,
        "corrected": row.corrected,
        "on_time": row.on_time,
        "reported": row.reported,
        **rates,
    }


COLUMNS = [
    ("section", "分组", "Grouped by"),
    ("label", "类别", "Group"),
    ("found", "发现数", "Found"),
    ("corrected", "已整改数", "Corrected"),
    ("on_time", "按期整改数", "Corrected on time"),
    ("reported", "上报数", "Reported to authorities"),
    ("correction_rate", "整改率%", "Correction rate %"),
    ("on_time_rate", "按期整改率%", "On-time correction rate %"),
]


def _columns() -> list[Column]:
    return [
        Column(field=f, header_zh=zh, header_en=en, type=ColumnType.TEXT) for f, zh, en in COLUMNS
    ]


@require_GET
def kpi_export(request: HttpRequest) -> HttpResponse:
    """The same tables as an .xlsx file (the repeat offenders as rows of their own)."""
    community, form = _query(request)
    if not form.is_valid():
        return render(request, "violations/kpis.html", {"form": form}, status=400)
    report = violation_kpis(community=community, **form.cleaned_data)
    rows = [_cells(_("Type"), r) for r in report.by_type]
    rows += [_cells(_("Zone"), r) for r in report.by_zone]
    rows.append(_cells(_("Total"), report.total))
    rows += [
        {"section": _("Repeat offender"), "label": code, "found": count}
        for code, count in report.repeat_units
    ]
    content = export_xlsx(rows, _columns(), title="违章KPI")
    response = HttpResponse(content, content_type=XLSX)
    name = f"violation-kpi-{form.cleaned_data['start']:%Y%m%d}-{form.cleaned_data['end']:%Y%m%d}"
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response

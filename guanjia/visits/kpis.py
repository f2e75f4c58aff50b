"""The visit KPIs page and its Excel export (spec §14, §27): per type, visit rate, on-time
visit rate, satisfaction by both definitions and dissatisfied answers turned into complaints,
each with its raw counts."""

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

from .selectors import VisitKpis, visit_kpis

PERM = "visits.view_visit_kpis"
MAX_DAYS = 366
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RATES = (
    ("visit_rate", gettext_lazy("Visit rate")),
    ("on_time_rate", gettext_lazy("On-time visit rate")),
    ("satisfied_rate", gettext_lazy("Satisfaction (satisfied only)")),
    ("satisfied_or_fairly_rate", gettext_lazy("Satisfaction (satisfied and fairly satisfied)")),
)


class KpiQuery(forms.Form):
    """The period: visits due from `start` to `end`."""

    start = forms.DateField(
        label=gettext_lazy("Due from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=gettext_lazy("Due to"), widget=forms.DateInput(attrs={"type": "date"})
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
    initial = {"start": today.replace(day=1).isoformat(), "end": today.isoformat()}
    return community, KpiQuery({**initial, **request.GET.dict()})


def _charts(rows: list[VisitKpis]) -> list[dict[str, Any]]:
    kinds = rows[:-1]
    charts = []
    for attr, title in RATES:
        bars = []
        for row in kinds:
            ratio = getattr(row, attr)
            bars.append(Bar(row.label, ratio.rate, f"({ratio.numerator}/{ratio.denominator})"))
        charts.append({"title": str(title), "svg": bar_chart(str(title), bars)})
    return charts


@require_GET
def kpi_page(request: HttpRequest) -> HttpResponse:
    """The KPIs of a period as charts over a table of the raw counts."""
    community, form = _query(request)
    context: dict[str, Any] = {"form": form, "query": request.GET.urlencode()}
    if form.is_valid():
        rows = visit_kpis(community=community, **form.cleaned_data)
        context |= {"rows": rows, "charts": _charts(rows)}
    return render(request, "visits/kpis.html", context, status=200 if form.is_valid() else 400)


def _cells(row: VisitKpis) -> dict[str, Any]:
    cells: dict[str, Any] = {"kind": row.label}
    for name in ("required", "completed", "answered", "on_time", "satisfied", "fairly"):
        cells[name] = getattr(row, name)
    cells |= {"dissatisfied": row.dissatisfied, "to_complaint": row.to_complaint}
    for attr, _title in RATES:
        rate = getattr(row, attr).rate
        cells[attr] = "" if rate is None else str(rate)
    return cells


COLUMNS = [
    ("kind", "回访类型", "Visit type"),
    ("required", "应回访数", "Visits due"),
    ("completed", "已回访数", "Visits made"),
    ("answered", "有答复数", "Answered"),
    ("on_time", "按时回访数", "Made on time"),
    ("satisfied", "满意", "Satisfied"),
    ("fairly", "较满意", "Fairly satisfied"),
    ("dissatisfied", "不满意", "Dissatisfied"),
    ("to_complaint", "不满意转投诉数", "Dissatisfied turned into complaints"),
    ("visit_rate", "回访率%", "Visit rate %"),
    ("on_time_rate", "回访及时率%", "On-time visit rate %"),
    ("satisfied_rate", "满意率%(仅满意)", "Satisfaction % (satisfied only)"),
    ("satisfied_or_fairly_rate", "满意率%(满意+较满意)", "Satisfaction % (with fairly)"),
]


def _columns() -> list[Column]:
    return [
        Column(field=f, header_zh=zh, header_en=en, type=ColumnType.TEXT) for f, zh, en in COLUMNS
    ]


@require_GET
def kpi_export(request: HttpRequest) -> HttpResponse:
    """The same table as an .xlsx file."""
    community, form = _query(request)
    if not form.is_valid():
        return render(request, "visits/kpis.html", {"form": form}, status=400)
    rows = visit_kpis(community=community, **form.cleaned_data)
    content = export_xlsx([_cells(row) for row in rows], _columns(), title="回访KPI")
    response = HttpResponse(content, content_type=XLSX)
    name = f"visit-kpi-{form.cleaned_data['start']:%Y%m%d}-{form.cleaned_data['end']:%Y%m%d}"
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response

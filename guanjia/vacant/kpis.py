"""The vacant-unit KPIs page and its Excel export (spec §13, §27): inspection completion rate,
problems per 100 inspections, meters running, keys out past the limit, vacant units by
category and age, each with its raw counts."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from guanjia.core.charts import Bar, bar_chart
from guanjia.core.imports.base import Column, ColumnType
from guanjia.core.imports.xlsx import export_xlsx
from guanjia.core.models import Community
from guanjia.core.pages import current_community

from .forms import PeriodForm
from .selectors import Kpis, kpis

PERM = "vacant.view_vacant_kpis"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _query(request: HttpRequest) -> tuple[Community, PeriodForm]:
    community = current_community(request, PERM)
    today = timezone.localdate()
    initial = {"start": today.replace(day=1).isoformat(), "end": today.isoformat()}
    form = PeriodForm({**initial, **request.GET.dict()})
    for field in form.fields.values():
        field.widget.attrs.setdefault("class", "form-control form-control-sm")
    return community, form


def _charts(k: Kpis) -> list[dict[str, Any]]:
    rate = k.completion_rate
    rates = [
        Bar(
            _("Inspection completion rate"),
            None if rate is None else round(100 * rate, 1),
            f"({k.done}/{k.required})",
        )
    ]
    categories = [Bar(label, n) for label, n in k.by_category]
    ages = [Bar(label, n) for label, n in k.by_age]
    return [
        {
            "title": _("Inspection completion rate"),
            "svg": bar_chart(_("Inspection completion rate"), rates),
        },
        {
            "title": _("Vacant units by category"),
            "svg": bar_chart(_("Vacant units by category"), categories, unit="", decimals=0),
        },
        {
            "title": _("Vacant units by age"),
            "svg": bar_chart(_("Vacant units by age"), ages, unit="", decimals=0),
        },
    ]


@require_GET
def kpi_page(request: HttpRequest) -> HttpResponse:
    community, form = _query(request)
    context: dict[str, Any] = {"form": form, "query": request.GET.urlencode()}
    if form.is_valid():
        k = kpis(community, form.cleaned_data["start"], form.cleaned_data["end"])
        context |= {"k": k, "charts": _charts(k)}
    return render(request, "vacant/kpis.html", context, status=200 if form.is_valid() else 400)


def _rows(k: Kpis) -> list[dict[str, Any]]:
    rate, per100 = k.completion_rate, k.problems_per_100
    rows: list[dict[str, Any]] = [
        {"what": _("Inspections due"), "value": k.required},
        {"what": _("Inspections done"), "value": k.done},
        {
            "what": _("Inspection completion rate %"),
            "value": "" if rate is None else round(100 * rate, 1),
        },
        {"what": _("Inspections recorded"), "value": k.inspections},
        {"what": _("Inspections with a problem"), "value": k.problems},
        {
            "what": _("Problems per 100 inspections"),
            "value": "" if per100 is None else round(per100, 1),
        },
        {"what": _("Meters found running"), "value": k.meters_running},
        {"what": _("Keys out past the limit"), "value": k.keys_out_late},
    ]
    rows += [{"what": label, "value": n} for label, n in k.by_category]
    rows += [{"what": label, "value": n} for label, n in k.by_age]
    return rows


@require_GET
def kpi_export(request: HttpRequest) -> HttpResponse:
    community, form = _query(request)
    if not form.is_valid():
        return render(request, "vacant/kpis.html", {"form": form}, status=400)
    k = kpis(community, form.cleaned_data["start"], form.cleaned_data["end"])
    columns = [
        Column(field="what", header_zh="指标", header_en="Measure", type=ColumnType.TEXT),
        Column(field="value", header_zh="数值", header_en="Value", type=ColumnType.TEXT),
    ]
    content = export_xlsx(_rows(k), columns, title="空置房KPI")
    response = HttpResponse(content, content_type=XLSX)
    name = f"vacant-kpi-{k.start:%Y%m%d}-{k.end:%Y%m%d}"
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response

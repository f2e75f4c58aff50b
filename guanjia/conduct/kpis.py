"""The conduct KPIs page and its Excel export (spec §23, §27): rewards and penalties by
level, person and month, net points per employee, spot-check failures by item."""

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

from .selectors import ConductKpis, conduct_kpis

PERM = "conduct.view_conduct_kpis"
MAX_DAYS = 366
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class KpiQuery(forms.Form):
    start = forms.DateField(
        label=gettext_lazy("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(label=gettext_lazy("To"), widget=forms.DateInput(attrs={"type": "date"}))

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


def _charts(kpis: ConductKpis) -> list[dict[str, Any]]:
    levels = [Bar(f"{kind}·{name}", n) for kind, name, n in kpis.by_level]
    failures = [Bar(item, failed, f"/{checked}") for item, failed, checked in kpis.failures[:15]]
    return [
        {
            "title": _("Rewards and penalties by level"),
            "svg": bar_chart(_("Rewards and penalties by level"), levels, unit="", decimals=0),
        },
        {
            "title": _("Spot-check failures by item"),
            "svg": bar_chart(_("Spot-check failures by item"), failures, unit="", decimals=0),
        },
    ]


@require_GET
def kpi_page(request: HttpRequest) -> HttpResponse:
    community, form = _query(request)
    context: dict[str, Any] = {"form": form, "query": request.GET.urlencode()}
    if form.is_valid():
        kpis = conduct_kpis(community=community, **form.cleaned_data)
        context |= {"kpis": kpis, "charts": _charts(kpis)}
    return render(request, "conduct/kpis.html", context, status=200 if form.is_valid() else 400)


@require_GET
def kpi_export(request: HttpRequest) -> HttpResponse:
    """Net points by person and month, as .xlsx."""
    community, form = _query(request)
    if not form.is_valid():
        return render(request, "conduct/kpis.html", {"form": form}, status=400)
    kpis = conduct_kpis(community=community, **form.cleaned_data)
    columns = [
        Column(field="name", header_zh="员工", header_en="Employee", type=ColumnType.TEXT),
        Column(field="rewards", header_zh="奖励次数", header_en="Rewards", type=ColumnType.TEXT),
        Column(
            field="penalties", header_zh="处罚次数", header_en="Penalties", type=ColumnType.TEXT
        ),
        Column(field="net", header_zh="净积分", header_en="Net points", type=ColumnType.TEXT),
        *[Column(field=m, header_zh=m, header_en=m, type=ColumnType.TEXT) for m in kpis.months],
    ]
    rows = [
        {
            "name": p.name,
            "rewards": str(p.rewards),
            "penalties": str(p.penalties),
            "net": str(p.net_points),
            **{m: str(p.by_month.get(m, "")) for m in kpis.months},
        }
        for p in kpis.people
    ]
    content = export_xlsx(rows, columns, title="奖惩统计")
    response = HttpResponse(content, content_type=XLSX)
    name = f"conduct-kpi-{form.cleaned_data['start']:%Y%m%d}-{form.cleaned_data['end']:%Y%m%d}"
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response

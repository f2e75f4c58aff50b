"""The billing overview of the current community: billed by month, arrears by building and
by fee item (charts over tables of the same exact figures), the units that owe most and the
totals. Charts are server-side SVG (guanjia.core.charts, see docs/charts.md)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from guanjia.core.charts import FINE_STEPS, Bar, Series, bar_chart, nice_ceiling, trend_chart
from guanjia.core.pages import current_community

from ..forms import parse_month
from ..selectors import BillingOverview, billing_overview
from .common import error_list

PERM = "billing.view_ledgerentry"
TOP_UNITS = 20
CHART_BUILDINGS = 20  # bars drawn; the table lists every building
TEN_THOUSAND = Decimal(10_000)  # 万元: the scale of the monthly chart from 10,000 yuan up


@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    """The overview of the twelve months ending with `?month=YYYY-MM` (default: this month)."""
    community = current_community(request, PERM)
    this_month = f"{timezone.localdate():%Y-%m}"
    raw = request.GET.get("month") or this_month
    context: dict[str, Any] = {"month_value": raw[:20], "this_month": this_month}
    try:
        month = parse_month(raw[:20])
    except ValidationError as exc:
        context["errors"] = error_list(exc)
        return render(request, "billing/overview.html", context, status=400)
    data = billing_overview(community.pk, month, top=TOP_UNITS)
    context |= {"o": data, **_charts(data), **_tables(data)}
    return render(request, "billing/overview.html", context)


def _units(n: int) -> str:
    return ngettext("%(n)s unit", "%(n)s units", n) % {"n": n}


def _month_labels(months: list[dt.date]) -> list[str]:
    """Short month names; the year under the first month and under each January."""
    return [
        date_format(m, "M") + (f"\n{m.year}" if i == 0 or m.month == 1 else "")
        for i, m in enumerate(months)
    ]


def _billed_chart(data: BillingOverview) -> dict[str, Any]:
    """Columns per fee item and month; in 10,000 yuan once a month reaches that (axis labels
    of six digits do not fit beside the plot)."""
    billed = data.billed
    large = max((t for i in billed.items for t in i.totals), default=Decimal(0)) >= TEN_THOUSAND
    scale, unit = (TEN_THOUSAND, _("10,000 yuan")) if large else (Decimal(1), _("yuan"))
    title = _("Billed by month (%(unit)s)") % {"unit": unit}
    series = [Series(i.name, [t / scale for t in i.totals]) for i in billed.items]
    svg = trend_chart(
        title,
        _month_labels(billed.months),
        series,
        kind="column",
        unit="",
        decimals=2 if large else 0,
        empty=_("Nothing billed in these months."),
    )
    return {"title": title, "svg": svg}


def axis_end(value: Decimal) -> float | None:
    """The smallest round axis end at least `value`, 10 yuan at least (whole or half ticks);
    None for nothing above zero."""
    if value <= 0:
        return None
    return nice_ceiling(max(float(value), 10.0), steps=FINE_STEPS)


def _arrears_chart(title: str, rows: list[tuple[str, Decimal, int]]) -> dict[str, Any]:
    """Outstanding in yuan, the number of units owing written beside each bar."""
    bars = [Bar(label, outstanding, _units(units)) for label, outstanding, units in rows]
    top = axis_end(max((r[1] for r in rows), default=Decimal(0)))
    svg = bar_chart(title, bars, unit="", decimals=2, max_value=top, empty=_("Nothing is owed."))
    return {"title": title, "svg": svg}


def _charts(data: BillingOverview) -> dict[str, Any]:
    return {
        "billed_chart": _billed_chart(data),
        "building_chart": _arrears_chart(
            _("Arrears by building (yuan)"),
            [(b.label, b.outstanding, b.units) for b in data.buildings[:CHART_BUILDINGS]],
        ),
        "buildings_cut": len(data.buildings) > CHART_BUILDINGS,
        "chart_buildings": CHART_BUILDINGS,
        "item_chart": _arrears_chart(
            _("Arrears by fee item (yuan)"),
            [(i.name, i.outstanding, i.units) for i in data.fee_items],
        ),
    }


def _tables(data: BillingOverview) -> dict[str, Any]:
    """The monthly table (newest month first, a column per fee item) and the top units with
    their share of all that is owed."""
    billed = data.billed
    months = [
        {"month": m, "totals": [i.totals[k] for i in billed.items], "total": total}
        for k, (m, total) in enumerate(zip(billed.months, billed.month_totals, strict=True))
    ]
    outstanding = data.outstanding
    top = [
        {
            "unit": u,
            "share": (u.outstanding * 100 / outstanding).quantize(Decimal("0.1"))
            if outstanding
            else None,
        }
        for u in data.top_units
    ]
    return {"months": months[::-1], "top": top}

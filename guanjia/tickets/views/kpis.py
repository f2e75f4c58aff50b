"""The KPI page of the service desk (spec §27): charts, tables and the Excel export.

The charts are server-side SVG (guanjia.core.charts): one bar chart per KPI by the chosen
grouping, with the policy targets as lines, and the trend of the twelve months ending with
the period's last month. The tables below them carry the same numbers with their raw counts."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_GET

from guanjia.core.access import require_perm
from guanjia.core.charts import Bar, Series, Target, bar_chart, nice_ceiling, trend_chart
from guanjia.core.imports.base import Column
from guanjia.core.imports.xlsx import export_xlsx
from guanjia.core.models import Community
from guanjia.core.policies.selectors import policy

from ..selectors import (
    GROUPINGS,
    MonthlyTrend,
    Ratio,
    complaint_kpis,
    desk_kpis,
    monthly_trend,
    repair_kpis,
)
from ..selectors.letters import letter_kpis

PERM = "tickets.view_desk_kpis"
MAX_DAYS = 366
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class KpiQuery(forms.Form):
    """The period and the grouping of a KPI report."""

    start = forms.DateField(
        label=gettext_lazy("Period from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=gettext_lazy("Period to"), widget=forms.DateInput(attrs={"type": "date"})
    )
    by = forms.ChoiceField(
        label=gettext_lazy("Group by"),
        choices=[(key, value[0]) for key, value in GROUPINGS.items()],
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


def _report(community: Community, query: dict[str, Any]) -> dict[str, Any]:
    args = {"community": community, "start": query["start"], "end": query["end"]}
    return {
        "complaints": complaint_kpis(**args, by=query["by"]),
        "repairs": repair_kpis(**args, by=query["by"]),
        "desk": desk_kpis(**args),
        "letters": letter_kpis(**args),
        "trend": monthly_trend(community=community, end=query["end"]),
    }


@require_GET
def kpis(request: HttpRequest) -> HttpResponse:
    """The KPIs of a period as charts over tables of the raw counts, and the 12-month trend."""
    community, form = _query(request)
    context: dict[str, Any] = {"form": form, "query": request.GET.urlencode()}
    if form.is_valid():
        report = _report(community, form.cleaned_data)
        context |= report | _charts(community, form.cleaned_data, report)
        context["months"] = _trend_rows(report["trend"])
    return render(request, "tickets/kpis.html", context, status=200 if form.is_valid() else 400)


# --- charts -----------------------------------------------------------------------------------


def _name(row: Any) -> str:
    return str(row.label or row.group or _("All"))


def _bars(rows: list[Any], attr: str) -> list[Bar]:
    """One bar per group: the rate of `attr`, its raw counts written beside."""
    bars = []
    for row in rows:
        ratio: Ratio = getattr(row, attr)
        bars.append(Bar(_name(row), ratio.rate, f"({ratio.numerator}/{ratio.denominator})"))
    return bars


def _hours(rows: list[Any], attr: str) -> list[Bar]:
    return [Bar(_name(row), getattr(row, attr)) for row in rows]


def _targets(community: Community, on: Any) -> tuple[Target, Target, Target]:
    """The targets of the policies in force on the period's last day, in percent: complaint
    handling, repair timeliness and the rework limit."""

    def percent(key: str) -> Decimal:
        return Decimal(str(policy(community, key, on=on))) * 100

    return (
        Target(percent("complaint.handling_rate_target"), _("Target")),
        Target(percent("repair.timely_target"), _("Target")),
        Target(percent("repair.rework_max"), _("Limit"), "max"),
    )


def _zoom(bars: list[Bar], target: Target) -> float:
    """An axis end for a small rate (rework): room for the limit and the highest value."""
    values = [float(bar.value) for bar in bars if bar.value is not None]
    return min(100.0, nice_ceiling(max([*values, float(target.value) * 2.5])))


def _figure(title: str, bars: list[Bar], **options: Any) -> dict[str, Any]:
    """A chart with its visible caption."""
    return {"title": title, "svg": bar_chart(title, bars, **options)}


def _charts(community: Community, query: dict[str, Any], report: dict[str, Any]) -> dict[str, Any]:
    complaint_rows, repair_rows, desk, letters = (
        report[key] for key in ("complaints", "repairs", "desk", "letters")
    )
    handling, timely, rework = _targets(community, query["end"])
    hours = {"unit": " " + pgettext("hours, after a number on a chart", "h"), "decimals": 1}
    rework_bars = _bars(repair_rows, "rework")
    complaint_charts = [
        _figure(_("Complaint handling rate"), _bars(complaint_rows, "handling"), target=handling),
        _figure(_("Complaint on-time rate"), _bars(complaint_rows, "on_time")),
        _figure(_("Valid complaint rate"), _bars(complaint_rows, "valid")),
        _figure(
            _("Average hours to resolve"), _hours(complaint_rows, "avg_resolve_hours"), **hours
        ),
    ]
    repair_charts = [
        _figure(_("Repair completion rate"), _bars(repair_rows, "completion")),
        _figure(_("Arrival on time"), _bars(repair_rows, "arrival_on_time"), target=timely),
        _figure(_("Completion on time"), _bars(repair_rows, "completion_on_time"), target=timely),
        _figure(_("Rework rate"), rework_bars, target=rework, max_value=_zoom(rework_bars, rework)),
        _figure(_("Average hours to complete"), _hours(repair_rows, "avg_complete_hours"), **hours),
    ]
    desk_chart = _figure(
        _("First contact, repeat complaints and letters"),
        [
            Bar(
                _("First-contact resolution"),
                desk.first_contact.rate,
                f"({desk.first_contact.numerator}/{desk.first_contact.denominator})",
            ),
            Bar(
                _("Repeat complaints"),
                desk.repeat_complaints.rate,
                f"({desk.repeat_complaints.numerator}/{desk.repeat_complaints.denominator})",
            ),
            Bar(
                _("Letters replied on time"),
                letters.on_time.rate,
                f"({letters.on_time.numerator}/{letters.on_time.denominator})",
            ),
        ],
    )
    by = query["by"]
    return {
        "complaint_charts": complaint_charts,
        "repair_charts": repair_charts,
        "desk_chart": desk_chart,
        "complaints_ungrouped": by != "total" and GROUPINGS[by][1] is None,
        "repairs_ungrouped": by != "total" and GROUPINGS[by][2] is None,
        "grouping": GROUPINGS[by][0],
        "trend_charts": _trend_charts(report["trend"]),
    }


def _month_labels(months: list[Any]) -> list[str]:
    """Short month names; the year under the first month and under each January."""
    return [
        date_format(month, "M") + (f"\n{month.year}" if index == 0 or month.month == 1 else "")
        for index, month in enumerate(months)
    ]


def _trend_charts(trend: MonthlyTrend) -> list[dict[str, Any]]:
    labels = _month_labels(trend.months)

    def chart(title: str, series: list[Series], **options: Any) -> dict[str, Any]:
        return {"title": title, "svg": trend_chart(title, labels, series, **options)}

    def rates(name: Any, rows: list[Any], attr: str) -> Series:
        return Series(str(name), [getattr(row, attr).rate for row in rows])

    return [
        chart(
            _("Complaints and the register by month"),
            [
                rates(_("Handling rate"), trend.complaints, "handling"),
                rates(_("On-time rate"), trend.complaints, "on_time"),
                rates(_("Valid complaint rate"), trend.complaints, "valid"),
                rates(_("Repeat complaints"), trend.desk, "repeat_complaints"),
                rates(_("First-contact resolution"), trend.desk, "first_contact"),
            ],
        ),
        chart(
            _("Repairs by month"),
            [
                rates(_("Completion rate"), trend.repairs, "completion"),
                rates(_("Arrival on time"), trend.repairs, "arrival_on_time"),
                rates(_("Completion on time"), trend.repairs, "completion_on_time"),
                rates(_("Rework rate"), trend.repairs, "rework"),
            ],
        ),
        chart(
            _("Received by month"),
            [
                Series(_("Contacts"), [desk_row.contacts for desk_row in trend.desk]),
                Series(_("Complaints"), [row.received for row in trend.complaints]),
                Series(_("Repairs"), [row.received for row in trend.repairs]),
            ],
            kind="column",
            unit="",
            decimals=0,
        ),
    ]


def _trend_rows(trend: MonthlyTrend) -> list[dict[str, Any]]:
    """The trend as table rows: one per month, newest first."""
    rows = [
        {"month": month, "complaint": complaint, "repair": repair, "desk": desk_row}
        for month, complaint, repair, desk_row in zip(
            trend.months, trend.complaints, trend.repairs, trend.desk, strict=True
        )
    ]
    return rows[::-1]


def _cells(prefix: str, ratio: Ratio) -> dict[str, Any]:
    return {
        f"{prefix}_n": ratio.numerator,
        f"{prefix}_d": ratio.denominator,
        f"{prefix}": ratio.rate,
    }


def _rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The sheet: the period's groups, then the trend's months (group "2026-05")."""
    trend: MonthlyTrend = report["trend"]
    return [
        *_register_cells(report["desk"], report["letters"]),
        *(_complaint_cells(_("Complaints"), complaint) for complaint in report["complaints"]),
        *(_repair_cells(_("Repairs"), repair) for repair in report["repairs"]),
        *(_complaint_cells(_("Complaints by month"), complaint) for complaint in trend.complaints),
        *(_repair_cells(_("Repairs by month"), repair) for repair in trend.repairs),
    ]


def _register_cells(desk: Any, letters: Any) -> list[dict[str, Any]]:
    """The register's figures of the whole period: one row each, its rate in column a."""
    table = _("Register")
    return [
        {
            "table": table,
            "group": _("First-contact resolution"),
            "received": desk.contacts,
            **_cells("a", desk.first_contact),
        },
        {
            "table": table,
            "group": _("Repeat complaints"),
            "received": desk.repeat_complaints.denominator,
            **_cells("a", desk.repeat_complaints),
        },
        {
            "table": table,
            "group": _("Letters replied on time"),
            "received": letters.due,
            **_cells("a", letters.on_time),
        },
    ]


def _complaint_cells(table: str, complaint: Any) -> dict[str, Any]:
    return {
        "table": table,
        "group": complaint.label or complaint.group,
        "received": complaint.received,
        **_cells("a", complaint.handling),
        **_cells("b", complaint.on_time),
        **_cells("c", complaint.valid),
        "hours": complaint.avg_resolve_hours,
    }


def _repair_cells(table: str, repair: Any) -> dict[str, Any]:
    return {
        "table": table,
        "group": repair.label or repair.group,
        "received": repair.received,
        **_cells("a", repair.completion),
        **_cells("b", repair.arrival_on_time),
        **_cells("c", repair.completion_on_time),
        **_cells("d", repair.rework),
        "hours": repair.avg_complete_hours,
    }


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
    return [Column(field=field, header_zh=zh, header_en=en) for field, zh, en in names]


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

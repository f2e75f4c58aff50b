"""The collection reports page and its Excel export (spec §10 "Reports and KPIs", §27): the
five collection rates, each with its numerator and denominator, with waivers counted as
collected or not (an option); arrears ageing, top debtors, by zone and building, payments by
method and cashier, deposits held, prepaid balances, late fees billed and collected."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from guanjia.core.charts import Bar, Target, bar_chart
from guanjia.core.imports.base import Column, ColumnType
from guanjia.core.imports.xlsx import export_xlsx
from guanjia.core.models import Community
from guanjia.core.pages import current_community
from guanjia.core.policies.selectors import policy

from .forms import MonthField
from .selectors.collection import CollectionReport, Ratio, collection_report, month_end

PERM = "cashier.view_collection_kpis"
MAX_MONTHS = 12
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class CollectionQuery(forms.Form):
    """The months P, whether waivers count as collected, the year of the annual rate and its
    cut-off date."""

    start = MonthField(label=gettext_lazy("From month (YYYY-MM)"))
    end = MonthField(label=gettext_lazy("To month (YYYY-MM)"))
    waivers = forms.BooleanField(label=gettext_lazy("Count waivers as collected"), required=False)
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)
    cutoff = forms.DateField(
        label=gettext_lazy("Annual rate: collected by"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            css = "form-check-input" if name == "waivers" else "form-control form-control-sm"
            field.widget.attrs.setdefault("class", css)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end:
            months = (end.year - start.year) * 12 + end.month - start.month
            if not 0 <= months < MAX_MONTHS:
                raise forms.ValidationError(
                    _("Choose one to twelve months, the first month first."), code="bad_period"
                )
        return data


def _query(request: HttpRequest) -> tuple[Community, CollectionQuery]:
    community = current_community(request, PERM)
    today = timezone.localdate()
    initial = {
        "start": f"{today:%Y-%m}",
        "end": f"{today:%Y-%m}",
        "year": str(today.year),
        "cutoff": today.isoformat(),
    }
    return community, CollectionQuery({**initial, **request.GET.dict()})


def _report(community: Community, form: CollectionQuery) -> CollectionReport:
    data = form.cleaned_data
    return collection_report(
        community,
        data["start"],
        data["end"],
        waivers=data["waivers"],
        year=data["year"],
        cutoff=data["cutoff"],
    )


def _rate_rows(report: CollectionReport) -> list[tuple[str, Ratio, str]]:
    return [
        (
            _("Current-period collection rate (当期收缴率)"),
            report.rates.current,
            _("collected for P ÷ billed for P"),
        ),
        (
            _("Arrears recovery rate (清欠率)"),
            report.rates.recovery,
            _("collected in P for earlier bills ÷ arrears at the start of P"),
        ),
        (
            _("Overall collection rate (综合收缴率)"),
            report.rates.overall,
            _("(collected for P + recovered) ÷ (billed for P + opening arrears)"),
        ),
        (
            _("Household collection rate (户数收缴率)"),
            report.household,
            _("units owing nothing for P ÷ units billed for P"),
        ),
        (
            _("Annual collection rate (年度收缴率)"),
            report.annual,
            _("collected for the year's bills by the cut-off ÷ billed for the year"),
        ),
    ]


def _charts(report: CollectionReport, target: Decimal) -> list[dict[str, Any]]:
    goal = Target(target, _("Target"))
    charts = []
    title = _("Collection rates")
    bars = [
        Bar(label.split(" (")[0], ratio.rate, f"({ratio.numerator}/{ratio.denominator})")
        for label, ratio, _formula in _rate_rows(report)
    ]
    charts.append({"title": title, "svg": bar_chart(title, bars, target=goal)})
    title = _("Current-period collection rate by building")
    bars = [
        Bar(r.label, r.current.rate, f"({r.current.numerator}/{r.current.denominator})")
        for r in report.by_building
    ]
    charts.append({"title": title, "svg": bar_chart(title, bars, target=goal)})
    title = _("Arrears by age (months)")
    bars = [Bar(label, amount) for label, amount in report.ageing.buckets]
    charts.append({"title": title, "svg": bar_chart(title, bars, unit="", decimals=2)})
    return charts


@require_GET
def collection_page(request: HttpRequest) -> HttpResponse:
    community, form = _query(request)
    context: dict[str, Any] = {"form": form, "query": request.GET.urlencode()}
    if form.is_valid():
        report = _report(community, form)
        target = Decimal(str(policy(community, "billing.target_collection_rate"))) * 100
        context |= {
            "report": report,
            "rate_rows": _rate_rows(report),
            "charts": _charts(report, target),
            "target": target,
            "period_end": month_end(report.last),
        }
    return render(
        request, "cashier/collection.html", context, status=200 if form.is_valid() else 400
    )


COLUMNS = [
    ("section", "分组", "Section"),
    ("label", "项目", "Item"),
    ("numerator", "分子/金额", "Numerator / amount"),
    ("denominator", "分母/笔数", "Denominator / count"),
    ("rate", "比率%", "Rate %"),
]


def _columns() -> list[Column]:
    return [
        Column(field=f, header_zh=zh, header_en=en, type=ColumnType.TEXT) for f, zh, en in COLUMNS
    ]


def _ratio_row(section: str, label: str, ratio: Ratio) -> dict[str, Any]:
    return {
        "section": section,
        "label": label,
        "numerator": str(ratio.numerator),
        "denominator": str(ratio.denominator),
        "rate": "" if ratio.rate is None else str(ratio.rate),
    }


@require_GET
def collection_export(request: HttpRequest) -> HttpResponse:
    """The same figures as an .xlsx file, one row a figure with its numerator and denominator."""
    community, form = _query(request)
    if not form.is_valid():
        return render(request, "cashier/collection.html", {"form": form}, status=400)
    report = _report(community, form)
    rows = [_ratio_row(_("Rates"), label, ratio) for label, ratio, _f in _rate_rows(report)]
    for section, scopes in ((_("Building"), report.by_building), (_("Zone"), report.by_zone)):
        for scope in scopes:
            rows.append(_ratio_row(section, f"{scope.label} 当期", scope.current))
            rows.append(_ratio_row(section, f"{scope.label} 综合", scope.overall))
    rows += [
        {"section": _("Arrears by age (months)"), "label": label, "numerator": str(amount)}
        for label, amount in report.ageing.buckets
    ]
    rows += [
        {"section": _("Top debtors"), "label": d.room_code, "numerator": str(d.outstanding)}
        for d in report.top_debtors
    ]
    for section, amounts in (
        (_("Payments by method"), report.by_method),
        (_("Payments by cashier"), report.by_cashier),
        (_("Deposits held"), report.deposits_held),
    ):
        rows += [
            {
                "section": section,
                "label": a.label,
                "numerator": str(a.total),
                "denominator": a.count,
            }
            for a in amounts
        ]
    rows.append(
        {
            "section": _("Prepaid balances"),
            "label": _("Units"),
            "numerator": str(report.prepaid.total),
            "denominator": report.prepaid.count,
        }
    )
    rows.append(
        {
            "section": _("Late fees"),
            "label": _("Billed / collected"),
            "numerator": str(report.late_fees[1]),
            "denominator": str(report.late_fees[0]),
        }
    )
    content = export_xlsx(rows, _columns(), title="收缴率")
    response = HttpResponse(content, content_type=XLSX)
    name = f"collection-{report.first:%Y%m}-{report.last:%Y%m}"
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response

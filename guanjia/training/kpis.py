"""The training KPIs page (spec §21, §27): plan completion (sessions held ÷ planned),
attendance (signed ÷ invited), first-attempt pass rate, hours per employee against the
minimum; raw counts beside every rate."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from guanjia.core.pages import current_community

from .selectors import training_kpis

PERM = "training.view_training_kpis"
MAX_DAYS = 366


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


@require_GET
def kpi_page(request: HttpRequest) -> HttpResponse:
    community = current_community(request, PERM)
    today = timezone.localdate()
    initial = {"start": today.replace(month=1, day=1).isoformat(), "end": today.isoformat()}
    form = KpiQuery({**initial, **request.GET.dict()})
    context: dict[str, Any] = {"form": form}
    if form.is_valid():
        context["kpis"] = training_kpis(community=community, **form.cleaned_data)
    return render(request, "training/kpis.html", context, status=200 if form.is_valid() else 400)

"""Meters and tiers (issue 10 "Meters and tiers have no way in"): the community's meters, a
new meter, its change, its replacement and its history; a proposed rate's tiers. Built on the
community-scoped class-based views (list, create, update); each POST calls one service."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from guanjia.core.access import get_visible_or_404, has_perm_in, request_user, require_perm
from guanjia.core.pages import (
    CommunityCreateView,
    CommunityListView,
    CommunityUpdateView,
    apply_errors,
)

from ..filters import MeterFilter
from ..meter_forms import (
    ApportionmentForm,
    MeterEditForm,
    MeterForm,
    MeterReplaceForm,
    TierFormSet,
    tiers_of,
)
from ..models import ApportionmentSet, FeeStandardVersion, Meter
from ..services.meters import (
    create_meter,
    replace_meter,
    save_apportionment_set,
    update_meter,
)
from ..services.standards import set_rate_tiers


class _Refused400:
    """A form refused (by itself or by the service) answers 400, as billing's other pages."""

    def form_invalid(self, form: Any) -> HttpResponse:
        response: HttpResponse = super().form_invalid(form)  # type: ignore[misc]
        response.status_code = 400
        return response


class MeterList(CommunityListView):
    model = Meter
    perm = "billing.view_meter"
    add_perm = "billing.add_meter"
    filterset_class = MeterFilter
    related = ("unit",)
    template_name = "billing/meter_list.html"

    def get_queryset(self) -> Any:
        return super().get_queryset().order_by("kind", "number")


class MeterCreate(_Refused400, CommunityCreateView):
    model = Meter
    form_class = MeterForm
    perm = "billing.add_meter"
    template_name = "billing/meter_form.html"
    success_message: ClassVar[Any] = ""

    def perform(self, obj: Meter, form: Any) -> Meter:
        data = form.cleaned_data
        return create_meter(
            community=self.community,
            by=request_user(self.request),
            unit=data.get("unit"),
            kind=data["kind"],
            number=data["number"],
            multiplier=data["multiplier"],
            installed_on=data.get("installed_on"),
            initial_reading=data["initial_reading"],
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "title": _("New meter")}

    def get_success_url(self) -> str:
        return reverse("billing:meter-detail", args=[self.object.pk])


class MeterEdit(_Refused400, CommunityUpdateView):
    model = Meter
    form_class = MeterEditForm
    perm = "billing.change_meter"
    template_name = "billing/meter_form.html"
    related = ("community", "unit")

    def perform(self, obj: Meter, form: Any) -> Meter:
        return update_meter(meter=obj, by=request_user(self.request), **form.cleaned_data)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        title = _("Change meter %(meter)s") % {"meter": self.object}
        return {**super().get_context_data(**kwargs), "title": title, "meter": self.object}

    def get_success_url(self) -> str:
        return reverse("billing:meter-detail", args=[self.object.pk])


def _meter(request: HttpRequest, pk: int, perm: str) -> Meter:
    meter: Meter = get_visible_or_404(
        Meter.objects.select_related("community", "unit"), request.user, pk=pk
    )
    require_perm(request.user, perm, meter.community)
    return meter


def meter_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The meter, its replacements (final and initial readings) and its change history."""
    meter = _meter(request, pk, "billing.view_meter")
    sharing = ApportionmentSet.objects.filter(meter=meter).first()
    records = meter.history.select_related("history_user").order_by("-history_date")[:50]
    history = [
        (record, record.diff_against(record.prev_record).changes if record.prev_record else [])
        for record in records
    ]
    context = {
        "meter": meter,
        "replacements": meter.replacements.select_related("created_by").order_by("-replaced_on"),
        "readings": meter.readings.order_by("-period")[:12],
        "history": history,
        "can_change": has_perm_in(request.user, "billing.change_meter", meter.community),
        "sharing": sharing,
        "sharing_units": sharing.units.order_by("room_code") if sharing is not None else [],
    }
    return render(request, "billing/meter_detail.html", context)


def meter_replace(request: HttpRequest, pk: int) -> HttpResponse:
    """Replace a meter: the old one's final reading and the new one's initial reading."""
    meter = _meter(request, pk, "billing.change_meter")
    form = MeterReplaceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            replace_meter(meter=meter, by=request_user(request), **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Meter replaced."))
            return redirect("billing:meter-detail", pk=meter.pk)
    title = _("Replace meter %(meter)s") % {"meter": meter}
    context = {"form": form, "title": title, "meter": meter}
    status = 400 if form.errors else 200
    return render(request, "billing/meter_form.html", context, status=status)


def version_tiers(request: HttpRequest, pk: int) -> HttpResponse:
    """The tiers (阶梯) of a rate awaiting approval: up to a quantity, a rate; the last tier
    without a limit. Saving makes the editor its proposer."""
    version: FeeStandardVersion = get_visible_or_404(
        FeeStandardVersion.objects.select_related("standard__community"), request.user, pk=pk
    )
    standard = version.standard
    require_perm(request.user, "billing.change_feestandardversion", standard.community)
    initial = [{"up_to": up_to, "rate": rate} for up_to, rate in (version.tiers or [])]
    formset = TierFormSet(request.POST or None, initial=initial or [{}, {}, {}], prefix="tiers")
    refusals: list[str] = []
    if request.method == "POST" and formset.is_valid():
        try:
            set_rate_tiers(version=version, tiers=tiers_of(formset), by=request_user(request))
        except ValidationError as exc:
            refusals = list(exc.messages)
        else:
            messages.success(request, _("Tiers saved: the rate awaits approval."))
            return redirect("billing:standard-detail", pk=standard.pk)
    refused = request.method == "POST"
    context = {
        "formset": formset,
        "refusals": refusals,
        "version": version,
        "standard": standard,
    }
    return render(request, "billing/rate_tiers.html", context, status=400 if refused else 200)


def meter_apportionment(request: HttpRequest, pk: int) -> HttpResponse:
    """Which units share a common meter (公摊范围): its shared standards split over these."""
    meter = _meter(request, pk, "billing.change_meter")
    group = ApportionmentSet.objects.filter(meter=meter).first()
    initial = {}
    if group is not None:
        codes = group.units.order_by("room_code").values_list("room_code", flat=True)
        initial = {"name": group.name, "rooms": "\n".join(codes)}
    form = ApportionmentForm(request.POST or None, initial=initial, community=meter.community)
    if request.method == "POST" and form.is_valid():
        try:
            save_apportionment_set(
                meter=meter,
                name=form.cleaned_data["name"],
                units=form.cleaned_data["rooms"],
                by=request_user(request),
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "units" in exc.error_dict:
                exc = ValidationError({"rooms": exc.error_dict["units"]})
            apply_errors(form, exc)
        else:
            messages.success(request, _("Units sharing the meter saved."))
            return redirect("billing:meter-detail", pk=meter.pk)
    title = _("Units sharing %(meter)s") % {"meter": meter}
    context = {"form": form, "title": title, "meter": meter}
    return render(request, "billing/meter_form.html", context, status=400 if form.errors else 200)

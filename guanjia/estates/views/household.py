"""The household archive (一户一档) and its actions: status, owners, occupants, files, notes."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guanjia.core.access import get_visible_or_404, request_user, require_perm
from guanjia.core.pages import CommunityListView, CommunityUpdateView, apply_errors, paginate

from .. import filters, forms, services
from ..models import Occupancy, Pet, Unit, Vehicle
from ..selectors import household, unit_panels
from ..selectors.access import require_edit


def _unit(request: HttpRequest, pk: int, perm: str = "estates.view_unit") -> Unit:
    unit = get_visible_or_404(Unit.objects.with_place(), request.user, pk=pk)
    require_perm(request.user, perm, unit.community)
    result: Unit = unit
    return result


def _editable_unit(request: HttpRequest, pk: int, perm: str) -> Unit:
    unit = _unit(request, pk)
    require_edit(request_user(request), perm, unit.community, unit.building.zone_id)
    return unit


def _back(unit: Unit, tab: str = "") -> HttpResponse:
    url = reverse("estates:unit-detail", kwargs={"pk": unit.pk})
    return redirect(f"{url}#{tab}" if tab else url)


def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The household archive: unit, owners, occupants, vehicles, parking, files, timeline."""
    unit = _unit(request, pk)
    context = {
        "house": household(request_user(request), unit),
        "status_form": forms.UnitStatusForm(unit=unit),
        "panels": unit_panels(unit, request.user),
    }
    return render(request, "estates/unit_detail.html", context)


def unit_history(request: HttpRequest, pk: int) -> HttpResponse:
    """The unit row's change history (django-simple-history), newest first, PAGE_SIZE a page;
    each change against the record before it (the page's records and one more: no query a
    row)."""
    unit = _unit(request, pk)
    ordered = unit.history.select_related("history_user").order_by("-history_date", "-pk")
    page = paginate(request, ordered)
    records = list(page.object_list)
    older = list(ordered[page.end_index() : page.end_index() + 1]) if records else []
    before = [*records[1:], *older, None]  # each record's previous one (None: the first)
    rows = [
        (record, record.diff_against(previous).changes if previous else [])
        for record, previous in zip(records, before, strict=False)
    ]
    context = {"unit": unit, "rows": rows, "page_obj": page, "query": ""}
    return render(request, "estates/unit_history.html", context)


@require_POST
def unit_status(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _editable_unit(request, pk, "estates.change_unit")
    form = forms.UnitStatusForm(request.POST, unit=unit)
    if form.is_valid():
        try:
            services.change_unit_status(
                unit=unit,
                to=form.cleaned_data["to"],
                by=request_user(request),
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
    if form.errors:
        for errors in form.errors.values():
            messages.error(request, " ".join(str(e) for e in errors))
    else:
        messages.success(request, _("Status changed."))
    return _back(unit)


def unit_owners(request: HttpRequest, pk: int) -> HttpResponse:
    """Register the owners, or record a sale: the current owners end, the buyers start."""
    unit = _editable_unit(request, pk, "estates.add_ownership")
    form = forms.TransferForm(request.POST or None, unit=unit)
    if request.method == "POST" and form.is_valid():
        try:
            services.transfer_ownership(
                unit=unit,
                owners=form.owners(),
                on=form.cleaned_data["on"],
                by=request_user(request),
                contract_ref=form.cleaned_data["contract_ref"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Owners recorded."))
            return _back(unit, "owners")
    return render(request, "estates/ownership_form.html", {"form": form, "unit": unit})


def occupancy_create(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _editable_unit(request, pk, "estates.add_occupancy")
    form = forms.OccupancyForm(request.POST or None, unit=unit, community=unit.community)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_occupancy(occupancy=form.save(commit=False), by=request_user(request))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Occupant registered."))
            return _back(unit, "occupants")
    return render(request, "estates/occupancy_form.html", {"form": form, "unit": unit})


def occupancy_end(request: HttpRequest, pk: int) -> HttpResponse:
    occupancy = get_visible_or_404(
        Occupancy.objects.select_related("unit", "person"), request.user, pk=pk
    )
    unit = _editable_unit(request, occupancy.unit_id, "estates.change_occupancy")
    form = forms.EndOccupancyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.end_occupancy(
                occupancy=occupancy,
                on=form.cleaned_data["on"],
                by=request_user(request),
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Move-out recorded."))
            return _back(unit, "occupants")
    context = {"form": form, "unit": unit, "occupancy": occupancy}
    return render(request, "estates/occupancy_end.html", context)


# --- Vehicles and pets ----------------------------------------------------------------------


class VehicleList(CommunityListView):
    model = Vehicle
    perm = "estates.view_vehicle"
    add_perm = "estates.add_vehicle"  # shows the import link; vehicles are added per unit
    filterset_class = filters.VehicleFilter
    related = ("person", "unit__building", "unit__entrance")
    template_name = "estates/vehicle_list.html"


def vehicle_create(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _editable_unit(request, pk, "estates.add_vehicle")
    form = forms.VehicleForm(request.POST or None, unit=unit, community=unit.community)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_vehicle(vehicle=form.save(commit=False), by=request_user(request))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Vehicle registered."))
            return _back(unit, "vehicles")
    return render(request, "estates/vehicle_form.html", {"form": form, "unit": unit})


class VehicleEdit(CommunityUpdateView):
    model = Vehicle
    form_class = forms.VehicleForm
    perm = "estates.change_vehicle"
    template_name = "estates/vehicle_form.html"
    related = ("unit__building", "unit__entrance")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "unit": self.object.unit}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "unit": self.object.unit}

    def perform(self, obj: Vehicle, form: Any) -> Vehicle:
        return services.save_vehicle(vehicle=obj, by=request_user(self.request))

    def get_success_url(self) -> str:
        if self.object.unit_id:
            return reverse("estates:unit-detail", kwargs={"pk": self.object.unit_id})
        return reverse("estates:vehicle-list")


def pet_create(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _editable_unit(request, pk, "estates.add_pet")
    form = forms.PetForm(request.POST or None, unit=unit, community=unit.community)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_pet(pet=form.save(commit=False), by=request_user(request))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Pet registered."))
            return _back(unit, "pets")
    return render(request, "estates/pet_form.html", {"form": form, "unit": unit})


class PetEdit(CommunityUpdateView):
    model = Pet
    form_class = forms.PetForm
    perm = "estates.change_pet"
    template_name = "estates/pet_form.html"
    related = ("unit__building", "unit__entrance")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "unit": self.object.unit}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "unit": self.object.unit}

    def perform(self, obj: Pet, form: Any) -> Pet:
        return services.save_pet(pet=obj, by=request_user(self.request))

    def get_success_url(self) -> str:
        return reverse("estates:unit-detail", kwargs={"pk": self.object.unit_id})


# --- Documents and notes --------------------------------------------------------------------


def document_create(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _editable_unit(request, pk, "estates.add_unitdocument")
    form = forms.DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.upload_unit_document(
                unit=unit,
                kind=data["kind"],
                upload=data["file"],
                by=request_user(request),
                title=data["title"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Document filed."))
            return _back(unit, "documents")
    return render(request, "estates/unitdocument_form.html", {"form": form, "unit": unit})


@require_POST
def note_create(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _editable_unit(request, pk, "estates.add_unitnote")
    form = forms.NoteForm(request.POST)
    if form.is_valid():
        try:
            services.add_unit_note(
                unit=unit, text=form.cleaned_data["text"], by=request_user(request)
            )
        except ValidationError as exc:
            apply_errors(form, exc)
    if form.errors:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    else:
        messages.success(request, _("Note added."))
    return _back(unit, "timeline")

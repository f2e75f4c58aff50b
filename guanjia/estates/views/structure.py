"""Community setup pages: zones, buildings, entrances, units (with bulk layout), parking."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guanjia.core.access import get_visible_or_404, request_user, require_perm
from guanjia.core.pages import (
    CommunityCreateView,
    CommunityListView,
    CommunityUpdateView,
    apply_errors,
)

from .. import filters, forms, services
from ..models import Building, Entrance, ParkingSpace, Unit, Zone

# --- Zones ----------------------------------------------------------------------------------


class ZoneList(CommunityListView):
    model = Zone
    perm = "estates.view_zone"
    add_perm = "estates.add_zone"
    filterset_class = filters.ZoneFilter
    related = ("area_manager", "acting_manager")
    template_name = "estates/zone_list.html"


class ZoneCreate(CommunityCreateView):
    model = Zone
    form_class = forms.ZoneForm
    perm = "estates.add_zone"
    template_name = "estates/zone_form.html"
    success_url = reverse_lazy("estates:zone-list")

    def perform(self, obj: Zone, form: Any) -> Zone:
        return services.save_zone(zone=obj, by=request_user(self.request))


class ZoneEdit(CommunityUpdateView):
    model = Zone
    form_class = forms.ZoneForm
    perm = "estates.change_zone"
    template_name = "estates/zone_form.html"
    success_url = reverse_lazy("estates:zone-list")

    def perform(self, obj: Zone, form: Any) -> Zone:
        return services.save_zone(zone=obj, by=request_user(self.request))


# --- Buildings and entrances ----------------------------------------------------------------


class BuildingList(CommunityListView):
    model = Building
    perm = "estates.view_building"
    add_perm = "estates.add_building"
    filterset_class = filters.BuildingFilter
    related = ("zone",)
    template_name = "estates/building_list.html"


class BuildingCreate(CommunityCreateView):
    model = Building
    form_class = forms.BuildingForm
    perm = "estates.add_building"
    template_name = "estates/building_form.html"
    success_url = reverse_lazy("estates:building-list")

    def perform(self, obj: Building, form: Any) -> Building:
        return services.save_building(building=obj, by=request_user(self.request))


class BuildingEdit(CommunityUpdateView):
    model = Building
    form_class = forms.BuildingForm
    perm = "estates.change_building"
    template_name = "estates/building_form.html"
    success_url = reverse_lazy("estates:building-list")

    def perform(self, obj: Building, form: Any) -> Building:
        return services.save_building(building=obj, by=request_user(self.request))


def building_units_bulk(request: HttpRequest, pk: int) -> HttpResponse:
    """Lay out all units of a building at once (e.g. 33 floors × 4 units × 2 entrances)."""
    building = get_visible_or_404(Building.objects.select_related("zone"), request.user, pk=pk)
    require_perm(request.user, "estates.add_unit", building.community)
    form = forms.UnitBulkForm(request.POST or None, initial={"last_floor": building.floors_above})
    if request.method == "POST" and form.is_valid():
        try:
            units = services.bulk_create_units(
                building=building, plan=form.plan(), by=request_user(request)
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("%(n)s units created.") % {"n": len(units)})
            return redirect(f"{reverse('estates:unit-list')}?building={building.pk}")
    return render(request, "estates/unit_bulk_form.html", {"form": form, "building": building})


class EntranceList(CommunityListView):
    model = Entrance
    perm = "estates.view_entrance"
    add_perm = "estates.add_entrance"
    filterset_class = filters.EntranceFilter
    related = ("building",)
    template_name = "estates/entrance_list.html"

    def get_queryset(self) -> Any:
        return super().get_queryset().order_by("building__sort_key", "number")


class EntranceCreate(CommunityCreateView):
    model = Entrance
    form_class = forms.EntranceForm
    perm = "estates.add_entrance"
    template_name = "estates/entrance_form.html"
    success_url = reverse_lazy("estates:entrance-list")

    def perform(self, obj: Entrance, form: Any) -> Entrance:
        return services.save_entrance(entrance=obj, by=request_user(self.request))


class EntranceEdit(CommunityUpdateView):
    model = Entrance
    form_class = forms.EntranceForm
    perm = "estates.change_entrance"
    template_name = "estates/entrance_form.html"
    success_url = reverse_lazy("estates:entrance-list")
    related = ("building",)

    def perform(self, obj: Entrance, form: Any) -> Entrance:
        return services.save_entrance(entrance=obj, by=request_user(self.request))


# --- Units ----------------------------------------------------------------------------------


class UnitList(CommunityListView):
    model = Unit
    perm = "estates.view_unit"
    add_perm = "estates.add_unit"
    filterset_class = filters.UnitFilter
    related = ("building__zone", "entrance")
    template_name = "estates/unit_list.html"


class UnitCreate(CommunityCreateView):
    model = Unit
    form_class = forms.UnitForm
    perm = "estates.add_unit"
    template_name = "estates/unit_form.html"

    def perform(self, obj: Unit, form: Any) -> Unit:
        return services.save_unit(unit=obj, by=request_user(self.request))

    def get_success_url(self) -> str:
        return reverse("estates:unit-detail", kwargs={"pk": self.object.pk})


class UnitEdit(CommunityUpdateView):
    model = Unit
    form_class = forms.UnitForm
    perm = "estates.change_unit"
    template_name = "estates/unit_form.html"
    related = ("building", "entrance")

    def perform(self, obj: Unit, form: Any) -> Unit:
        return services.save_unit(unit=obj, by=request_user(self.request))

    def get_success_url(self) -> str:
        return reverse("estates:unit-detail", kwargs={"pk": self.object.pk})


# --- Parking spaces -------------------------------------------------------------------------


class ParkingList(CommunityListView):
    model = ParkingSpace
    perm = "estates.view_parkingspace"
    add_perm = "estates.add_parkingspace"
    filterset_class = filters.ParkingSpaceFilter
    related = ("unit__building", "unit__entrance", "person")
    template_name = "estates/parkingspace_list.html"


class ParkingCreate(CommunityCreateView):
    model = ParkingSpace
    form_class = forms.ParkingSpaceForm
    perm = "estates.add_parkingspace"
    template_name = "estates/parkingspace_form.html"
    success_url = reverse_lazy("estates:parking-list")
    success_message = gettext_lazy("Parking space saved.")

    def perform(self, obj: ParkingSpace, form: Any) -> ParkingSpace:
        return services.save_parking_space(space=obj, by=request_user(self.request))


class ParkingEdit(CommunityUpdateView):
    model = ParkingSpace
    form_class = forms.ParkingSpaceForm
    perm = "estates.change_parkingspace"
    template_name = "estates/parkingspace_form.html"
    success_url = reverse_lazy("estates:parking-list")
    related = ("unit",)

    def perform(self, obj: ParkingSpace, form: Any) -> ParkingSpace:
        return services.save_parking_space(space=obj, by=request_user(self.request))

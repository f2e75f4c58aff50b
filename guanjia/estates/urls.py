from django.urls import path

from .views import exports as x
from .views import household as h
from .views import people as p
from .views import structure as s

app_name = "estates"

urlpatterns = [
    path("", p.search_page, name="search"),
    path("search/", p.search_results, name="search-results"),
    # Community setup
    path("zones/", s.ZoneList.as_view(), name="zone-list"),
    path("zones/new/", s.ZoneCreate.as_view(), name="zone-create"),
    path("zones/<int:pk>/edit/", s.ZoneEdit.as_view(), name="zone-edit"),
    path("buildings/", s.BuildingList.as_view(), name="building-list"),
    path("buildings/new/", s.BuildingCreate.as_view(), name="building-create"),
    path("buildings/<int:pk>/edit/", s.BuildingEdit.as_view(), name="building-edit"),
    path("buildings/<int:pk>/units/new/", s.building_units_bulk, name="building-units-bulk"),
    path("entrances/", s.EntranceList.as_view(), name="entrance-list"),
    path("entrances/new/", s.EntranceCreate.as_view(), name="entrance-create"),
    path("entrances/<int:pk>/edit/", s.EntranceEdit.as_view(), name="entrance-edit"),
    path("units/", s.UnitList.as_view(), name="unit-list"),
    path("units/new/", s.UnitCreate.as_view(), name="unit-create"),
    path("units/<int:pk>/edit/", s.UnitEdit.as_view(), name="unit-edit"),
    path("parking/", s.ParkingList.as_view(), name="parking-list"),
    path("parking/new/", s.ParkingCreate.as_view(), name="parking-create"),
    path("parking/<int:pk>/edit/", s.ParkingEdit.as_view(), name="parking-edit"),
    # The household archive
    path("units/<int:pk>/", h.unit_detail, name="unit-detail"),
    path("units/<int:pk>/history/", h.unit_history, name="unit-history"),
    path("units/<int:pk>/status/", h.unit_status, name="unit-status"),
    path("units/<int:pk>/owners/", h.unit_owners, name="unit-owners"),
    path("units/<int:pk>/occupants/new/", h.occupancy_create, name="occupancy-create"),
    path("occupancies/<int:pk>/end/", h.occupancy_end, name="occupancy-end"),
    path("units/<int:pk>/vehicles/new/", h.vehicle_create, name="vehicle-create"),
    path("vehicles/", h.VehicleList.as_view(), name="vehicle-list"),
    path("vehicles/<int:pk>/edit/", h.VehicleEdit.as_view(), name="vehicle-edit"),
    path("units/<int:pk>/pets/new/", h.pet_create, name="pet-create"),
    path("pets/<int:pk>/edit/", h.PetEdit.as_view(), name="pet-edit"),
    path("units/<int:pk>/documents/new/", h.document_create, name="document-create"),
    path("units/<int:pk>/notes/", h.note_create, name="note-create"),
    # People and personal data
    path("people/", p.PersonList.as_view(), name="person-list"),
    path("people/new/", p.PersonCreate.as_view(), name="person-create"),
    path("people/<int:pk>/edit/", p.PersonEdit.as_view(), name="person-edit"),
    path("people/<int:pk>/reveal/", p.person_reveal, name="person-reveal"),
    path("access-log/", p.AccessLog.as_view(), name="access-log"),
    # Excel exports of the lists, with the list's filters
    path("units/export/", x.unit_export, name="unit-export"),
    path("buildings/export/", x.building_export, name="building-export"),
    path("zones/export/", x.zone_export, name="zone-export"),
    path("entrances/export/", x.entrance_export, name="entrance-export"),
    path("people/export/", x.person_export, name="person-export"),
    path("vehicles/export/", x.vehicle_export, name="vehicle-export"),
    path("parking/export/", x.parking_export, name="parking-export"),
    path("access-log/export/", x.access_log_export, name="access-log-export"),
]

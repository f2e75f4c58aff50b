"""The shape of input on the estates pages. Rules live in services; forms only shape values."""

from .common import DATE, BootstrapMixin, CommunityModelForm, staff_of
from .household import (
    DocumentForm,
    NoteForm,
    ParkingSpaceForm,
    PetForm,
    RevealForm,
    RoomCodeField,
    VehicleForm,
)
from .people import EndOccupancyForm, OccupancyForm, PersonForm, TransferForm, people_of_interest
from .structure import BuildingForm, EntranceForm, UnitBulkForm, UnitForm, UnitStatusForm, ZoneForm

__all__ = [
    "DATE",
    "BootstrapMixin",
    "BuildingForm",
    "CommunityModelForm",
    "DocumentForm",
    "EndOccupancyForm",
    "EntranceForm",
    "NoteForm",
    "OccupancyForm",
    "ParkingSpaceForm",
    "PersonForm",
    "PetForm",
    "RevealForm",
    "RoomCodeField",
    "TransferForm",
    "UnitBulkForm",
    "UnitForm",
    "UnitStatusForm",
    "VehicleForm",
    "ZoneForm",
    "people_of_interest",
    "staff_of",
]

"""Every write of the estates app. Views, the API, imports and other apps call only these."""

from .bulk import BulkRowError
from .bulk_occupants import OccupantCheck, OccupantRow, import_occupants
from .bulk_owners import OwnerCheck, OwnerRow, import_owners
from .bulk_people import PersonFields
from .bulk_units import UnitCheck, UnitRow, import_units
from .bulk_vehicles import VehicleCheck, VehicleRow, import_vehicles
from .people import (
    OwnerShare,
    end_occupancy,
    prepare_person,
    require_person_in_zone,
    reveal_personal_data,
    save_occupancy,
    save_person,
    set_id_number,
    transfer_ownership,
)
from .registers import (
    add_unit_note,
    check_document,
    save_parking_space,
    save_pet,
    save_vehicle,
    upload_unit_document,
)
from .structure import (
    UnitPlan,
    bulk_create_units,
    change_unit_status,
    save_building,
    save_entrance,
    save_unit,
    save_zone,
)

__all__ = [
    "BulkRowError",
    "OccupantCheck",
    "OccupantRow",
    "OwnerCheck",
    "OwnerRow",
    "OwnerShare",
    "PersonFields",
    "UnitCheck",
    "UnitPlan",
    "UnitRow",
    "VehicleCheck",
    "VehicleRow",
    "add_unit_note",
    "bulk_create_units",
    "change_unit_status",
    "check_document",
    "end_occupancy",
    "import_occupants",
    "import_owners",
    "import_units",
    "import_vehicles",
    "prepare_person",
    "require_person_in_zone",
    "reveal_personal_data",
    "save_building",
    "save_entrance",
    "save_occupancy",
    "save_parking_space",
    "save_person",
    "save_pet",
    "save_unit",
    "save_vehicle",
    "save_zone",
    "set_id_number",
    "transfer_ownership",
    "upload_unit_document",
]

"""Estates spreadsheets through the shared framework (core.imports): imports of buildings and
units, owners, occupants and vehicles, and an .xlsx export of every estates list.

The AppConfig lists them (`importers`, `exporters`); see docs/estates.md, "Importing a
community".
"""

from .exports import (
    AccessLogExporter,
    BuildingExporter,
    EntranceExporter,
    ParkingExporter,
    PersonExporter,
    UnitExporter,
    VehicleExporter,
    ZoneExporter,
)
from .people import OccupantImporter, OwnerImporter
from .roll import OwnerRollImporter
from .units import UnitImporter
from .vehicles import VehicleImporter

__all__ = [
    "AccessLogExporter",
    "BuildingExporter",
    "EntranceExporter",
    "OccupantImporter",
    "OwnerImporter",
    "OwnerRollImporter",
    "ParkingExporter",
    "PersonExporter",
    "UnitExporter",
    "UnitImporter",
    "VehicleExporter",
    "VehicleImporter",
    "ZoneExporter",
]

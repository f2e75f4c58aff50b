"""Vehicles from Excel: one row a vehicle of a household."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from guanjia.accounts.models import User
from guanjia.core.imports.base import Column
from guanjia.core.models import Community

from ..services import VehicleCheck, VehicleRow, import_vehicles
from ..services.bulk import RowErrors
from .common import RoomImporter, room_columns, text_of

VEHICLE_COLUMNS = (
    *room_columns(),
    Column(
        "owner_name",
        "车主姓名",
        "Driver",
        max_length=100,
        example="张三",
        help_text=gettext_lazy("A current owner or occupant of the unit; may be empty."),
    ),
    Column(
        "plate",
        "车牌号",
        "Plate",
        required=True,
        max_length=20,
        example="粤A12345",
        help_text=gettext_lazy("With its province: 粤A12345 (粤a·12345 is read the same)."),
    ),
    Column("model", "品牌型号", "Make and model", max_length=50, example="丰田凯美瑞"),
    Column("colour", "颜色", "Colour", max_length=20, example="白色"),
)


class VehicleImporter(RoomImporter):
    """Vehicles of the households of one community."""

    code = "vehicles"
    label = gettext_lazy("Vehicles")
    columns = VEHICLE_COLUMNS
    permission = "estates.add_vehicle"
    done_url_name = "estates:vehicle-list"
    required_fields = ("building", "room_number", "plate")
    created_field = "vehicles"

    def to_row(self, data: dict[str, Any], line: int, errors: RowErrors) -> VehicleRow:
        return VehicleRow(
            building=text_of(data, "building"),
            entrance=text_of(data, "entrance"),
            room_number=text_of(data, "room_number"),
            owner_name=text_of(data, "owner_name"),
            plate=text_of(data, "plate"),
            model=text_of(data, "model"),
            colour=text_of(data, "colour"),
            line=line,
        )

    def make_check(self, rows: list[Any]) -> VehicleCheck:
        return VehicleCheck(community=self.target, by=self.by)

    def write(self, rows: list[Any], *, by: User, community: Community) -> dict[str, int]:
        return import_vehicles(community=community, rows=rows, by=by)

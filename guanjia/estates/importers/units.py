"""Buildings and units from Excel: one row a unit, buildings and entrances made as needed."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from guanjia.accounts.models import User
from guanjia.core.imports.base import Column, ColumnType
from guanjia.core.models import Community

from ..models import UnitKind, UnitStatus
from ..services import UnitCheck, UnitRow, import_units
from ..services.bulk import RowErrors
from .common import (
    KIND_NAMES,
    KIND_WORDS,
    STATUS_NAMES,
    STATUS_WORDS,
    RoomImporter,
    decimal_of,
    room_columns,
    text_of,
    word_or_error,
)

UNIT_COLUMNS = (
    *room_columns(),
    Column(
        "floor",
        "楼层",
        "Floor",
        type=ColumnType.INTEGER,
        example="12",
        help_text=gettext_lazy("Read from the room number when empty: 1201 is on floor 12."),
    ),
    Column(
        "building_area",
        "建筑面积",
        "Building area",
        type=ColumnType.DECIMAL,
        required=True,
        example="89.50",
        help_text=gettext_lazy("m², above 0 and at most 10,000, with at most two decimals."),
    ),
    Column(
        "inner_area",
        "套内面积",
        "Inner area",
        type=ColumnType.DECIMAL,
        example="72.30",
        help_text=gettext_lazy("m², not larger than the building area."),
    ),
    Column(
        "kind",
        "房屋类型",
        "Type",
        max_length=20,
        example="住宅",
        help_text=gettext_lazy("住宅, 别墅, 商铺, 写字楼, 车位 or 储藏室; empty: 住宅."),
    ),
    Column("layout", "户型", "Layout", max_length=20, example="三室两厅"),
    Column(
        "status",
        "房屋状态",
        "Status",
        max_length=20,
        example="已入住",
        help_text=gettext_lazy(
            "未售, 已售未通知, 已发入住通知, 已交房, 视同交房, 拒收房, 空置, 装修中, 已入住 or "
            "出租; empty: 未售."
        ),
    ),
    Column(
        "zone",
        "片区",
        "Zone",
        max_length=50,
        example="东区",
        help_text=gettext_lazy(
            "A building that does not exist yet is created in this zone (or in the "
            "community's only zone)."
        ),
    ),
)


class UnitImporter(RoomImporter):
    """Buildings and units of one community (楼栋、单元、房号 …)."""

    code = "units"
    label = gettext_lazy("Buildings and units")
    columns = UNIT_COLUMNS
    permission = "estates.add_unit"
    done_url_name = "estates:unit-list"
    created_field = "units"
    count_labels = {
        "buildings": gettext_lazy("Buildings added"),
        "entrances": gettext_lazy("Entrances added"),
    }

    def to_row(self, data: dict[str, Any], line: int, errors: RowErrors) -> UnitRow:
        kinds = self.words(UnitKind, KIND_WORDS)
        statuses = self.words(UnitStatus, STATUS_WORDS)
        kind = word_or_error(text_of(data, "kind"), kinds, KIND_NAMES, "kind", errors)
        status = word_or_error(text_of(data, "status"), statuses, STATUS_NAMES, "status", errors)
        floor = data.get("floor")
        return UnitRow(
            building=text_of(data, "building"),
            entrance=text_of(data, "entrance"),
            room_number=text_of(data, "room_number"),
            floor=int(floor) if floor not in (None, "") else None,
            building_area=decimal_of(data.get("building_area")),
            inner_area=decimal_of(data.get("inner_area")),
            kind=kind or UnitKind.FLAT,
            layout=text_of(data, "layout"),
            status=status or UnitStatus.UNSOLD,
            zone=text_of(data, "zone"),
            line=line,
        )

    def make_check(self, rows: list[Any]) -> UnitCheck:
        return UnitCheck(community=self.target, by=self.by, rows=rows)

    def normalised(self, data: dict[str, Any], checked: Any) -> dict[str, Any]:
        return {
            **data,
            "building": checked.building,
            "entrance": checked.entrance,
            "room_number": checked.room_number,
            "floor": checked.floor,
            "zone": checked.zone,
        }

    def write(self, rows: list[Any], *, by: User, community: Community) -> dict[str, int]:
        return import_units(community=community, rows=rows, by=by)

"""Every estates list as an .xlsx file, filtered as on its page, personal data masked.

Units and vehicles are written in their import's columns, so such an export imports back
(into another community, or after the rows were removed). Phones and ID numbers are masked
exactly as on the pages; the files never hold a full number.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db.models import Count, Model, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guanjia.core.imports.base import Column, ColumnType, Exporter
from guanjia.core.personal_data import mask_phone

from .. import filters
from ..models import (
    Building,
    Entrance,
    Occupancy,
    Ownership,
    ParkingSpace,
    Person,
    PersonalDataAccess,
    Unit,
    Vehicle,
    Zone,
)
from .common import ID_TYPE_NAMES, KIND_NAMES, STATUS_NAMES
from .units import UNIT_COLUMNS
from .vehicles import VEHICLE_COLUMNS


class ListExporter(Exporter):
    """An estates list of the current community, with the list page's FilterSet."""

    model: ClassVar[type[Model]]
    filterset_class: ClassVar[Any]
    related: ClassVar[tuple[str, ...]] = ()
    order: ClassVar[tuple[str, ...]] = ("pk",)

    def queryset(self) -> QuerySet[Any]:
        if self.community is None:
            raise ValidationError(_("Choose the community to export first."), code="no_community")
        manager: Any = self.model._default_manager
        base = manager.visible_to(self.by).in_community(self.community)  # as on the list page
        filterset = self.filterset_class(
            dict(self.params) or None, queryset=base, community=self.community
        )
        if filterset.is_bound and not filterset.is_valid():  # never export more than asked
            raise ValidationError(
                [
                    f"{filterset.form[name].label}: {' '.join(errors)}"
                    for name, errors in filterset.errors.items()
                ],
                code="bad_filter",
            )
        queryset = filterset.qs
        if not self.params.get("ordering"):
            queryset = queryset.order_by(*self.order)
        return self.decorate(queryset.select_related(*self.related))

    def decorate(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset

    def count(self) -> int:
        return self.queryset().count()

    def rows(self) -> Iterable[Mapping[str, Any]]:
        for obj in self.queryset().iterator(chunk_size=500):
            yield self.row(obj)

    def row(self, obj: Any) -> Mapping[str, Any]:
        raise NotImplementedError

    def file_name(self) -> str:
        prefix = f"{self.community.code}-" if self.community else ""
        return f"{prefix}{self.code}-{timezone.localdate():%Y%m%d}.xlsx"


def _room(unit: Unit | None) -> dict[str, Any]:
    if unit is None:
        return {"building": "", "entrance": "", "room_number": ""}
    return {
        "building": unit.building.number,
        "entrance": unit.entrance.number if unit.entrance else "",
        "room_number": unit.room_number,
    }


class UnitExporter(ListExporter):
    code = "units"
    label = gettext_lazy("Units")
    columns = UNIT_COLUMNS
    permission = "estates.view_unit"
    model = Unit
    filterset_class = filters.UnitFilter
    related = ("building__zone", "entrance")
    order = ("sort_key",)  # natural: 1-1-201 before 1-1-1001

    def row(self, obj: Unit) -> Mapping[str, Any]:
        return {
            **_room(obj),
            "floor": obj.floor,
            "building_area": obj.building_area,
            "inner_area": obj.inner_area,
            "kind": KIND_NAMES.get(obj.kind, obj.kind),
            "layout": obj.layout,
            "status": STATUS_NAMES.get(obj.status, obj.status),
            "zone": obj.building.zone.name,
        }


class BuildingExporter(ListExporter):
    code = "buildings"
    label = gettext_lazy("Buildings")
    columns = (
        Column("number", "楼栋", "Building"),
        Column("name", "名称", "Name", width=20),
        Column("zone", "片区", "Zone"),
        Column("floors_above", "地上层数", "Floors above", type=ColumnType.INTEGER),
        Column("floors_below", "地下层数", "Floors below", type=ColumnType.INTEGER),
        Column("has_lift", "电梯", "Lift", type=ColumnType.BOOLEAN),
        Column("year_built", "建成年份", "Year built", type=ColumnType.INTEGER),
        Column("units", "房屋数", "Units", type=ColumnType.INTEGER),
    )
    permission = "estates.view_building"
    model = Building
    filterset_class = filters.BuildingFilter
    related = ("zone",)
    order = ("sort_key",)  # natural: building 2 before 10

    def decorate(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        result: QuerySet[Any] = queryset.annotate(unit_count=Count("units"))
        return result

    def row(self, obj: Any) -> Mapping[str, Any]:
        return {
            "number": obj.number,
            "name": obj.name,
            "zone": obj.zone.name,
            "floors_above": obj.floors_above,
            "floors_below": obj.floors_below,
            "has_lift": obj.has_lift,
            "year_built": obj.year_built,
            "units": obj.unit_count,
        }


class ZoneExporter(ListExporter):
    code = "zones"
    label = gettext_lazy("Zones")
    columns = (
        Column("name", "片区", "Zone"),
        Column("area_manager", "管理员", "Area manager"),
        Column("acting_manager", "代理管理员", "Acting area manager"),
        Column("acting_from", "代理起", "Acting from", type=ColumnType.DATE),
        Column("acting_to", "代理止", "Acting until", type=ColumnType.DATE),
        Column("buildings", "楼栋数", "Buildings", type=ColumnType.INTEGER),
        Column("note", "备注", "Note", width=30),
    )
    permission = "estates.view_zone"
    model = Zone
    filterset_class = filters.ZoneFilter
    related = ("area_manager", "acting_manager")
    order = ("name",)

    def decorate(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        result: QuerySet[Any] = queryset.annotate(building_count=Count("buildings"))
        return result

    def row(self, obj: Any) -> Mapping[str, Any]:
        return {
            "name": obj.name,
            "area_manager": str(obj.area_manager) if obj.area_manager else "",
            "acting_manager": str(obj.acting_manager) if obj.acting_manager else "",
            "acting_from": obj.acting_from,
            "acting_to": obj.acting_to,
            "buildings": obj.building_count,
            "note": obj.note,
        }


class EntranceExporter(ListExporter):
    code = "entrances"
    label = gettext_lazy("Entrances")
    columns = (
        Column("building", "楼栋", "Building"),
        Column("number", "单元", "Entrance"),
        Column("units", "房屋数", "Units", type=ColumnType.INTEGER),
    )
    permission = "estates.view_entrance"
    model = Entrance
    filterset_class = filters.EntranceFilter
    related = ("building",)
    order = ("building__sort_key", "number")

    def decorate(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        result: QuerySet[Any] = queryset.annotate(unit_count=Count("units"))
        return result

    def row(self, obj: Any) -> Mapping[str, Any]:
        return {"building": obj.building.number, "number": obj.number, "units": obj.unit_count}


PERSON_COLUMNS = (
    Column("name", "姓名", "Name", width=16),
    Column("kind", "类别", "Kind"),
    Column("contact_person", "联系人", "Contact person"),
    Column("gender", "性别", "Gender"),
    Column("id_type", "证件类型", "ID type", width=14),
    Column("id_number", "证件号码", "ID number", width=22, personal=True),
    Column("mobile", "手机", "Mobile", width=14, personal=True),
    Column("other_phone", "其他电话", "Other phone", width=14, personal=True),
    Column("employer", "工作单位", "Work unit", width=20),
    Column("emergency_name", "紧急联系人", "Emergency contact"),
    Column("emergency_relation", "关系", "Relation"),
    Column("emergency_phone", "紧急联系电话", "Emergency phone", width=14, personal=True),
    Column("units", "房屋", "Units", width=24),
)


class PersonExporter(ListExporter):
    """People with their current units; phones and ID numbers masked."""

    code = "people"
    label = gettext_lazy("People")
    columns = PERSON_COLUMNS
    permission = "estates.view_person"
    model = Person
    filterset_class = filters.PersonFilter
    order = ("name_pinyin", "pk")

    def decorate(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        today = timezone.localdate()
        return queryset.defer("id_number_cipher").prefetch_related(
            Prefetch(
                "ownerships",
                queryset=Ownership.objects.current(today).select_related("unit"),
                to_attr="current_ownerships",
            ),
            Prefetch(
                "occupancies",
                queryset=Occupancy.objects.current(today).select_related("unit"),
                to_attr="current_occupancies",
            ),
        )

    def row(self, obj: Any) -> Mapping[str, Any]:
        homes = [o.unit.room_code for o in (*obj.current_ownerships, *obj.current_occupancies)]
        return {
            "name": obj.name,
            "kind": obj.get_kind_display(),
            "contact_person": obj.contact_person,
            "gender": obj.get_gender_display() if obj.gender else "",
            "id_type": ID_TYPE_NAMES.get(obj.id_type, ""),
            "id_number": obj.id_number_masked,
            "mobile": mask_phone(obj.mobile),
            "other_phone": mask_phone(obj.other_phone),
            "employer": obj.employer,
            "emergency_name": obj.emergency_name,
            "emergency_relation": obj.emergency_relation,
            "emergency_phone": mask_phone(obj.emergency_phone),
            "units": "、".join(dict.fromkeys(homes)),
        }


class VehicleExporter(ListExporter):
    code = "vehicles"
    label = gettext_lazy("Vehicles")
    columns = VEHICLE_COLUMNS
    permission = "estates.view_vehicle"
    model = Vehicle
    filterset_class = filters.VehicleFilter
    related = ("person", "unit__building", "unit__entrance")
    order = ("plate",)

    def row(self, obj: Vehicle) -> Mapping[str, Any]:
        return {
            **_room(obj.unit),
            "owner_name": obj.person.name if obj.person else "",
            "plate": obj.plate,
            "model": obj.model,
            "colour": obj.colour,
        }


class ParkingExporter(ListExporter):
    code = "parking"
    label = gettext_lazy("Parking spaces")
    columns = (
        Column("number", "车位号", "Space no."),
        Column("kind", "类型", "Type"),
        Column("tenure", "权属", "Tenure"),
        Column("unit", "房号", "Unit", width=14),
        Column("holder", "持有人", "Holder", width=16),
        Column("note", "备注", "Note", width=30),
    )
    permission = "estates.view_parkingspace"
    model = ParkingSpace
    filterset_class = filters.ParkingSpaceFilter
    related = ("unit", "person")
    order = ("number",)

    def row(self, obj: ParkingSpace) -> Mapping[str, Any]:
        return {
            "number": obj.number,
            "kind": obj.get_kind_display(),
            "tenure": obj.get_tenure_display(),
            "unit": obj.unit.room_code if obj.unit else "",
            "holder": obj.person.name if obj.person else "",
            "note": obj.note,
        }


class AccessLogExporter(ListExporter):
    """The personal data access log: who revealed which field of whom, why; never the value."""

    code = "access-log"
    label = gettext_lazy("Personal data access log")
    columns = (
        Column("at", "时间", "At", width=18),
        Column("accessed_by", "查看人", "Revealed by", width=14),
        Column("person", "人员", "Person", width=14),
        Column("field", "字段", "Field", width=14),
        Column("unit", "房号", "Unit", width=14),
        Column("reason", "原因", "Reason", width=40),
    )
    permission = "estates.view_personaldataaccess"
    model = PersonalDataAccess
    filterset_class = filters.AccessLogFilter
    related = ("person", "unit", "accessed_by")
    order = ("-at", "-pk")

    def row(self, obj: PersonalDataAccess) -> Mapping[str, Any]:
        return {
            "at": timezone.localtime(obj.at),
            "accessed_by": str(obj.accessed_by),
            "person": obj.person.name,
            "field": obj.get_field_display(),
            "unit": obj.unit.room_code if obj.unit else "",
            "reason": obj.reason,
        }


EXPORTERS = [
    UnitExporter,
    BuildingExporter,
    ZoneExporter,
    EntranceExporter,
    PersonExporter,
    VehicleExporter,
    ParkingExporter,
    AccessLogExporter,
]

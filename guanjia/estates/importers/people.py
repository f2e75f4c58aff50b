"""Owners and occupants from Excel: one row a person in a unit.

A person named on several rows (co-owner of two units, owner who also lives there) is one
person: the same ID number, or the same name and mobile, is the same person, also when that
person is registered already.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from guanjia.accounts.models import User
from guanjia.core.imports.base import Column, ColumnType
from guanjia.core.models import Community
from guanjia.core.personal_data import mask_id_number

from ..models import IdType, Relation
from ..services import (
    OccupantCheck,
    OccupantRow,
    OwnerCheck,
    OwnerRow,
    PersonFields,
    import_occupants,
    import_owners,
)
from ..services.bulk import RowErrors
from .common import (
    ID_TYPE_NAMES,
    ID_TYPE_WORDS,
    RELATION_NAMES,
    RELATION_WORDS,
    RoomImporter,
    date_of,
    decimal_of,
    infer_id_type,
    percent,
    room_columns,
    text_of,
    word_or_error,
)


def _phone(header: str = "联系电话") -> Column:
    return Column(
        "phone",
        header,
        "Phone",
        max_length=30,
        personal=True,
        example="13812345678",
        help_text=gettext_lazy("A mainland mobile, or a landline with its area code."),
    )


def _id_columns() -> tuple[Column, Column]:
    return (
        Column(
            "id_type",
            "证件类型",
            "ID type",
            max_length=30,
            example="居民身份证",
            help_text=gettext_lazy(
                "居民身份证, 护照, 港澳通行证, 台胞证, 外国人永久居留身份证, 营业执照 or 其他证件. "
                "Empty: read from the number (digits: a resident ID)."
            ),
        ),
        Column(
            "id_number",
            "证件号码",
            "ID number",
            max_length=40,
            personal=True,
            mask=mask_id_number,
            example="",
            help_text=gettext_lazy(
                "Checked (a resident ID by its check digit), then stored encrypted."
            ),
        ),
    )


OWNER_COLUMNS = (
    *room_columns(),
    Column("name", "业主姓名", "Owner", required=True, max_length=100, example="张三"),
    _phone(),
    *_id_columns(),
    Column(
        "share",
        "产权比例",
        "Share",
        type=ColumnType.DECIMAL,
        normalise=percent,
        example="100",
        help_text=gettext_lazy(
            "In percent; co-owners take one row each and their shares add up to 100. "
            "Empty for a sole owner."
        ),
    ),
    Column(
        "starts_on",
        "入伙日期",
        "Owner since",
        type=ColumnType.DATE,
        example="2024-05-01",
        help_text=gettext_lazy(
            "The day the ownership starts; empty: the community's delivery date, or today."
        ),
    ),
)

OCCUPANT_COLUMNS = (
    *room_columns(),
    Column("name", "姓名", "Name", required=True, max_length=100, example="李四"),
    Column(
        "relation",
        "与业主关系",
        "Relation",
        required=True,
        max_length=20,
        example="租户",
        help_text=gettext_lazy("本人, 家属 (配偶, 子女, 父母 …), 租户 or 保姆."),
    ),
    _phone(),
    *_id_columns(),
    Column("lease_starts_on", "租期起", "Lease starts", type=ColumnType.DATE, example="2025-03-01"),
    Column("lease_ends_on", "租期止", "Lease ends", type=ColumnType.DATE, example="2026-02-28"),
    Column(
        "consent_ref",
        "业主同意书编号",
        "Consent ref.",
        max_length=50,
        example="TY-2025-017",
        help_text=gettext_lazy("Required for a tenant, with both lease dates."),
    ),
)


class _PersonImporter(RoomImporter):
    def person(self, data: dict[str, Any], errors: RowErrors) -> PersonFields:
        names = self.words(IdType, ID_TYPE_WORDS)
        number = text_of(data, "id_number")
        given = word_or_error(text_of(data, "id_type"), names, ID_TYPE_NAMES, "id_type", errors)
        return PersonFields(
            name=text_of(data, "name"),
            phone=text_of(data, "phone"),
            id_type=given or infer_id_type(number),
            id_number=number,
        )


class OwnerImporter(_PersonImporter):
    """Owners of the units of one community; co-owners on several rows of one room."""

    code = "owners"
    label = gettext_lazy("Owners")
    columns = OWNER_COLUMNS
    permission = "estates.add_ownership"
    done_url_name = "estates:person-list"
    required_fields = ("building", "room_number", "name")
    created_field = "ownerships"
    count_labels = {
        "persons": gettext_lazy("People registered"),
        "units": gettext_lazy("Units with new owners"),
    }

    def to_row(self, data: dict[str, Any], line: int, errors: RowErrors) -> OwnerRow:
        return OwnerRow(
            building=text_of(data, "building"),
            entrance=text_of(data, "entrance"),
            room_number=text_of(data, "room_number"),
            person=self.person(data, errors),
            share=decimal_of(data.get("share")),
            starts_on=date_of(data.get("starts_on")),
            line=line,
        )

    def make_check(self, rows: list[Any]) -> OwnerCheck:
        return OwnerCheck(community=self.target, by=self.by, rows=rows)

    def write(self, rows: list[Any], *, by: User, community: Community) -> dict[str, int]:
        return import_owners(community=community, rows=rows, by=by)


class OccupantImporter(_PersonImporter):
    """Occupants of the units of one community: family, tenants, helpers."""

    code = "occupants"
    label = gettext_lazy("Occupants")
    columns = OCCUPANT_COLUMNS
    permission = "estates.add_occupancy"
    done_url_name = "estates:person-list"
    required_fields = ("building", "room_number", "name", "relation")
    created_field = "occupancies"
    count_labels = {"persons": gettext_lazy("People registered")}

    def to_row(self, data: dict[str, Any], line: int, errors: RowErrors) -> OccupantRow:
        relations = self.words(Relation, RELATION_WORDS)
        relation = word_or_error(
            text_of(data, "relation"), relations, RELATION_NAMES, "relation", errors
        )
        return OccupantRow(
            building=text_of(data, "building"),
            entrance=text_of(data, "entrance"),
            room_number=text_of(data, "room_number"),
            person=self.person(data, errors),
            relation=relation or Relation.FAMILY,
            lease_starts_on=date_of(data.get("lease_starts_on")),
            lease_ends_on=date_of(data.get("lease_ends_on")),
            consent_ref=text_of(data, "consent_ref"),
            line=line,
        )

    def make_check(self, rows: list[Any]) -> OccupantCheck:
        return OccupantCheck(community=self.target, by=self.by, rows=rows)

    def write(self, rows: list[Any], *, by: User, community: Community) -> dict[str, int]:
        return import_occupants(community=community, rows=rows, by=by)

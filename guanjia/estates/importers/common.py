"""What the estates importers share: room columns, the words of Chinese spreadsheets, and the
base class that hands rows to the bulk services."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db.models import TextChoices
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guanjia.accounts.models import User
from guanjia.core.imports.base import Column, CommitReport, Importer, ImportRow, ImportRowError
from guanjia.core.models import Community

from ..models import IdType, Relation, UnitKind, UnitStatus
from ..services import BulkRowError
from ..services.bulk import RowErrors

# --- The words people write in these columns -----------------------------------------------

KIND_WORDS: dict[str, str] = {
    "住宅": UnitKind.FLAT, "普通住宅": UnitKind.FLAT, "住房": UnitKind.FLAT,
    "洋房": UnitKind.FLAT, "公寓": UnitKind.FLAT, "别墅": UnitKind.VILLA,
    "商铺": UnitKind.SHOP, "商业": UnitKind.SHOP, "底商": UnitKind.SHOP, "门面": UnitKind.SHOP,
    "写字楼": UnitKind.OFFICE, "办公": UnitKind.OFFICE, "车位": UnitKind.PARKING,
    "停车位": UnitKind.PARKING, "储藏室": UnitKind.STORAGE, "储物间": UnitKind.STORAGE,
    "杂物间": UnitKind.STORAGE,
}  # fmt: skip
STATUS_WORDS: dict[str, str] = {
    "未售": UnitStatus.UNSOLD, "已售": UnitStatus.SOLD_NOT_NOTIFIED,
    "已售未通知": UnitStatus.SOLD_NOT_NOTIFIED, "已通知": UnitStatus.NOTIFIED,
    "已发入住通知": UnitStatus.NOTIFIED, "已交房": UnitStatus.DELIVERED,
    "已交付": UnitStatus.DELIVERED, "视同交房": UnitStatus.DEEMED_DELIVERED,
    "拒收": UnitStatus.REFUSED, "拒收房": UnitStatus.REFUSED, "空置": UnitStatus.VACANT,
    "装修": UnitStatus.RENOVATING, "装修中": UnitStatus.RENOVATING,
    "入住": UnitStatus.OCCUPIED, "已入住": UnitStatus.OCCUPIED, "自住": UnitStatus.OCCUPIED,
    "出租": UnitStatus.RENTED, "已出租": UnitStatus.RENTED,
}  # fmt: skip
RELATION_WORDS: dict[str, str] = {
    "本人": Relation.OWNER, "业主": Relation.OWNER, "业主本人": Relation.OWNER,
    "家属": Relation.FAMILY, "家人": Relation.FAMILY, "亲属": Relation.FAMILY,
    "配偶": Relation.FAMILY, "夫妻": Relation.FAMILY, "妻子": Relation.FAMILY,
    "丈夫": Relation.FAMILY, "子女": Relation.FAMILY, "儿子": Relation.FAMILY,
    "女儿": Relation.FAMILY, "父母": Relation.FAMILY, "父亲": Relation.FAMILY,
    "母亲": Relation.FAMILY, "租户": Relation.TENANT, "租客": Relation.TENANT,
    "承租人": Relation.TENANT, "保姆": Relation.HELPER, "家政": Relation.HELPER,
    "家政人员": Relation.HELPER, "护工": Relation.HELPER,
}  # fmt: skip
ID_TYPE_WORDS: dict[str, str] = {
    "身份证": IdType.RESIDENT_ID, "居民身份证": IdType.RESIDENT_ID,
    "护照": IdType.PASSPORT, "港澳通行证": IdType.HK_MACAO_PERMIT, "回乡证": IdType.HK_MACAO_PERMIT,
    "港澳居民来往内地通行证": IdType.HK_MACAO_PERMIT, "台胞证": IdType.TAIWAN_PERMIT,
    "台湾居民来往大陆通行证": IdType.TAIWAN_PERMIT, "永居证": IdType.FOREIGN_RESIDENCE,
    "外国人永久居留证": IdType.FOREIGN_RESIDENCE,
    "外国人永久居留身份证": IdType.FOREIGN_RESIDENCE, "营业执照": IdType.CREDIT_CODE,
    "统一社会信用代码": IdType.CREDIT_CODE, "其他": IdType.OTHER, "其他证件": IdType.OTHER,
}  # fmt: skip

# The word an export writes for each code, whatever the user's language: re-importable.
KIND_NAMES: dict[str, str] = {
    UnitKind.FLAT: "住宅", UnitKind.VILLA: "别墅", UnitKind.SHOP: "商铺",
    UnitKind.OFFICE: "写字楼", UnitKind.PARKING: "车位", UnitKind.STORAGE: "储藏室",
}  # fmt: skip
STATUS_NAMES: dict[str, str] = {
    UnitStatus.UNSOLD: "未售", UnitStatus.SOLD_NOT_NOTIFIED: "已售未通知",
    UnitStatus.NOTIFIED: "已发入住通知", UnitStatus.DELIVERED: "已交房",
    UnitStatus.DEEMED_DELIVERED: "视同交房", UnitStatus.REFUSED: "拒收房",
    UnitStatus.VACANT: "空置", UnitStatus.RENOVATING: "装修中", UnitStatus.OCCUPIED: "已入住",
    UnitStatus.RENTED: "出租",
}  # fmt: skip
RELATION_NAMES: dict[str, str] = {
    Relation.OWNER: "本人", Relation.FAMILY: "家属", Relation.TENANT: "租户",
    Relation.HELPER: "保姆",
}  # fmt: skip
ID_TYPE_NAMES: dict[str, str] = {
    IdType.RESIDENT_ID: "居民身份证", IdType.PASSPORT: "护照",
    IdType.HK_MACAO_PERMIT: "港澳通行证", IdType.TAIWAN_PERMIT: "台胞证",
    IdType.FOREIGN_RESIDENCE: "外国人永久居留身份证", IdType.CREDIT_CODE: "营业执照",
    IdType.OTHER: "其他证件",
}  # fmt: skip


def lookup(choices: type[TextChoices], words: dict[str, str]) -> dict[str, str]:
    """Every accepted spelling (code, Chinese word, label in each language) -> code."""
    names = {word.casefold(): code for word, code in words.items()}
    for choice in choices:
        if not choice.value:
            continue
        names[choice.value.casefold()] = choice.value
        for language in ("en", "zh-hans", translation.get_language() or "zh-hans"):
            with translation.override(language):
                names.setdefault(str(choice.label).casefold(), choice.value)
    return names


def word_or_error(
    value: str, names: dict[str, str], shown: dict[Any, str], field: str, errors: RowErrors
) -> str:
    """The code `value` names ("" for an empty cell); an error listing the words otherwise."""
    if not value:
        return ""
    code = names.get(value.casefold())
    if code is None:
        message = _("Unknown value “%(value)s”. Use one of: %(words)s.")
        errors.add(field, message % {"value": value, "words": "、".join(shown.values())}, "unknown")
        return ""
    return code


_RESIDENT_ID = re.compile(r"^\d+X?$")  # any digits: a wrong length is a wrong resident ID
_CREDIT_CODE = re.compile(r"^[0-9A-Z]{18}$")


def infer_id_type(number: str) -> str:
    """A number without its type: digits only (with a final X) read as a resident ID, whatever
    their count (so that 14 digits are refused as a resident ID rather than stored as another
    document), 18 letters and digits as a credit code, anything else as another document."""
    number = re.sub(r"\s", "", number).upper()
    if not number:
        return ""
    if _RESIDENT_ID.match(number):
        return IdType.RESIDENT_ID
    return IdType.CREDIT_CODE if _CREDIT_CODE.match(number) else IdType.OTHER


# --- Cell values ------------------------------------------------------------------------------


def _without(suffixes: Sequence[str]) -> Callable[[str], str]:
    """A normaliser dropping a unit word people add to numbers: 3栋 -> 3, 1201室 -> 1201."""

    def normalise(text: str) -> str:
        text = re.sub(r"\s", "", text)
        for suffix in suffixes:
            if len(text) > len(suffix) and text.endswith(suffix):
                return text[: -len(suffix)]
        return text

    return normalise


def percent(text: str) -> str:
    return text.rstrip("%％").strip()


def decimal_of(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def date_of(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def text_of(row: dict[str, Any], name: str) -> str:
    value = row.get(name)
    return "" if value is None else str(value)


def room_columns() -> tuple[Column, ...]:
    return (
        Column(
            "building",
            "楼栋",
            "Building",
            required=True,
            max_length=10,
            normalise=_without(("号楼", "栋", "幢", "座", "#")),
            example="3",
            help_text=gettext_lazy(
                "The building number as in room codes: 3, A2 (3栋 is read as 3)."
            ),
        ),
        Column(
            "entrance",
            "单元",
            "Entrance",
            max_length=10,
            normalise=_without(("单元",)),
            example="2",
            help_text=gettext_lazy("Leave empty for buildings without entrances."),
        ),
        Column(
            "room_number",
            "房号",
            "Room",
            required=True,
            max_length=10,
            normalise=_without(("室", "房", "号")),
            example="1201",
        ),
    )


# --- The base importer ------------------------------------------------------------------------


class RoomImporter(Importer):
    """An import whose rows name a room; checks and writes go through an estates bulk service.

    Subclasses give `to_row(data, line, errors)` (the cells as the service's row dataclass),
    `make_check(rows)` (the service's check) and `write(rows, by, community)` (the service).
    """

    required_fields: ClassVar[tuple[str, ...]] = ("building", "room_number")
    count_fields: ClassVar[tuple[str, ...]] = ()
    created_field: ClassVar[str] = ""

    def words(self, choices: type[TextChoices], words: dict[str, str]) -> dict[str, str]:
        """`lookup(choices, words)`, built once per import (it reads the catalogue)."""
        cache: dict[type[TextChoices], dict[str, str]] = self.__dict__.setdefault("_words", {})
        if choices not in cache:
            cache[choices] = lookup(choices, words)
        return cache[choices]

    @property
    def target(self) -> Community:
        """The community imported into (estates kinds are never company-wide)."""
        if self.community is None:
            raise ValidationError(_("Choose the community to import into first."))
        return self.community

    def to_row(self, data: dict[str, Any], line: int, errors: RowErrors) -> Any:
        raise NotImplementedError

    def make_check(self, rows: list[Any]) -> Any:
        raise NotImplementedError

    def write(self, rows: list[Any], *, by: User, community: Community) -> dict[str, int]:
        raise NotImplementedError

    def normalised(self, data: dict[str, Any], checked: Any) -> dict[str, Any]:
        """The row stored for the preview and the commit (JSON values)."""
        return data

    def prepare(self, rows: Sequence[ImportRow]) -> None:
        self.check = self.make_check([self.to_row(r.data, r.line, RowErrors()) for r in rows])
        # validate_row is called once per row, in file order: this gives each its line.
        self.lines = iter([r.line for r in rows])

    def validate_row(self, row: dict[str, Any]) -> dict[str, Any]:
        line = next(self.lines, 0)
        if any(not row.get(name) for name in self.required_fields):
            return row  # the framework has reported the empty required cell
        errors = RowErrors()
        item = self.to_row(row, line, errors)
        checked = None
        try:
            checked = self.check.check(item)
        except ValidationError as exc:
            for name, messages in exc.error_dict.items():
                errors.extend(name, ValidationError(messages))
        errors.raise_any()
        return self.normalised(row, checked)

    def commit(
        self, rows: Sequence[ImportRow], *, by: User, community: Community | None
    ) -> CommitReport:
        community = community or self.target
        items = [self.to_row(r.data, r.line, RowErrors()) for r in rows]
        try:
            counts = self.write(items, by=by, community=community)
        except BulkRowError as exc:
            raise ImportRowError(rows[exc.index].line, exc.error) from exc
        created = counts.pop(self.created_field, 0)
        return CommitReport(created=created, counts=counts)

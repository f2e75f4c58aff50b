"""What an importer or an exporter declares: its columns, how a row is checked and written.

An app describes one kind of spreadsheet as a subclass of `Importer` (and/or `Exporter`) in
its `importers.py` and lists it on its AppConfig (`importers = ["app.importers.X"]`,
`exporters = [...]`). The framework (services.py) does the rest: caps, parsing, header
matching, per-cell checks, the preview, the all-or-nothing commit and the .xlsx files.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import TYPE_CHECKING, Any, ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from guanjia.core.personal_data import mask_phone
from guanjia.core.text import drop_invisible, to_half_width

if TYPE_CHECKING:
    from guanjia.core.access import User
    from guanjia.core.models import Community

Label = str | Promise


class ColumnType(StrEnum):
    """How a cell is read. Values are stored in the batch as JSON (dates and decimals as text)."""

    TEXT = "text"
    INTEGER = "integer"
    DECIMAL = "decimal"
    DATE = "date"
    BOOLEAN = "boolean"
    MOBILE = "mobile"
    EMAIL = "email"


_TRUE = {"1", "y", "yes", "true", "是", "√", "✓", "对"}
_FALSE = {"0", "n", "no", "false", "否", "×", "✗", "不"}
_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
)
_MOBILE = re.compile(r"^1[3-9]\d{9}$")


def normalise_text(value: str) -> str:
    """Full-width digits, letters and spaces to half-width; invisible characters dropped;
    stray spaces (including U+3000 and non-breaking ones) stripped from both ends."""
    text = drop_invisible(to_half_width(value, keep_chinese_punctuation=True))
    text = text.replace("\u00a0", " ")
    return text.strip()


@dataclass(frozen=True)
class FormulaCell:
    """A cell that holds a formula: imports take values, never formulas (a formula's cached
    result may be stale or missing, and a file written by a script has none)."""

    formula: str

    def __str__(self) -> str:
        return self.formula


def cell_text(value: Any) -> str:
    """A cell as text: numbers without a spurious ".0", dates in ISO form, text normalised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return normalise_text(str(value))


def _parse_date(raw: Any, text: str) -> str:
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat()
    if isinstance(raw, dt.date):
        return raw.isoformat()
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                return dt.date(*(int(part) for part in match.groups())).isoformat()
            except ValueError:
                break
    raise ValidationError(_("Enter a date such as 2026-03-01."), code="invalid_date")


def _parse_number(text: str, kind: ColumnType) -> int | str:
    try:
        number = Decimal(text.replace(",", ""))
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite():
        raise ValidationError(_("Enter a number."), code="invalid_number")
    if kind == ColumnType.DECIMAL:
        return str(number)
    if number != number.to_integral_value():
        raise ValidationError(_("Enter a whole number."), code="invalid_integer")
    return int(number)


def _parse_boolean(text: str) -> bool:
    if text.lower() in _TRUE:
        return True
    if text.lower() in _FALSE:
        return False
    raise ValidationError(_("Enter 是 or 否 (yes or no)."), code="invalid_boolean")


def normalise_mobile(text: str) -> str:
    """Drop spaces, dashes and a +86 prefix from a mobile number."""
    digits = re.sub(r"[\s\-()]", "", text)
    return re.sub(r"^(\+?86)(?=1\d{10}$)", "", digits)


def _parse_mobile(text: str) -> str:
    number = normalise_mobile(text)
    if not _MOBILE.match(number):
        raise ValidationError(
            _("Enter a mainland China mobile number: 11 digits starting with 13 to 19."),
            code="invalid_mobile",
        )
    return number


def _parse_email(text: str) -> str:
    validate_email(text)
    return text


@dataclass(frozen=True)
class Column:
    """One column of a spreadsheet: headers in both languages, type, limits, example."""

    field: str
    header_zh: str
    header_en: str
    type: ColumnType = ColumnType.TEXT
    required: bool = False
    max_length: int | None = None
    normalise: Callable[[str], str] | None = None
    example: str = ""
    width: int | None = None  # export width in characters; derived from the header if None
    help_text: Label = ""
    personal: bool = False  # personal data: masked on the preview page and in errors
    mask: Callable[[str], str] | None = None  # how (default: as a phone number)

    def masked(self, text: str) -> str:
        """The cell as anyone but the data's owner may see it."""
        if not self.personal or not text:
            return text
        return (self.mask or mask_phone)(text)

    @property
    def headers(self) -> tuple[str, str]:
        return self.header_zh, self.header_en

    def matches(self, header: str) -> bool:
        """Whether a header cell names this column (Chinese, or English in any case)."""
        text = header.strip().rstrip("*").strip()
        return text == self.header_zh or text.casefold() == self.header_en.casefold()

    def clean(self, raw: Any) -> Any:
        """The cell as a JSON value of this column's type; ValidationError when it is wrong."""
        if isinstance(raw, FormulaCell):
            raise ValidationError(
                _("Contains a formula (%(formula)s): enter the value itself.")
                % {"formula": raw.formula[:40]},
                code="formula",
            )
        text = cell_text(raw)
        if self.normalise is not None:
            text = self.normalise(text)
        if not text:
            if self.required:
                raise ValidationError(_("This column is required."), code="required")
            return None if self.type != ColumnType.TEXT else ""
        if self.max_length is not None and len(text) > self.max_length:
            raise ValidationError(
                _("At most %(limit)d characters (this cell has %(count)d).")
                % {"limit": self.max_length, "count": len(text)},
                code="max_length",
            )
        return self._parse(raw, text)

    def _parse(self, raw: Any, text: str) -> Any:
        kind = self.type
        if kind in (ColumnType.INTEGER, ColumnType.DECIMAL):
            return _parse_number(text, kind)
        if kind == ColumnType.DATE:
            return _parse_date(raw, text)
        if kind == ColumnType.BOOLEAN:
            return raw if isinstance(raw, bool) else _parse_boolean(text)
        if kind == ColumnType.MOBILE:
            return _parse_mobile(text)
        if kind == ColumnType.EMAIL:
            return _parse_email(text)
        return text

    def from_json(self, value: Any) -> Any:
        """The stored JSON value back as a Python value (dates and decimals)."""
        if value in (None, ""):
            return value
        if self.type == ColumnType.DATE:
            return dt.date.fromisoformat(value)
        if self.type == ColumnType.DECIMAL:
            return Decimal(value)
        return value


@dataclass
class ImportRow:
    """One data row of a file: its spreadsheet line number (the header is line 1) and values."""

    line: int
    data: dict[str, Any]


@dataclass(frozen=True)
class CommitReport:
    """What a commit did; `counts` holds importer-specific numbers (e.g. memberships added)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    counts: dict[str, int] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "counts": dict(self.counts),
        }


class ImportRowError(Exception):
    """Raised from `Importer.commit` to refuse the whole batch because of one row."""

    def __init__(self, line: int, error: ValidationError) -> None:
        super().__init__(line, error)
        self.line = line
        self.error = error


class Importer:
    """One kind of import. Subclasses declare the class attributes and the two methods.

    The caps are technical limits (not business numbers of the spec), so they are class
    attributes a subclass may lower or raise: `max_bytes` (file size), `max_rows` (data rows,
    read from the sheet's dimension before parsing) and `max_unpacked_bytes` (the xlsx zip's
    uncompressed size, against zip bombs).
    """

    do_not_call_in_templates: ClassVar[bool] = True  # templates get the class itself
    code: ClassVar[str]
    label: ClassVar[Label]
    columns: ClassVar[tuple[Column, ...]]
    permission: ClassVar[str]
    company_wide: ClassVar[bool] = False  # True: the batch belongs to no community
    done_url_name: ClassVar[str] = "core:home"  # where the report page leads back to
    count_labels: ClassVar[dict[str, Label]] = {}  # names of CommitReport.counts keys
    max_bytes: ClassVar[int] = 10 * 1024 * 1024
    max_rows: ClassVar[int] = 20_000
    max_unpacked_bytes: ClassVar[int] = 200 * 1024 * 1024

    def __init__(self, *, by: User, community: Community | None) -> None:
        self.by = by
        self.community = community

    def prepare(self, rows: Sequence[ImportRow]) -> None:
        """Load what validate_row needs for every row at once (one query, not one per row)."""

    def validate_row(self, row: dict[str, Any]) -> dict[str, Any]:
        """Check a row whose cells already passed their column checks; return it cleaned.

        Raise ValidationError({field: message}) for cell errors (or a plain message for the
        whole row). Called in file order, so an importer may remember earlier rows.
        """
        return row

    def commit(
        self, rows: Sequence[ImportRow], *, by: User, community: Community | None
    ) -> CommitReport:
        """Write every row through the app's services. Runs inside one transaction: raise
        ImportRowError (or ValidationError) to roll everything back."""
        raise NotImplementedError


class Exporter:
    """One kind of export: the columns (Chinese headers) and the rows for a user's filters."""

    code: ClassVar[str]
    label: ClassVar[Label]
    columns: ClassVar[tuple[Column, ...]]
    permission: ClassVar[str]

    def __init__(self, *, by: User, community: Community | None, params: Mapping[str, Any]):
        self.by = by
        self.community = community
        self.params = params

    def count(self) -> int:
        raise NotImplementedError

    def rows(self) -> Iterable[Mapping[str, Any]]:
        raise NotImplementedError

    def file_name(self) -> str:
        return f"{self.code}-{timezone.localdate():%Y%m%d}.xlsx"

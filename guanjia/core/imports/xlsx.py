"""Reading uploaded .xlsx files safely and writing .xlsx exports.

Reading checks the cheap things first (extension, size, zip contents and their uncompressed
size, the sheet's declared dimension) and only then parses, in openpyxl's streaming read-only
mode, with defusedxml (openpyxl uses it when it is installed: entity declarations are refused
at once, so a "billion laughs" file never expands). Formula cells are kept as `FormulaCell`
so the row reports "contains a formula" rather than reading a cached (or missing) result.
Writing uses xlsxwriter's constant-memory mode and escapes text that a spreadsheet would run as
a formula.
"""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePath
from typing import Any
from xml.etree.ElementTree import ParseError

import openpyxl
import xlsxwriter
from defusedxml import DefusedXmlException
from django.core.exceptions import ValidationError
from django.core.files import File
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .base import Column, FormulaCell, Importer, ImportRow, cell_text

if not openpyxl.DEFUSEDXML:  # pragma: no cover - defusedxml is a pinned requirement
    raise ImportError("defusedxml must be installed: openpyxl would parse uploads unsafely")

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
HEADER_SCAN_LIMIT = 200  # columns read from the header row; a real sheet has far fewer


@dataclass
class Sheet:
    """The data rows of an uploaded sheet, cells keyed by field, in file order."""

    rows: list[ImportRow]


def read_sheet(upload: File, *, importer: type[Importer]) -> Sheet:
    """Check and read the first sheet of an uploaded workbook; ValidationError when the file
    cannot be used (nothing is parsed before the size and row caps are checked)."""
    _check_file(upload, name=PurePath(upload.name or "").name, size=upload.size, importer=importer)
    try:
        workbook = openpyxl.load_workbook(upload, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds (zip, XML, KeyError) on a bad file
        raise _not_xlsx() from exc
    try:
        return _read_first_sheet(workbook, importer)
    except (DefusedXmlException, ParseError, zipfile.BadZipFile, KeyError) as exc:
        raise _not_xlsx() from exc  # a sheet's XML is read lazily, row by row
    finally:
        workbook.close()


def _not_xlsx() -> ValidationError:
    return ValidationError(
        _(
            "The file is not an Excel workbook (.xlsx). "
            "Open it in Excel or WPS and save it as .xlsx."
        ),
        code="not_xlsx",
    )


def _check_file(upload: File, *, name: str, size: int, importer: type[Importer]) -> None:
    if not name.lower().endswith(".xlsx"):
        raise _not_xlsx()
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty_file")
    if size > importer.max_bytes:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s. Split it into smaller files.")
            % {"size": filesizeformat(size), "limit": filesizeformat(importer.max_bytes)},
            code="too_large",
        )
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _not_xlsx() from exc
    finally:
        upload.seek(0)
    if "xl/workbook.xml" not in names:
        raise _not_xlsx()
    if unpacked > importer.max_unpacked_bytes:
        raise ValidationError(
            _("The workbook unpacks to %(size)s; the limit is %(limit)s.")
            % {
                "size": filesizeformat(unpacked),
                "limit": filesizeformat(importer.max_unpacked_bytes),
            },
            code="too_large",
        )


def _too_many_rows(count: int, limit: int) -> ValidationError:
    return ValidationError(
        _(
            "The sheet has %(count)d rows; the limit is %(limit)d. Split it into smaller files, "
            "or delete empty formatted rows below the data."
        )
        % {"count": count, "limit": limit},
        code="too_many_rows",
    )


def _read_first_sheet(workbook: Any, importer: type[Importer]) -> Sheet:
    if not workbook.worksheets:
        raise _empty_sheet()
    sheet = workbook.worksheets[0]
    declared = sheet.max_row  # from the sheet's <dimension>, before reading any row
    if isinstance(declared, int) and declared - 1 > importer.max_rows:
        raise _too_many_rows(declared - 1, importer.max_rows)
    # Read every row actually present: a declared dimension may also understate them (openpyxl
    # would stop there and silently drop the rest); the cap is checked again while reading.
    sheet.reset_dimensions()
    header = next(
        sheet.iter_rows(min_row=1, max_row=1, max_col=HEADER_SCAN_LIMIT, values_only=True), ()
    )
    columns = match_headers([cell_text(value) for value in header], importer.columns)
    rows: list[ImportRow] = []
    width = len(columns)
    for line, row in enumerate(sheet.iter_rows(min_row=2, max_col=width), start=2):
        values = [_cell_value(cell) for cell in row]
        cells = {
            column.field: value
            for column, value in zip(columns, values, strict=False)
            if column is not None and cell_text(value) != ""
        }
        if not cells:
            continue  # blank rows between or after the data are common in hand-made sheets
        if len(rows) >= importer.max_rows:
            raise _too_many_rows(len(rows) + 1, importer.max_rows)
        rows.append(ImportRow(line=line, data=cells))
    if not rows:
        raise ValidationError(_("The sheet has column headers but no data rows."), code="no_rows")
    return Sheet(rows=rows)


def _cell_value(cell: Any) -> Any:
    if getattr(cell, "data_type", None) == "f":
        return FormulaCell(str(cell.value))
    return cell.value


def _empty_sheet() -> ValidationError:
    return ValidationError(
        _("The first sheet is empty: its first row must hold the column headers."),
        code="empty_sheet",
    )


def match_headers(header: list[str], columns: Sequence[Column]) -> list[Column | None]:
    """The declared column for each header cell (None for a blank one); ValidationError
    naming every unknown, repeated or missing column."""
    while header and not header[-1]:
        header.pop()
    if not header:
        raise _empty_sheet()
    matched: list[Column | None] = []
    unknown: list[str] = []
    repeated: list[str] = []
    for text in header:
        column = next((c for c in columns if c.matches(text)), None) if text else None
        if text and column is None:
            unknown.append(text)
        elif column is not None and column in matched:
            repeated.append(text)
        matched.append(column)
    missing = [c.header_zh for c in columns if c.required and c not in matched]
    problems = _header_problems(unknown, repeated, missing, columns)
    if problems:
        raise ValidationError(problems)
    return matched


def _header_problems(
    unknown: list[str], repeated: list[str], missing: list[str], columns: Sequence[Column]
) -> list[ValidationError]:
    problems: list[ValidationError] = []
    if unknown:
        expected = "、".join(f"{c.header_zh} ({c.header_en})" for c in columns)
        problems.append(
            ValidationError(
                _("Unknown columns: %(names)s. The columns are: %(expected)s.")
                % {"names": "、".join(unknown), "expected": expected},
                code="unknown_columns",
            )
        )
    if repeated:
        problems.append(
            ValidationError(
                _("Columns given twice: %(names)s.") % {"names": "、".join(repeated)},
                code="repeated_columns",
            )
        )
    if missing:
        problems.append(
            ValidationError(
                _("Required columns missing: %(names)s.") % {"names": "、".join(missing)},
                code="missing_columns",
            )
        )
    return problems


# --- Writing -------------------------------------------------------------------------------


def escape_formula(value: str) -> str:
    """Text that a spreadsheet would read as a formula gets a leading apostrophe."""
    return f"'{value}" if value.startswith(FORMULA_TRIGGERS) else value


def display_width(text: str) -> int:
    """Width in Excel character units: Chinese (wide) characters count twice."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _column_width(column: Column) -> float:
    if column.width is not None:
        return column.width
    longest = min(column.max_length or 12, 40)
    return max(display_width(column.header_zh) + 4, longest + 2, 8)


def export_xlsx(
    rows: Iterable[Mapping[str, Any]],
    columns: Sequence[Column],
    *,
    title: str,
    progress: Callable[[int], None] | None = None,
) -> bytes:
    """An .xlsx of `rows` (mappings keyed by column field) with a bold Chinese header row.

    Written in constant-memory mode (rows go to a temporary file as they come), so memory
    does not grow with the number of rows. `progress(n)` is called every 500 rows.
    """
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        output,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "default_date_format": "yyyy-mm-dd",
        },
    )
    workbook.set_properties({"title": title})
    sheet = workbook.add_worksheet(_sheet_name(title))
    bold = workbook.add_format({"bold": True, "bg_color": "#E9ECEF", "border": 1})
    for index, column in enumerate(columns):
        sheet.set_column(index, index, _column_width(column))
        sheet.write_string(0, index, column.header_zh, bold)
    sheet.freeze_panes(1, 0)
    count = 0
    for count, row in enumerate(rows, start=1):
        for index, column in enumerate(columns):
            _write_cell(sheet, count, index, row.get(column.field))
        if progress is not None and count % 500 == 0:
            progress(count)
    sheet.autofilter(0, 0, max(count, 1), max(len(columns) - 1, 0))
    workbook.close()
    return output.getvalue()


def _sheet_name(title: str) -> str:
    cleaned = "".join(" " if char in "[]:*?/\\" else char for char in title).strip()
    return (cleaned or "Sheet1")[:31]


def _write_cell(sheet: Any, row: int, col: int, value: Any) -> None:
    if value is None or value == "":
        return
    if isinstance(value, bool):
        sheet.write_boolean(row, col, value)
    elif isinstance(value, int | float | Decimal):
        sheet.write_number(row, col, float(value))
    elif isinstance(value, dt.datetime):
        sheet.write_string(row, col, value.isoformat(sep=" ", timespec="minutes"))
    elif isinstance(value, dt.date):
        # A calendar day: Excel has no time zones, and xlsxwriter refuses aware datetimes.
        sheet.write_datetime(row, col, dt.datetime.combine(value, dt.time()))
    else:
        sheet.write_string(row, col, escape_formula(str(value)))


def template_xlsx(importer: type[Importer]) -> bytes:
    """The empty form of an import: the headers, one example row, and a notes sheet."""
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, {"strings_to_formulas": False})
    sheet = workbook.add_worksheet(_sheet_name(str(importer.label)))
    bold = workbook.add_format({"bold": True, "bg_color": "#E9ECEF", "border": 1})
    required = workbook.add_format({"bold": True, "bg_color": "#FFE5E5", "border": 1})
    for index, column in enumerate(importer.columns):
        sheet.set_column(index, index, _column_width(column))
        sheet.write_string(0, index, column.header_zh, required if column.required else bold)
        if column.example:
            sheet.write_string(1, index, escape_formula(column.example))
    sheet.freeze_panes(1, 0)
    notes = workbook.add_worksheet(_("Notes")[:31])
    notes.set_column(0, 1, 16)
    notes.set_column(2, 4, 14)
    notes.set_column(5, 5, 60)
    heads = [_("Column"), _("English header"), _("Required"), _("Type"), _("Max length")]
    for index, text in enumerate([*heads, _("Notes")]):
        notes.write_string(0, index, text, bold)
    for line, column in enumerate(importer.columns, start=1):
        notes.write_string(line, 0, column.header_zh)
        notes.write_string(line, 1, column.header_en)
        notes.write_string(line, 2, _("yes") if column.required else _("no"))
        notes.write_string(line, 3, column.type.value)
        if column.max_length:
            notes.write_number(line, 4, column.max_length)
        notes.write_string(line, 5, str(column.help_text))
    last = len(importer.columns) + 2
    notes.write_string(last, 0, _("Delete the example row before importing."), bold)
    workbook.close()
    return output.getvalue()

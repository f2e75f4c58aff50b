"""Reads of import batches: recent ones, the preview, the error report."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from .base import Column, Importer
from .models import ImportBatch
from .xlsx import export_xlsx

if TYPE_CHECKING:
    from guanjia.core.access import User

PREVIEW_ROWS = 50
ERROR_COLUMNS = (
    Column("line", "行号", "Line", width=8),
    Column("column", "列", "Column", width=14),
    Column("value", "单元格内容", "Value", width=30),
    Column("message", "错误", "Error", width=70),
)


def recent_batches(*, user: User, kind: str, limit: int = 10) -> QuerySet[ImportBatch]:
    return (
        ImportBatch.objects.visible_to(user)
        .filter(kind=kind)
        .select_related("uploaded_by", "community")
        .defer("rows", "errors")[:limit]
    )


@dataclass(frozen=True)
class PreviewRow:
    line: int
    ok: bool
    cells: list[Any]


def preview_rows(batch: ImportBatch, importer: type[Importer]) -> list[PreviewRow]:
    """The first rows of the batch, cells in column order, ready for a table."""
    return [
        PreviewRow(
            line=item["line"],
            ok=item.get("ok", True),
            cells=[_show(column, item["data"].get(column.field)) for column in importer.columns],
        )
        for item in batch.rows[:PREVIEW_ROWS]
    ]


def _show(column: Column, value: Any) -> Any:
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if value is None:
        return ""
    return column.masked(str(value)) if column.personal else value


def visible_errors(batch: ImportBatch, importer: type[Importer]) -> list[dict[str, Any]]:
    """The batch's errors as anyone may see them: the cells of personal columns (phones, ID
    numbers) masked. They are stored masked; a batch checked before that rule is masked
    here."""
    columns = {column.field: column for column in importer.columns}
    shown = []
    for error in batch.errors:
        column = columns.get(error.get("field", ""))
        value = str(error.get("value") or "")
        shown.append({**error, "value": column.masked(value) if column else value})
    return shown


def error_report(batch: ImportBatch, importer: type[Importer]) -> bytes:
    """Every error of the batch as an .xlsx: line, column, the cell's content (masked where
    personal), the message."""
    return export_xlsx(visible_errors(batch, importer), ERROR_COLUMNS, title=f"{batch.kind}-errors")

"""Reads of import batches: recent ones, the preview, the error report."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from guanjia.core.personal_data import mask_phone

from .base import Column, Importer
from .models import ImportBatch
from .xlsx import export_xlsx

PREVIEW_ROWS = 50
ERROR_COLUMNS = (
    Column("line", "行号", "Line", width=8),
    Column("column", "列", "Column", width=14),
    Column("value", "单元格内容", "Value", width=30),
    Column("message", "错误", "Error", width=70),
)


def recent_batches(*, user: Any, kind: str, limit: int = 10) -> QuerySet[ImportBatch]:
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
    return mask_phone(str(value)) if column.personal else value


def error_report(batch: ImportBatch) -> bytes:
    """Every error of the batch as an .xlsx: line, column, the cell's content, the message."""
    return export_xlsx(batch.errors, ERROR_COLUMNS, title=f"{batch.kind}-errors")

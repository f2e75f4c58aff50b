"""Spreadsheets for tests, and a small community-scoped importer to exercise the framework."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import openpyxl
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from guanjia.core.imports.base import Column, ColumnType, CommitReport, Importer, ImportRowError
from guanjia.core.models import Community

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_bytes(rows: Sequence[Sequence[Any]], *, sheet_rows: int | None = None) -> bytes:
    """A workbook whose first sheet holds `rows` (the first one being the header)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def upload(content: bytes, name: str = "data.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=XLSX)


def xlsx_upload(rows: Sequence[Sequence[Any]], name: str = "data.xlsx") -> SimpleUploadedFile:
    return upload(xlsx_bytes(rows), name)


class Note:
    """What the sample importer writes: kept in memory, per test."""

    written: list[dict[str, Any]] = []  # a test double's record


class SampleImporter(Importer):
    """Notes with a code, a count, a day and a phone, for one community (test only)."""

    code = "sample"
    label = "Sample notes"
    permission = "accounts.view_membership"  # held by director and supervisor in community A
    columns = (
        Column("code", "编号", "Code", required=True, max_length=10),
        Column("count", "数量", "Count", type=ColumnType.INTEGER),
        Column("day", "日期", "Day", type=ColumnType.DATE),
        Column("phone", "手机", "Mobile", type=ColumnType.MOBILE),
        Column("done", "完成", "Done", type=ColumnType.BOOLEAN),
    )

    def prepare(self, rows: Sequence[Any]) -> None:
        self.seen: set[str] = set()

    def validate_row(self, row: dict[str, Any]) -> dict[str, Any]:
        if row["code"] in self.seen:
            raise ValidationError({"code": "repeated code"})
        if row["code"] == "BAD":
            raise ValidationError("the whole row is wrong")
        self.seen.add(row["code"])
        return row

    def commit(self, rows: Sequence[Any], *, by: Any, community: Community | None) -> CommitReport:
        from guanjia.core.models import Company

        for row in rows:
            if row.data["code"] == "BOOM":  # refused at commit time: nothing may stay written
                raise ImportRowError(row.line, ValidationError({"code": "refused now"}))
            Company.objects.create(name=f"note-{row.data['code']}")
            Note.written.append(row.data)
        return CommitReport(created=len(rows), counts={"notes": len(rows)})

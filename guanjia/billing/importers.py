"""Meter readings from Excel (the shared import framework): one row a meter's month."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guanjia.accounts.models import User
from guanjia.core.imports.base import (
    Column,
    ColumnType,
    CommitReport,
    Importer,
    ImportRow,
    ImportRowError,
)
from guanjia.core.models import Community

from .forms import parse_month
from .models import Meter
from .services.meters import record_reading


class ReadingImporter(Importer):
    """Monthly readings of the community's meters (the reading rules apply row by row)."""

    code = "meter-readings"
    label = gettext_lazy("Meter readings")
    permission = "billing.add_meterreading"
    done_url_name = "billing:reading-list"
    columns = (
        Column("meter", "表号", "Meter no.", required=True, max_length=40, example="W-1-1201"),
        Column("period", "月份", "Month", required=True, max_length=7, example="2026-03"),
        Column("value", "读数", "Reading", type=ColumnType.DECIMAL, required=True, example="123.5"),
        Column(
            "read_on",
            "抄表日期",
            "Read on",
            type=ColumnType.DATE,
            required=True,
            example="2026-03-30",
        ),
        Column("replacement", "换表", "Meter replaced", type=ColumnType.BOOLEAN, example="否"),
    )

    def prepare(self, rows: Sequence[ImportRow]) -> None:
        numbers = {str(r.data.get("meter") or "") for r in rows}
        meters = Meter.objects.filter(community=self.community, number__in=numbers)
        self.meters = {m.number: m for m in meters}

    def validate_row(self, row: dict[str, Any]) -> dict[str, Any]:
        errors: dict[str, str] = {}
        if row.get("meter") and row["meter"] not in self.meters:
            errors["meter"] = _("No meter with this number in this community.")
        try:
            row["period"] = f"{parse_month(str(row.get('period') or '')):%Y-%m}"
        except ValidationError as exc:
            errors["period"] = exc.messages[0]
        if errors:
            raise ValidationError(errors)
        return row

    def commit(
        self, rows: Sequence[ImportRow], *, by: User, community: Community | None
    ) -> CommitReport:
        self.community = community
        self.prepare(rows)
        for row in sorted(rows, key=lambda r: (r.data["period"], r.line)):
            data = row.data
            try:
                record_reading(
                    meter=self.meters[data["meter"]],
                    period=parse_month(data["period"]),
                    value=data["value"],
                    read_on=data["read_on"],
                    by=by,
                    replacement=bool(data.get("replacement")),
                )
            except ValidationError as exc:
                raise ImportRowError(row.line, exc) from exc
        return CommitReport(created=len(rows))

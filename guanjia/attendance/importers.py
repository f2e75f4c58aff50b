"""The attendance machine's punches, through the import framework (docs/imports.md): an
.xlsx or .csv export whose columns the community mapped once (`PunchColumns`), previewed with
row errors (unknown staff numbers, times out of order, duplicated rows), committed all or
nothing; a punch already recorded is left alone, so the same file twice adds nothing. The
attendance sheet for payroll is an export of the same framework."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guanjia.core.access import User, has_perm_in, staff_holding
from guanjia.core.imports.base import (
    Column,
    ColumnType,
    CommitReport,
    Exporter,
    Importer,
    ImportRow,
    cell_text,
)
from guanjia.core.imports.xlsx import read_sheet
from guanjia.core.models import Community

from .models import AttendanceSheet, DayResult, LeaveKind, PunchColumns, SheetStatus
from .services import add_punches, compute
from .services._common import CORRECT, ROSTERED, month_start

_STAMP = re.compile(
    r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?"
    r"(?:\.\d+)?(?:[+-]\d{2}:?\d{2})?$"
)
_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?$")

PUNCH_COLUMNS = (
    Column("staff_no", "工号", "Staff no.", required=True, max_length=20, example="A001"),
    Column("name", "姓名", "Name", max_length=50, example="张三"),
    Column(
        "punched_at",
        "打卡时间",
        "Punched at",
        max_length=40,
        example="2026-12-01 08:02",
        help_text=gettext_lazy("Date and time; or give the date and the time in two columns."),
    ),
    Column("date", "日期", "Date", type=ColumnType.DATE, example="2026-12-01"),
    Column("time", "时间", "Time", max_length=12, example="08:02"),
)


def parse_moment(stamp: str, day: str | None, clock: str) -> dt.datetime:
    """A punch's moment (Beijing time) from one stamp or a date and a time."""
    tz = timezone.get_current_timezone()
    try:
        if stamp:
            match = _STAMP.match(stamp)
            if not match:
                raise ValueError
            y, m, d, hh, mm, ss = match.groups()
            return dt.datetime(int(y), int(m), int(d), int(hh), int(mm), int(ss or 0), tzinfo=tz)
        if day and clock:
            time_match = _TIME.match(clock)
            if not time_match:
                raise ValueError
            hh, mm, ss = time_match.groups()
            return dt.datetime.combine(
                dt.date.fromisoformat(day), dt.time(int(hh), int(mm), int(ss or 0)), tzinfo=tz
            )
    except ValueError:
        pass
    raise ValidationError(
        {"punched_at": ValidationError(_("Enter a time such as 2026-12-01 08:02."), code="time")}
    )


class PunchImporter(Importer):
    code = "punches"
    label = gettext_lazy("Attendance machine punches")
    permission = "attendance.add_punch"
    done_url_name = "attendance:day-list"
    max_rows = 200_000
    max_bytes = 30 * 1024 * 1024
    columns = PUNCH_COLUMNS

    def _community(self) -> Community:
        if self.community is None:  # pragma: no cover - the kind is not company-wide
            raise ValidationError(_("Choose the community to import into first."))
        return self.community

    def prepare(self, rows: Sequence[ImportRow]) -> None:
        community = self._community()
        staff = staff_holding(
            [ROSTERED], company_id=community.company_id, community_id=community.pk
        ).exclude(staff_no="")
        self.staff: dict[str, int] = dict(staff.values_list("staff_no", "pk"))
        self.locked = (
            set()
            if has_perm_in(self.by, CORRECT, self.community)
            else set(
                AttendanceSheet.objects.filter(
                    community=self.community, status=SheetStatus.SUBMITTED
                ).values_list("month", flat=True)
            )
        )
        self.now = timezone.now()
        self.seen: dict[tuple[int, dt.datetime], int] = {}
        self.last: dict[int, tuple[dt.datetime, int]] = {}
        self.lines = [row.line for row in rows]  # validate_row sees the rows in this order
        self.index = 0

    def validate_row(self, row: dict[str, Any]) -> dict[str, Any]:
        line = self.lines[self.index] if self.index < len(self.lines) else 0
        self.index += 1
        employee = self.staff.get(row["staff_no"]) if row["staff_no"] else None
        errors: dict[str, Any] = {}
        if employee is None:
            errors["staff_no"] = (
                _("Unknown staff number: nobody of this community has it.")
                if row["staff_no"]
                else _("This column is required.")
            )
        try:
            moment = parse_moment(row["punched_at"], row["date"], row["time"])
        except ValidationError as exc:
            errors.update(exc.message_dict)
            moment = None
        if moment is not None and moment > self.now:
            errors["punched_at"] = _("This punch is in the future.")
        elif moment is not None and month_start(timezone.localtime(moment).date()) in self.locked:
            errors["punched_at"] = _(
                "The attendance sheet of this month was submitted: corrections need HR."
            )
        if errors or employee is None or moment is None:
            raise ValidationError(errors)
        earlier = self.seen.get((employee, moment))
        if earlier is not None:
            raise ValidationError(
                _("Duplicated row: the same punch as line %(line)d.") % {"line": earlier}
            )
        previous = self.last.get(employee)
        if previous is not None and moment < previous[0]:
            raise ValidationError(
                {
                    "punched_at": _(
                        "Times out of order: earlier than this person's punch on line %(line)d."
                    )
                    % {"line": previous[1]}
                }
            )
        self.seen[(employee, moment)] = line
        self.last[employee] = (moment, line)
        return {
            "staff_no": row["staff_no"],
            "name": row["name"],
            "punched_at": moment.isoformat(),
            "date": None,
            "time": "",
        }

    def commit(
        self, rows: Sequence[ImportRow], *, by: User, community: Community | None
    ) -> CommitReport:
        community = self._community()
        staff = dict(
            staff_holding([ROSTERED], company_id=community.company_id, community_id=community.pk)
            .exclude(staff_no="")
            .values_list("staff_no", "pk")
        )
        punches = [
            (staff[row.data["staff_no"]], dt.datetime.fromisoformat(row.data["punched_at"]))
            for row in rows
        ]
        new = add_punches(community=community, rows=punches, batch_id=None)
        if punches:
            days = [timezone.localtime(at).date() for _employee, at in punches]
            compute(
                community,
                min(days) - dt.timedelta(days=1),
                max(days),
                employee_ids={employee for employee, _at in punches},
            )
        return CommitReport(created=new, unchanged=len(punches) - new)


def mapped_importer(community: Community) -> type[PunchImporter]:
    """The importer whose Chinese headers are the ones the community mapped."""
    mapping = PunchColumns.objects.filter(community=community).first()
    if mapping is None:
        return PunchImporter
    names = {
        "staff_no": mapping.staff_no,
        "punched_at": mapping.punched_at,
        "date": mapping.date,
        "time": mapping.time,
    }
    columns = tuple(
        Column(
            column.field,
            names.get(column.field) or column.header_zh,
            column.header_en,
            type=column.type,
            required=column.required,
            max_length=column.max_length,
            example=column.example,
        )
        for column in PUNCH_COLUMNS
    )
    mapped: type[PunchImporter] = type(
        "MappedPunchImporter", (PunchImporter,), {"columns": columns}
    )
    return mapped


def read_punch_file(upload: Any, community: Community) -> list[ImportRow]:
    """The rows of an uploaded .xlsx or .csv export, by the community's column mapping."""
    importer = mapped_importer(community)
    name = (getattr(upload, "name", "") or "").lower()
    if not name.endswith(".csv"):
        return read_sheet(upload, importer=importer).rows
    if upload.size > importer.max_bytes:
        raise ValidationError(_("The file is larger than 30 MB."), code="too_large")
    raw = upload.read()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string
        raise ValidationError(_("The file is not text."), code="not_csv")
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if not header:
        raise ValidationError(_("The file is empty."), code="empty_file")
    from guanjia.core.imports.xlsx import match_headers

    columns = match_headers([cell_text(cell) for cell in header], importer.columns)
    rows: list[ImportRow] = []
    for line, values in enumerate(reader, start=2):
        cells = {
            column.field: value
            for column, value in zip(columns, values, strict=False)
            if column is not None and cell_text(value) != ""
        }
        if cells:
            rows.append(ImportRow(line=line, data=cells))
        if len(rows) > importer.max_rows:
            raise ValidationError(
                _("At most %(limit)d rows in one file.") % {"limit": importer.max_rows},
                code="too_many_rows",
            )
    return rows


# --- The attendance sheet for payroll ----------------------------------------------------------

SHEET_COLUMNS = (
    Column("staff_no", "工号", "Staff no."),
    Column("name", "姓名", "Name"),
    Column("scheduled", "排班天数", "Scheduled days", type=ColumnType.INTEGER),
    Column("present", "出勤天数", "Days present", type=ColumnType.DECIMAL),
    Column("lates", "迟到次数", "Lates", type=ColumnType.INTEGER),
    Column("early", "早退次数", "Early leaves", type=ColumnType.INTEGER),
    Column("missing", "缺卡次数", "Missing punches", type=ColumnType.INTEGER),
    Column("absent", "旷工天数", "Absence days", type=ColumnType.DECIMAL),
    Column("from_lates", "迟到折合旷工", "Absences from lates", type=ColumnType.INTEGER),
    *(
        Column(f"leave_{kind}", f"{label}天数", f"{kind} leave days", type=ColumnType.INTEGER)
        for kind, label in (
            (LeaveKind.PERSONAL, "事假"),
            (LeaveKind.SICK, "病假"),
            (LeaveKind.ANNUAL, "年假"),
            (LeaveKind.MARRIAGE, "婚假"),
            (LeaveKind.MATERNITY, "产假"),
            (LeaveKind.BEREAVEMENT, "丧假"),
            (LeaveKind.BUSINESS, "公出"),
        )
    ),
    Column("full", "全勤", "Full attendance", type=ColumnType.BOOLEAN),
)


class SheetExporter(Exporter):
    """The month's attendance sheet per employee (`?month=YYYY-MM`), for payroll."""

    code = "attendance_sheet"
    label = gettext_lazy("Attendance sheet")
    columns = SHEET_COLUMNS
    permission = "attendance.view_all_attendance"

    def _month(self) -> dt.date:
        try:
            return dt.date.fromisoformat(f"{self.params.get('month', '')}-01")
        except ValueError:
            return timezone.localdate().replace(day=1)

    def count(self) -> int:
        return len(self._months())

    def _months(self) -> list[Any]:
        from .selectors import attendance_findings

        if self.community is None:  # pragma: no cover - the export is per community
            return []
        return attendance_findings(self.community, self._month())

    def rows(self) -> Iterable[Mapping[str, Any]]:
        from django.contrib.auth import get_user_model

        months = self._months()
        numbers = dict(
            get_user_model()
            .objects.filter(pk__in=[m.employee_id for m in months])
            .values_list("pk", "staff_no")
        )
        for m in months:
            yield {
                "staff_no": numbers.get(m.employee_id, ""),
                "name": m.name,
                "scheduled": m.scheduled_days,
                "present": m.present_days,
                "lates": m.lates,
                "early": m.early_leaves,
                "missing": m.missing_punches,
                "absent": m.absent_days,
                "from_lates": m.absences_from_lates,
                **{f"leave_{kind}": m.leave_days.get(kind, 0) for kind in LeaveKind.values},
                "full": m.full_attendance,
            }

    def file_name(self) -> str:
        return f"attendance-{self._month():%Y-%m}.xlsx"


__all__ = ["DayResult", "PunchImporter", "SheetExporter", "read_punch_file"]

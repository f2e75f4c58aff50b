"""The performance-pay export for finance (考核汇总表, spec §24: "one copy to Finance for
performance pay"): one row per employee of the month, with the score, the grade, the days
in the team and the adjustments."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy

from guanjia.core.imports.base import Column, ColumnType, Exporter
from guanjia.core.roles import role_label

from .models import MonthlyScore

PAY_COLUMNS = (
    Column("staff_no", "工号", "Staff no."),
    Column("name", "姓名", "Name"),
    Column("role", "岗位", "Post"),
    Column("month", "月份", "Month"),
    Column("days", "在岗天数", "Days in the team", type=ColumnType.INTEGER),
    Column("computed", "计算得分", "Computed score", type=ColumnType.DECIMAL),
    Column("adjustment", "评分人调整", "Rater's adjustment", type=ColumnType.DECIMAL),
    Column("total", "考核得分", "Score", type=ColumnType.DECIMAL),
    Column("grade", "等级", "Grade"),
)


def parse_month(raw: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(f"{raw}-01")
    except (TypeError, ValueError):
        return None


class PerformancePayExporter(Exporter):
    """The month's scores of the community (`?month=YYYY-MM`), for the performance pay."""

    code = "appraisal_pay"
    label = gettext_lazy("Performance pay")
    columns = PAY_COLUMNS
    permission = "appraisal.export_performance_pay"

    def _month(self) -> dt.date:
        return parse_month(self.params.get("month")) or timezone.localdate().replace(day=1)

    def _rows(self) -> Any:
        return MonthlyScore.objects.filter(community=self.community, month=self._month())

    def count(self) -> int:
        return int(self._rows().count())

    def rows(self) -> Iterable[Mapping[str, Any]]:
        scores = self._rows().select_related("employee").order_by("employee__staff_no", "pk")
        for score in scores.iterator(chunk_size=500):
            yield {
                "staff_no": score.employee.staff_no,
                "name": str(score.employee),
                "role": role_label(score.role),
                "month": f"{score.month:%Y-%m}",
                "days": score.days,
                "computed": score.computed,
                "adjustment": score.adjustment,
                "total": score.total,
                "grade": score.grade,
            }

    def file_name(self) -> str:
        return f"performance-pay-{self._month():%Y-%m}.xlsx"

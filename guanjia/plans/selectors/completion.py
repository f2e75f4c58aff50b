"""工作计划完成率 (spec §02, §27): items done ÷ items planned, for the plans the director
approved. The interface the appraisal app reads (docs/supervisor.md)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, Count, Q

from guanjia.core.models import Community

from ..models import COUNTED_STATUSES, PlanItem, WorkPlan

_DONE = Q(done_pct__gte=100)


def _items(community: Community, start: dt.date, end: dt.date) -> Any:
    return PlanItem.objects.filter(
        plan__community=community,
        plan__status__in=COUNTED_STATUSES,
        due_on__gte=start,
        due_on__lte=end,
    )


def plan_completion(community: Community, start: dt.date, end: dt.date) -> tuple[int, int]:
    """(done items, planned items) of the approved plans' items due from `start` to `end`
    (both included). One query. Stable: the appraisal app calls it."""
    row = _items(community, start, end).aggregate(
        planned=Count("pk"), done=Count("pk", filter=_DONE)
    )
    return int(row["done"]), int(row["planned"])


def plan_completion_by_owner(
    community: Community, start: dt.date, end: dt.date
) -> dict[int, tuple[int, int]]:
    """{owner's user id: (done items, planned items)} over the same items. One query."""
    rows = (
        _items(community, start, end)
        .values("owner_id")
        .annotate(planned=Count("pk"), done=Count("pk", filter=_DONE))
        .order_by()
    )
    return {row["owner_id"]: (int(row["done"]), int(row["planned"])) for row in rows}


@dataclass(frozen=True)
class PlanProgress:
    done: int
    planned: int
    average_pct: int  # the mean of the items' done %

    @property
    def rate(self) -> int | None:
        """Items done ÷ planned, in whole percent; None without items."""
        if not self.planned:
            return None
        return round(self.done * 100 / self.planned)


def plan_progress(plan: WorkPlan) -> PlanProgress:
    """One plan's own completion (all its items, whatever their due day). One query."""
    row = plan.items.aggregate(
        planned=Count("pk"), done=Count("pk", filter=_DONE), avg=Avg("done_pct")
    )
    return PlanProgress(int(row["done"]), int(row["planned"]), round(row["avg"] or 0))

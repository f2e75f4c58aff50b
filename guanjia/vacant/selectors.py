"""Reads of the vacant-unit app that span models: the unit's timeline, an area manager's
zones, and the KPIs (spec §13, §27), each a bounded number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.core.models import Community
from guanjia.desk.models import KeyLoan
from guanjia.estates.models import Unit
from guanjia.estates.selectors import TimelineEntry
from guanjia.estates.selectors.access import is_zone_bound, managed_zone_ids

from .models import (
    TASK_KINDS_INSPECTING,
    CareTask,
    Category,
    Inspection,
    VacancyStatus,
    VacantUnit,
)


def vacancy_for_unit(unit: Unit, *, limit: int) -> list[TimelineEntry]:
    """The unit's vacancy periods and inspections for its timeline."""
    entries = [
        TimelineEntry(
            at=timezone.make_aware(dt.datetime.combine(v.since, dt.time(9))),
            kind="vacant",
            title=_("Vacant: %(category)s") % {"category": v.get_category_display()},
            url=reverse("vacant:unit-detail", args=[v.pk]),
            actor=str(v.registered_by or ""),
        )
        for v in VacantUnit.objects.filter(unit=unit).select_related("registered_by")[:limit]
    ]
    entries += [
        TimelineEntry(
            at=i.inspected_at,
            kind="vacant",
            title=_("Vacant-unit inspection") + (": " + i.problems[:60] if i.problems else ""),
            url=reverse("vacant:inspection-detail", args=[i.pk]),
            actor=str(i.inspector or ""),
        )
        for i in Inspection.objects.filter(unit=unit).select_related("inspector")[:limit]
    ]
    return entries


def mine_q(user: Any, community: Community, prefix: str = "unit__") -> Q:
    """The rows of the zones the user manages today (an area manager bound to zones), or
    every row when the user works for the whole community."""
    if not is_zone_bound(user, community):
        return Q()
    return Q(**{f"{prefix}building__zone__in": managed_zone_ids(user, community)})


def my_zone_q(user: Any, community: Community) -> Q:
    """`?mine=true`: the zones the user manages as area manager (acting included), whatever
    their other roles."""
    return Q(unit__building__zone__in=managed_zone_ids(user, community))


@dataclass(frozen=True)
class Kpis:
    """The vacant-unit KPIs of one period (spec §13, §27), with their raw counts."""

    start: dt.date
    end: dt.date
    required: int  # inspections due in the period
    done: int  # of those, done
    inspections: int  # inspections recorded in the period
    problems: int  # of those, with a problem
    meters_running: int
    keys_out_late: int  # loans of vacant units' keys out past their due time now
    by_category: list[tuple[str, int]]
    by_age: list[tuple[str, int]]

    @property
    def completion_rate(self) -> float | None:
        return self.done / self.required if self.required else None

    @property
    def problems_per_100(self) -> float | None:
        return 100 * self.problems / self.inspections if self.inspections else None


AGES = ((0, 90), (90, 180), (180, 365), (365, None))


def _age_label(low: int, high: int | None) -> str:
    if high is None:
        return _("a year or more")
    return _("%(low)s–%(high)s days") % {"low": low, "high": high - 1}


def kpis(community: Community, start: dt.date, end: dt.date) -> Kpis:
    """Five queries whatever the number of units."""
    today = timezone.localdate()
    tasks = CareTask.objects.filter(
        community=community,
        kind__in=TASK_KINDS_INSPECTING,
        due_on__gte=start,
        due_on__lte=min(end, today),
        cancelled_at__isnull=True,
    ).aggregate(required=Count("pk"), done=Count("pk", filter=Q(done_at__isnull=False)))
    found = Inspection.objects.filter(
        community=community,
        inspected_at__date__gte=start,
        inspected_at__date__lte=end,
    ).aggregate(
        total=Count("pk"),
        problems=Count(
            "pk",
            filter=Q(doors_ok=False)
            | Q(no_leaks=False)
            | Q(no_damp=False)
            | Q(fixtures_ok=False)
            | Q(meters_still=False)
            | Q(clean_ok=False),
        ),
        meters=Count("pk", filter=Q(meters_still=False)),
    )
    open_ = VacantUnit.objects.filter(community=community, status=VacancyStatus.VACANT)
    vacant_units = open_.values("unit_id")
    keys_late = (
        KeyLoan.objects.filter(community=community, key__unit__in=vacant_units).overdue().count()
    )
    counts = dict(
        open_.values_list("category").annotate(n=Count("pk")).values_list("category", "n")
    )
    by_category = [(str(label), counts.get(value, 0)) for value, label in Category.choices]
    age_filters: dict[str, Any] = {}
    for low, high in AGES:
        q = Q(since__lte=today - dt.timedelta(days=low))
        if high is not None:
            q &= Q(since__gt=today - dt.timedelta(days=high))
        age_filters[f"a{low}"] = Count("pk", filter=q)
    ages = open_.aggregate(**age_filters)
    by_age = [(_age_label(low, high), ages[f"a{low}"]) for low, high in AGES]
    return Kpis(
        start=start,
        end=end,
        required=tasks["required"],
        done=tasks["done"],
        inspections=found["total"],
        problems=found["problems"],
        meters_running=found["meters"],
        keys_out_late=keys_late,
        by_category=by_category,
        by_age=by_age,
    )

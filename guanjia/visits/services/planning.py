"""Visits that no ticket owes (spec §14, §02): the yearly plan of routine household visits per
zone, visits planned by hand (a special service's mid-term or final visit, the supervisor's
own visits), and the minimum gap between two visits to one household."""

from __future__ import annotations

import calendar
import datetime as dt
import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.core import workflows
from guanjia.core.access import has_perm_in, require_perm
from guanjia.core.models import Community
from guanjia.core.policies.selectors import policy
from guanjia.estates.models import Occupancy, Unit, UnitStatus, Zone

from ..models import OPEN_STATUSES, RoutinePlan, Visit, VisitKind

if TYPE_CHECKING:
    from guanjia.core.access import User

HOUSEHOLD = (UnitStatus.OCCUPIED, UnitStatus.RENTED)
MANUAL_KINDS = (VisitKind.SPECIAL, VisitKind.SUPERVISOR)


def households(community: Community, zone: Zone | None = None) -> QuerySet[Unit]:
    """The occupied (or let) units: the households a routine plan or a survey covers."""
    rows = Unit.objects.filter(community=community, status__in=HOUSEHOLD)
    return rows.filter(building__zone=zone) if zone is not None else rows


def contacts(unit_ids: list[int]) -> dict[int, tuple[str, str]]:
    """Each unit's primary contact today: (name, mobile)."""
    rows = Occupancy.objects.filter(
        unit_id__in=unit_ids, is_primary_contact=True, ends_on__isnull=True
    ).values_list("unit_id", "person__name", "person__mobile")
    return {unit: (name, mobile or "") for unit, name, mobile in rows}


def last_day_of_month(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def recently_visited(community: Community, today: dt.date) -> QuerySet[Visit]:
    """Visits that keep a household from another one now (`visit.min_gap_days`): an open one,
    or one made within the gap."""
    gap = policy(community, "visit.min_gap_days")
    since = today - dt.timedelta(days=gap)
    return Visit.objects.filter(community=community, unit__isnull=False).filter(
        Q(status__in=OPEN_STATUSES) | Q(visited_on__gte=since)
    )


# --- the yearly plan -------------------------------------------------------------------------


@transaction.atomic
def create_routine_plan(
    *, community: Community, zone: Zone, year: int, note: str, by: User
) -> RoutinePlan:
    """The supervisor plans a zone's routine visits for a year (this year or the next)."""
    require_perm(by, "visits.add_visit", community)
    errors: dict[str, str] = {}
    if zone.community_id != community.pk:
        errors["zone"] = _("Choose a zone of this community.")
    this_year = timezone.localdate().year
    if year not in (this_year, this_year + 1):
        errors["year"] = _("Plan this year or the next.")
    if len(note) > 500:
        errors["note"] = _("The note is too long.")
    if errors:
        raise ValidationError(errors)
    if RoutinePlan.objects.filter(zone=zone, year=year).exists():
        raise ValidationError({"zone": _("This zone already has a plan for this year.")})
    try:
        with transaction.atomic():
            return RoutinePlan.objects.create(
                community=community, zone=zone, year=year, note=note.strip(), created_by=by
            )
    except IntegrityError as exc:  # a plan saved at the same moment
        raise ValidationError({"zone": _("This zone already has a plan for this year.")}) from exc


@dataclass(frozen=True)
class PlanProgress:
    plan: RoutinePlan
    households: int
    target: int  # households to visit this year (`visit.routine_rate_year`)
    owed_by_now: int  # the target spread evenly over the months, to the end of this month
    planned: int  # routine visits generated so far
    made: int  # of which made

    @property
    def coverage(self) -> Any:
        from guanjia.tickets.selectors.kpis import Ratio

        return Ratio(self.made, self.target)


def plan_target(plan: RoutinePlan, count: int, today: dt.date) -> tuple[int, int]:
    rate = policy(plan.community, "visit.routine_rate_year")
    target = math.ceil(count * rate)
    if plan.year < today.year:
        months = 12
    elif plan.year > today.year:
        months = 0
    else:
        months = today.month
    return target, math.ceil(target * months / 12)


def plan_progress(plan: RoutinePlan, today: dt.date | None = None) -> PlanProgress:
    today = today or timezone.localdate()
    count = households(plan.community, plan.zone).count()
    target, owed = plan_target(plan, count, today)
    visits = Visit.objects.filter(plan=plan)
    return PlanProgress(
        plan=plan,
        households=count,
        target=target,
        owed_by_now=owed,
        planned=visits.count(),
        made=visits.filter(visited_on__isnull=False).count(),
    )


def routine_visits(community: Community, now: dt.datetime) -> Iterator[Visit]:
    """This month's routine visits of every plan of this year: enough to keep up with the
    year's target spread over the months, households not yet visited under the plan, none
    visited within the minimum gap or with a visit open. A second run adds nothing."""
    today = timezone.localdate(now)
    due = last_day_of_month(today)
    plans = RoutinePlan.objects.filter(community=community, year=today.year).select_related(
        "zone", "community"
    )
    recent = recently_visited(community, today).values("unit_id")
    for plan in plans:
        homes = households(community, plan.zone)
        _target, owed = plan_target(plan, homes.count(), today)
        need = owed - Visit.objects.filter(plan=plan).count()
        if need <= 0:
            continue
        picks = list(
            homes.exclude(pk__in=Visit.objects.filter(plan=plan).values("unit_id"))
            .exclude(pk__in=recent)
            .order_by("sort_key", "pk")
            .values_list("pk", flat=True)[:need]
        )
        people = contacts(picks)
        for unit_id in picks:
            name, phone = people.get(unit_id, ("", ""))
            yield Visit(
                community=community,
                kind=VisitKind.ROUTINE,
                plan=plan,
                source_done_at=now,
                unit_id=unit_id,
                person_name=name[:50],
                phone=phone,
                assignee_id=plan.zone.area_manager_id,
                due_on=due,
                purpose=_("Routine household visit (%(year)s plan)") % {"year": plan.year},
            )


# --- visits planned by hand ----------------------------------------------------------------


@dataclass(frozen=True)
class Planned:
    """A visit planned by hand: a special service's visit, or the supervisor's own."""

    kind: str
    unit: Unit | None
    due_on: dt.date | None
    purpose: str = ""
    assignee: User | None = None


def _check_gap(community: Community, unit: Unit, today: dt.date) -> None:
    if recently_visited(community, today).filter(unit=unit).exists():
        gap = policy(community, "visit.min_gap_days")
        raise ValidationError(
            {
                "unit": _(
                    "This household has a visit open or had one within %(days)s days: "
                    "ask your questions in that one contact."
                )
                % {"days": gap}
            },
            code="too_soon",
        )


@transaction.atomic
def plan_visit(*, community: Community, planned: Planned, by: User) -> Visit:
    """A special service's visit (mid-term, end of contract) or the supervisor's own visit
    (assigned to the supervisor, counted against `supervisor.min_visits_month`)."""
    require_perm(by, "visits.add_visit", community)
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if planned.kind not in MANUAL_KINDS:
        errors["kind"] = _("Choose a special service visit or your own visit.")
    if planned.unit is None or planned.unit.community_id != community.pk:
        errors["unit"] = _("Choose a unit of this community.")
    if planned.due_on is None or planned.due_on < today:
        errors["due_on"] = _("The visit cannot be due in the past.")
    purpose = planned.purpose.strip()
    if planned.kind == VisitKind.SPECIAL and not purpose:
        errors["purpose"] = _("Say which service and which visit (mid-term, end of contract).")
    if len(purpose) > 500:
        errors["purpose"] = _("The purpose is too long.")
    assignee = by if planned.kind == VisitKind.SUPERVISOR else planned.assignee
    if assignee is not None and not has_perm_in(assignee, "visits.change_visit", community):
        errors["assignee"] = _("Choose someone who makes visits in this community.")
    unit, due_on = planned.unit, planned.due_on
    if errors or unit is None or due_on is None:
        raise ValidationError(errors)
    _check_gap(community, unit, today)
    name, phone = contacts([unit.pk]).get(unit.pk, ("", ""))
    visit = Visit.objects.create(
        community=community,
        kind=planned.kind,
        source_done_at=timezone.now(),
        unit=unit,
        person_name=name[:50],
        phone=phone,
        assignee=assignee,
        due_on=due_on,
        purpose=purpose,
    )
    workflows.record_creation(visit, by=by, action="planned", note=purpose[:500])
    return visit


def supervisor_quota(user: User, community: Community, today: dt.date) -> tuple[int, int]:
    """(visits the user made this month in the community, `supervisor.min_visits_month`)."""
    made = Visit.objects.filter(
        community=community,
        visitor=user,
        visited_on__gte=today.replace(day=1),
        visited_on__lte=today,
    ).count()
    return made, policy(community, "supervisor.min_visits_month")

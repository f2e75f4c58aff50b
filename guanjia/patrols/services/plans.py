"""The supervisor's monthly plan per zone, and the patrols it generates on working days."""

from __future__ import annotations

import datetime as dt
import math
from calendar import monthrange
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.core.access import User, require_perm
from guanjia.core.calendars.selectors import CommunityCalendar
from guanjia.core.db import advisory_lock
from guanjia.core.models import Community
from guanjia.core.policies.selectors import policy
from guanjia.estates.models import Zone

from ..models import (
    FULL_INSPECTION_KINDS,
    Checkpoint,
    CheckpointKind,
    Patrol,
    PatrolEvent,
    PatrolKind,
    PatrolPlan,
    PatrolStatus,
    PlanStop,
    PlanTemplate,
)

PLAN = "patrols.add_patrolplan"


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(day: dt.date) -> dt.date:
    first = month_start(day)
    return (first + dt.timedelta(days=32)).replace(day=1)


@transaction.atomic
def save_template(
    *,
    community: Community,
    name: str,
    kinds: Sequence[str],
    focus: str,
    per_day: int | None,
    by: User,
) -> PlanTemplate:
    require_perm(by, PLAN, community)
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = _("Name the template.")
    if not kinds or any(kind not in CheckpointKind.values for kind in kinds):
        errors["kinds"] = _("Choose the types of checkpoint on the route.")
    if per_day is not None and not 0 <= per_day <= 10:
        errors["per_day"] = _("Between 0 and 10 patrols a day.")
    if PlanTemplate.objects.filter(community=community, name=name.strip()).exists():
        errors["name"] = _("A template with this name already exists.")
    if errors:
        raise ValidationError(errors)
    return PlanTemplate.objects.create(
        community=community,
        name=name.strip(),
        kinds=list(dict.fromkeys(kinds)),
        focus=focus.strip(),
        per_day=per_day,
    )


@dataclass(frozen=True)
class PlanData:
    zone: Zone
    month: dt.date
    template: PlanTemplate | None = None
    focus: str = ""
    per_day: int | None = None  # None: the template's, else the policy


@transaction.atomic
def write_plan(*, community: Community, data: PlanData, by: User) -> PatrolPlan:
    """A zone's plan for a month from a template: the route is the zone's active checkpoints
    of the template's types (all types without one), in type and name order; the frequency
    from the template or the policies (spec §12)."""
    require_perm(by, PLAN, community)
    errors: dict[str, str] = {}
    if data.zone.community_id != community.pk:
        errors["zone"] = _("There is no such record in this community.")
    if data.template is not None and data.template.community_id != community.pk:
        errors["template"] = _("There is no such record in this community.")
    if data.month < month_start(timezone.localdate()):
        errors["month"] = _("A plan is written for this month or a month to come.")
    if data.per_day is not None and not 0 <= data.per_day <= 10:
        errors["per_day"] = _("Between 0 and 10 patrols a day.")
    if len(data.focus) > 300:
        errors["focus"] = _("The focus is too long.")
    if errors:
        raise ValidationError(errors)
    month = month_start(data.month)
    if PatrolPlan.objects.filter(zone=data.zone, month=month).exists():
        raise ValidationError({"month": _("This zone already has a plan for this month.")})
    kinds = list(data.template.kinds) if data.template else list(CheckpointKind.values)
    route = list(
        Checkpoint.objects.filter(zone=data.zone, is_active=True, kind__in=kinds).order_by(
            "kind", "name"
        )
    )
    if not route:
        raise ValidationError(
            {"zone": _("This zone has no active checkpoint of these types: add them first.")}
        )
    per_day = data.per_day
    if per_day is None and data.template is not None:
        per_day = data.template.per_day
    if per_day is None:
        per_day = policy(community, "patrol.zone_per_day")
    focus = data.focus.strip() or (data.template.focus if data.template else "")
    plan = PatrolPlan.objects.create(
        community=community,
        zone=data.zone,
        month=month,
        per_day=per_day,
        full_inspection_days=policy(community, "patrol.building_full_inspection_days"),
        focus=focus,
        written_by=by,
    )
    PlanStop.objects.bulk_create(
        PlanStop(plan=plan, checkpoint=cp, position=i) for i, cp in enumerate(route, start=1)
    )
    return plan


def working_days(community: Community, month: dt.date) -> list[dt.date]:
    first = month_start(month)
    last = first.replace(day=monthrange(first.year, first.month)[1])
    calendar = CommunityCalendar(community)
    return [day.date for day in calendar.days(first, last) if day.is_working]


def assignee(zone: Zone, day: dt.date) -> int | None:
    """The area manager, or the acting one on the days the manager is away."""
    acting = zone.acting_manager_id and zone.acting_from and zone.acting_to
    if acting and zone.acting_from <= day <= zone.acting_to:  # type: ignore[operator]
        return zone.acting_manager_id
    return zone.area_manager_id


def full_inspection_rota(
    buildings: Sequence[int], days: Sequence[dt.date], every: int
) -> dict[dt.date, list[int]]:
    """Which buildings get their floors and roof walked on which working day, so that each
    building is fully inspected at least once every `every` calendar days of the month."""
    if not buildings or not days:
        return {}
    window = max(1, sum(1 for day in days if day < days[0] + dt.timedelta(days=every)))
    per_day = math.ceil(len(buildings) / window)
    rota: dict[dt.date, list[int]] = {}
    for i, day in enumerate(days):
        slot = i % window
        chosen = list(buildings[slot * per_day : (slot + 1) * per_day])
        if chosen:
            rota[day] = chosen
    return rota


@transaction.atomic
def generate_month(*, community: Community, month: dt.date, by: User | None) -> int:
    """The planned patrols of every plan of the month: one a round a zone a working day,
    assigned to the zone's manager (or the acting one). Idempotent: what exists stays;
    returns how many were added."""
    if by is not None:
        require_perm(by, PLAN, community)
    month = month_start(month)
    advisory_lock(f"patrols.generate:{community.pk}:{month:%Y-%m}")
    plans = list(PatrolPlan.objects.filter(community=community, month=month).select_related("zone"))
    if not plans:
        return 0
    days = working_days(community, month)
    existing = set(
        Patrol.objects.filter(plan__in=plans, kind=PatrolKind.ROUTINE).values_list(
            "zone_id", "day", "round"
        )
    )
    full: dict[int, list[int]] = {}
    for plan_id, building_id in (
        PlanStop.objects.filter(plan__in=plans, checkpoint__kind__in=FULL_INSPECTION_KINDS)
        .exclude(checkpoint__building=None)
        .order_by("plan_id", "checkpoint__building__sort_key")
        .values_list("plan_id", "checkpoint__building_id")
        .distinct()
    ):
        buildings = full.setdefault(plan_id, [])
        if building_id not in buildings:
            buildings.append(building_id)
    rows: list[Patrol] = []
    for plan in plans:
        rota = full_inspection_rota(full.get(plan.pk, []), days, plan.full_inspection_days)
        for day in days:
            for round_ in range(1, plan.per_day + 1):
                if (plan.zone_id, day, round_) in existing:
                    continue
                rows.append(
                    Patrol(
                        community=community,
                        zone_id=plan.zone_id,
                        plan=plan,
                        day=day,
                        round=round_,
                        patroller_id=assignee(plan.zone, day),
                        full_buildings=rota.get(day, []) if round_ == 1 else [],
                        status=PatrolStatus.PLANNED,
                    )
                )
    if not rows:
        return 0
    Patrol.objects.bulk_create(rows, batch_size=5000)
    _planned_events([plan.pk for plan in plans], by)
    return len(rows)


def _planned_events(plan_ids: list[int], by: User | None) -> None:
    """The "planned" event of every patrol of these plans that has none yet, in one
    INSERT … SELECT (the patrols were just made in bulk; a second run finds them all)."""
    event = PatrolEvent._meta.db_table
    patrol = Patrol._meta.db_table
    pg = connection.vendor == "postgresql"

    def value(sql_type: str) -> str:
        return f"CAST(%s AS {sql_type})" if pg else "%s"

    now = connection.ops.adapt_datetimefield_value(timezone.now())
    marks = ", ".join(["%s"] * len(plan_ids))
    at, actor, text, json = value("timestamptz"), value("bigint"), value("varchar"), value("jsonb")
    sql = (
        f"INSERT INTO {event} (created_at, updated_at, patrol_id, actor_id, at, action, "  # noqa: S608  # model table names, values bound
        f"from_status, to_status, note, data) SELECT {at}, {at}, p.id, {actor}, {at}, "
        f"'planned', '', {text}, '', {json} FROM {patrol} p WHERE p.plan_id IN ({marks}) "
        f"AND NOT EXISTS (SELECT 1 FROM {event} e WHERE e.patrol_id = p.id)"
    )
    params = [now, now, by.pk if by is not None else None, now, PatrolStatus.PLANNED, "{}"]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *plan_ids])  # table names from the models, values bound


def generate_next_months() -> int:
    """The scheduled job: this month's and next month's patrols of every community with
    plans (a plan written late still gets its patrols)."""
    today = timezone.localdate()
    total = 0
    ids = (
        PatrolPlan.objects.filter(month__gte=month_start(today))
        .values_list("community_id", "month")
        .order_by("community_id", "month")
        .distinct()
    )
    for community_id, month in list(ids):
        community = Community.objects.get(pk=community_id)
        total += generate_month(community=community, month=month, by=None)
    return total

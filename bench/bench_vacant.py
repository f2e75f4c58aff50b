"""Vacant units: a month's care tasks for 100,000 vacant units (100 communities of 1,000 units,
every unit in the register), and the second run that adds nothing. The units are seeded here
through the estates models' bulk_create; the register rows by INSERT … SELECT; the tasks by
the application's
`generate_tasks` (one INSERT … SELECT over generate_series per community on PostgreSQL).
See docs/bench.md and docs/vacant-units.md.
"""

from __future__ import annotations

import sys
from decimal import Decimal
from typing import Any

from bench.harness import Benchmark

UNITS = 100_000  # COMMUNITIES x 1,000


def log(message: str) -> None:
    print(f"bench[vacant]: {message}", file=sys.stderr, flush=True)


_SEEDED: dict[str, Any] = {}


COMMUNITIES = 100
BUILDINGS = 10  # per community
FLOORS = 25
PER_FLOOR = 4  # 10 buildings x 25 floors x 4 = 1,000 units a community


def _units() -> tuple[list[int], int]:
    """100 communities of 1,000 units (the app's own fixture: units, buildings and one zone a
    community through the estates models' bulk_create, which fills their sort keys)."""
    from django.contrib.auth import get_user_model

    from guanjia.core.models import Community, Company
    from guanjia.estates.models import Building, Unit, Zone, room_code_for

    company = Company.objects.create(name="空置房基准物业")
    communities = Community.objects.bulk_create(
        Community(company=company, code=f"v{n:03d}", name=f"空置房基准小区{n:03d}")
        for n in range(1, COMMUNITIES + 1)
    )
    zones = Zone.objects.bulk_create(Zone(community=c, name="一区") for c in communities)
    buildings = Building.objects.bulk_create(
        Building(community=c, zone=z, number=str(b), floors_above=FLOORS)
        for c, z in zip(communities, zones, strict=True)
        for b in range(1, BUILDINGS + 1)
    )
    batch: list[Unit] = []
    for building in buildings:
        for floor in range(1, FLOORS + 1):
            for position in range(1, PER_FLOOR + 1):
                room = f"{floor}{position:02d}"
                batch.append(
                    Unit(
                        community_id=building.community_id,
                        building=building,
                        room_number=room,
                        floor=floor,
                        building_area=Decimal("89.50"),
                        status="vacant",
                        room_code=room_code_for(building.number, None, room),
                    )
                )
        if len(batch) >= 10_000:
            Unit.objects.bulk_create(batch, batch_size=5000)
            batch = []
    Unit.objects.bulk_create(batch, batch_size=5000)
    user = get_user_model().objects.create(username="bench-vacant")
    return [c.pk for c in communities], user.pk


def _seed() -> dict[str, Any]:
    from django.db import connection, transaction
    from django.utils import timezone

    if "ctx" in _SEEDED:
        return _SEEDED["ctx"]  # type: ignore[no-any-return]
    with transaction.atomic():  # all or nothing: a failed seed leaves no company behind
        communities, user = _units()
        _register(communities, user)
    with connection.cursor() as cursor:
        cursor.execute(
            "ANALYZE" if connection.vendor != "postgresql" else "ANALYZE vacant_vacantunit"
        )
        cursor.execute("SELECT COUNT(*) FROM vacant_vacantunit")
        count = cursor.fetchone()[0]
    log(f"seeded {count} vacant units over {len(communities)} communities")
    _SEEDED["ctx"] = {"communities": communities, "today": timezone.localdate(), "added": {}}
    return _SEEDED["ctx"]  # type: ignore[no-any-return]


def _register(communities: list[int], user: int) -> None:
    """Every unit in the register, vacant since a day of the last 60."""
    from django.db import connection
    from django.utils import timezone

    today = timezone.localdate()
    pg = connection.vendor == "postgresql"
    # Vacant since a day of the last 60, spread over the units: every interval's phase occurs.
    since = (
        "(CAST(%s AS date) - CAST(u.id %% 60 AS integer))"
        if pg
        else "date(%s, '-' || (u.id %% 60) || ' days')"
    )
    sql = f"""
        INSERT INTO vacant_vacantunit (created_at, updated_at, community_id, unit_id, category,
            source, since, water, power, notes, requested_by, authorisation,
            authorisation_name, entry_scope, liability_waiver, status, exit_reason,
            registered_by_id)
        SELECT %s, %s, u.community_id, u.id, 'unoccupied', 'unit_status', {since}, 'off', 'off',
            '', '', '', '', '', FALSE, 'vacant', '', %s
        FROM estates_unit u WHERE u.community_id IN ({", ".join(map(str, communities))})
    """
    now = timezone.now()
    stamp = now if pg else connection.ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        cursor.execute(sql, [stamp, stamp, today.isoformat(), user])


def _generate(ctx: dict[str, Any], i: int) -> object:
    from guanjia.core.models import Community
    from guanjia.vacant.services import generate_tasks

    added = 0
    for community in Community.objects.filter(pk__in=ctx["communities"]).order_by("pk"):
        added += generate_tasks(community=community, by=None, start=ctx["today"])
    ctx["added"].setdefault("first", added)
    ctx["added"]["last"] = added
    log(f"run {i}: {added} tasks added")
    return added


def _generate_raw(ctx: dict[str, Any], i: int) -> object:
    """The read the plan starts from, in SQL: every open register line of each community."""
    from django.db import connection

    with connection.cursor() as cursor:
        for community in ctx["communities"]:
            cursor.execute(
                "SELECT id, unit_id, since FROM vacant_vacantunit "
                "WHERE community_id = %s AND status = 'vacant'",
                [community],
            )
            cursor.fetchall()
    return None


def _regenerate(ctx: dict[str, Any], i: int) -> object:
    added = _generate(ctx, i)
    if added:
        raise AssertionError(f"a second run added {added} tasks")
    return added


BENCHMARKS = [
    Benchmark(
        name="vacant.schedule_100k",
        seed=_seed,
        run=_generate,
        raw=_generate_raw,
        n=UNITS,
        repeat=1,
        warmup=0,
        stat="max",
        target=30_000.0,
        description="planning a month of care tasks (inspect, ventilate, clean) for 100,000 "
        "vacant units in 100 communities",
    ),
    Benchmark(
        name="vacant.reschedule_100k",
        seed=_seed,
        run=_regenerate,
        raw=_generate_raw,
        n=UNITS,
        repeat=1,
        warmup=0,
        stat="max",
        target=30_000.0,
        description="the same month again: it adds nothing (fails otherwise)",
    ),
]

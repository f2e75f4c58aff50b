"""Zone patrols: a month's patrols for 500 zones of 40 checkpoints each (and the second run
that adds nothing), and the patrol KPIs of a month over 1,000,000 checkpoint results.

The communities, zones, checkpoints and plans are the benchmark's own (10 communities of 50
zones); the KPI patrols, results and findings are written by INSERT … SELECT. See
docs/bench.md and docs/patrols.md.
"""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

from bench.harness import Benchmark

COMMUNITIES = 10
ZONES = 50  # a community: 500 zones in all
CHECKPOINTS = 40  # a zone
KPI_DAYS = 53  # past days of one patrol a zone: 26,500 patrols, about 1,000,000 results
KINDS = ["building", "fire", "lift", "meter", "gate"]


def log(message: str) -> None:
    print(f"bench[patrols]: {message}", file=sys.stderr, flush=True)


_SEEDED: dict[str, Any] = {}


def _seed() -> dict[str, Any]:
    from django.db import connection, transaction
    from django.utils import timezone

    from bench.fixtures_estates import insert
    from guanjia.accounts.models import User
    from guanjia.core.models import Community, Company
    from guanjia.estates.models import Zone
    from guanjia.patrols.models import Checkpoint, PatrolPlan
    from guanjia.patrols.services.plans import next_month

    if "ctx" in _SEEDED:
        return _SEEDED["ctx"]  # type: ignore[no-any-return]
    now = timezone.now()
    month = next_month(timezone.localdate())
    with transaction.atomic():
        company = Company.objects.create(name="巡查基准物业")
        communities = Community.objects.bulk_create(
            Community(company=company, code=f"p{n:03d}", name=f"巡查基准小区{n:03d}")
            for n in range(1, COMMUNITIES + 1)
        )
        manager = User.objects.create(username="bench-patrol-am", company=company)
        zones = Zone.objects.bulk_create(
            Zone(community=c, name=f"{z + 1}区", area_manager=manager)
            for c in communities
            for z in range(ZONES)
        )
        insert(
            "patrols_checkpoint",
            [
                "created_at",
                "updated_at",
                "community_id",
                "zone_id",
                "kind",
                "name",
                "code",
                "label_version",
                "is_active",
            ],
            (
                (
                    now,
                    now,
                    zone.community_id,
                    zone.pk,
                    KINDS[i % len(KINDS)],
                    f"点{i + 1}",
                    f"B{zone.pk:06d}{i:02d}",
                    1,
                    True,
                )
                for zone in zones
                for i in range(CHECKPOINTS)
            ),
        )
        plans = PatrolPlan.objects.bulk_create(
            PatrolPlan(
                community_id=zone.community_id,
                zone=zone,
                month=month,
                per_day=1,
                full_inspection_days=30,
                written_by=manager,
            )
            for zone in zones
        )
        by_zone = {p.zone_id: p.pk for p in plans}
        checkpoints = Checkpoint.objects.values_list("pk", "zone_id").order_by("pk")
        insert(
            "patrols_planstop",
            ["plan_id", "checkpoint_id", "position"],
            ((by_zone[zone], pk, pk % 1000) for pk, zone in checkpoints),
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    log(f"seeded {len(zones)} zones, {len(zones) * CHECKPOINTS} checkpoints, their plans")
    ctx = {
        "communities": [c.pk for c in communities],
        "month": month,
        "created": {},
        "zones": [z.pk for z in zones],
        "manager": manager.pk,
    }
    _SEEDED["ctx"] = ctx
    return ctx


def _generate(ctx: dict[str, Any], i: int) -> object:
    from guanjia.core.models import Community
    from guanjia.patrols.services import generate_month

    created = 0
    for community in Community.objects.filter(pk__in=ctx["communities"]).order_by("pk"):
        created += generate_month(community=community, month=ctx["month"], by=None)
    ctx["created"].setdefault("first", created)
    log(f"run {i}: {created} patrols created")
    return created


def _generate_raw(ctx: dict[str, Any], i: int) -> object:
    """The reads generation starts from, in SQL: the month's plans and their stops."""
    from django.db import connection

    with connection.cursor() as cursor:
        for community in ctx["communities"]:
            cursor.execute(
                "SELECT id, zone_id, per_day FROM patrols_patrolplan "
                "WHERE community_id = %s AND month = %s",
                [community, ctx["month"]],
            )
            cursor.fetchall()
            cursor.execute(
                "SELECT zone_id, day, round FROM patrols_patrol WHERE community_id = %s "
                "AND day >= %s",
                [community, ctx["month"]],
            )
            cursor.fetchall()
    return None


def _regenerate(ctx: dict[str, Any], i: int) -> object:
    created = _generate(ctx, i)
    if created:
        raise AssertionError(f"a second run created {created} patrols")
    return created


# --- patrols.kpis_1m -----------------------------------------------------------------------


def _seed_kpis() -> dict[str, Any]:
    from django.db import connection, transaction

    ctx = _seed()
    if "kpi" in ctx:
        return ctx
    pg = connection.vendor == "postgresql"
    first_zone, last_zone = min(ctx["zones"]), max(ctx["zones"])
    days = (
        f"(SELECT g AS d FROM generate_series(1, {KPI_DAYS}) AS g) s"
        if pg
        else "(WITH RECURSIVE s(d) AS (SELECT 1 UNION ALL SELECT d + 1 FROM s "
        f"WHERE d < {KPI_DAYS}) SELECT d FROM s) s"
    )
    day = "(DATE '2026-01-01' + s.d)" if pg else "date('2026-01-01', '+' || s.d || ' days')"
    now = "CURRENT_TIMESTAMP"
    status = "CASE WHEN (z.id + s.d) % 10 = 0 THEN 'missed' ELSE 'done' END"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO patrols_patrol (created_at, updated_at, community_id, zone_id,
                    kind, day, round, patroller_id, full_buildings, reason, status,
                    missed_reason, remarks)
                SELECT {now}, {now}, z.community_id, z.id, 'routine', {day}, 1, {ctx["manager"]},
                    '[]', '', {status}, '', ''
                FROM estates_zone z CROSS JOIN {days}
                WHERE z.id BETWEEN {first_zone} AND {last_zone}"""
        )
        cursor.execute(
            f"""INSERT INTO patrols_checkpointresult (community_id, patrol_id, checkpoint_id,
                    zone_id, day, scanned_at, typed, issues)
                SELECT p.community_id, p.id, c.id, p.zone_id, p.day, {now}, FALSE,
                    CASE WHEN (p.id + c.id) % 20 = 0 THEN 1 ELSE 0 END
                FROM patrols_patrol p JOIN patrols_checkpoint c ON c.zone_id = p.zone_id
                WHERE p.plan_id IS NULL AND (p.status = 'done' OR p.id % 2 = 0)"""
        )
        closed = "(f.day + 3)" if pg else "date(f.day, '+3 days')"
        cursor.execute(
            f"""INSERT INTO patrols_finding (created_at, updated_at, community_id, patrol_id,
                    zone_id, checkpoint_id, origin, location, description, found_on,
                    found_by_id, status, action_kind, action_ref, closed_on)
                SELECT {now}, {now}, f.community_id, f.patrol_id, f.zone_id, f.checkpoint_id,
                    'patrol', '', '问题', f.day, {ctx["manager"]},
                    CASE WHEN f.id % 3 = 0 THEN 'open' ELSE 'closed' END, '', '',
                    CASE WHEN f.id % 3 = 0 THEN NULL ELSE {closed} END
                FROM patrols_checkpointresult f WHERE f.issues > 0"""
        )
        cursor.execute("SELECT COUNT(*) FROM patrols_checkpointresult")
        results = cursor.fetchone()[0]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    log(f"seeded {results} checkpoint results")
    ctx["kpi"] = ctx["communities"]
    return ctx


def _period(i: int) -> tuple[dt.date, dt.date]:
    start = dt.date(2026, 1, 1) + dt.timedelta(days=(i % 3) * 15)
    return start, start + dt.timedelta(days=30)


def _kpis(ctx: dict[str, Any], i: int) -> object:
    from guanjia.core.models import Community
    from guanjia.patrols.kpis import patrol_kpis

    community = Community.objects.get(pk=ctx["kpi"][i % COMMUNITIES])
    start, end = _period(i)
    return patrol_kpis(community, start, end, by="zone" if i % 2 else "patroller")


def _kpis_raw(ctx: dict[str, Any], i: int) -> object:
    from django.db import connection

    community = ctx["kpi"][i % COMMUNITIES]
    start, end = _period(i)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT zone_id, COUNT(*), SUM(CASE WHEN status = 'done' THEN 1 ELSE 0 END) "
            "FROM patrols_patrol WHERE community_id = %s AND day >= %s AND day <= %s "
            "GROUP BY zone_id",
            [community, start, end],
        )
        cursor.fetchall()
        cursor.execute(
            "SELECT zone_id, COUNT(*), SUM(CASE WHEN status = 'closed' THEN 1 ELSE 0 END) "
            "FROM patrols_finding WHERE community_id = %s AND found_on >= %s "
            "AND found_on <= %s GROUP BY zone_id",
            [community, start, end],
        )
        return cursor.fetchall()


BENCHMARKS = [
    Benchmark(
        name="patrols.generate_month",
        seed=_seed,
        run=_generate,
        raw=_generate_raw,
        n=ZONES * COMMUNITIES,
        repeat=1,
        warmup=0,
        stat="max",
        target=10_000.0,
        description="a month's planned patrols of 500 zones with 40 checkpoints each",
    ),
    Benchmark(
        name="patrols.regenerate_month",
        seed=_seed,
        run=_regenerate,
        raw=_generate_raw,
        n=ZONES * COMMUNITIES,
        repeat=1,
        warmup=0,
        stat="max",
        target=10_000.0,
        description="the same month again: it adds nothing (fails otherwise)",
    ),
    Benchmark(
        name="patrols.kpis_1m",
        seed=_seed_kpis,
        run=_kpis,
        raw=_kpis_raw,
        n=30,
        stat="p95",
        target=500.0,
        description="one community's patrol KPIs of a month over 1,000,000 checkpoint results",
    ),
]

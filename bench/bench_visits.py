"""Follow-up visits: a month's generation for 100,000 closed tickets of 50,000 households (and
the second run that adds nothing), and the visit KPIs of a month over 1,000,000 visits.

The households are the estates fixture's units (50 communities of 1,000); the tickets are
verified repair orders written by COPY / multi-row inserts, the visits of the KPI benchmark by
INSERT … SELECT over a generated series. See docs/bench.md and docs/visits.md.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from typing import Any

from bench.harness import Benchmark

# BENCH_VISITS_SCALE (default 1) shrinks the tickets, the visits and the communities for a
# quick run on a shared machine (e.g. 0.01: 1,000 tickets of one community, 10,000 visits);
# the targets are for 1.
SCALE = float(os.environ.get("BENCH_VISITS_SCALE", "1"))
COMMUNITIES = max(1, round(50 * SCALE))  # of the estates fixture: 50 x 1,000 units
TICKETS = max(100, round(100_000 * SCALE))
VISITS = max(1000, round(1_000_000 * SCALE))
KPI_COMMUNITIES = max(1, min(10, COMMUNITIES))


def log(message: str) -> None:
    print(f"bench[visits]: {message}", file=sys.stderr, flush=True)


_SEEDED: dict[str, Any] = {}


def _seed() -> dict[str, Any]:
    from django.db import connection, transaction
    from django.utils import timezone

    from bench.fixtures_estates import seed_estates

    if "ctx" in _SEEDED:
        return _SEEDED["ctx"]  # type: ignore[no-any-return]
    estates = seed_estates()
    communities = estates.community_ids[:COMMUNITIES]
    now = timezone.now()
    with transaction.atomic():
        _repairs(communities, now)
        _routine_plans(communities, now)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE tickets_repairorder")
    log(f"seeded {TICKETS} verified repairs over {len(communities)} communities")
    _SEEDED["ctx"] = {"communities": communities, "now": now, "created": {}}
    return _SEEDED["ctx"]  # type: ignore[no-any-return]


def _routine_plans(communities: list[int], now: dt.datetime) -> None:
    """A routine plan for every zone this year, the earlier months' share already visited (so
    the run plans this month's share of the 50,000 households, as in production)."""
    import math

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from guanjia.estates.models import Unit, Zone
    from guanjia.visits.models import RoutinePlan, Visit

    user, _created = get_user_model().objects.get_or_create(username="bench-visits")
    today = timezone.localdate(now)
    past = today.replace(day=1) - dt.timedelta(days=20)
    made_at = now - dt.timedelta(days=40)
    for zone in Zone.objects.filter(community_id__in=communities).order_by("pk"):
        plan = RoutinePlan.objects.create(
            community_id=zone.community_id, zone=zone, year=today.year, created_by=user
        )
        units = list(
            Unit.objects.filter(building__zone=zone)
            .order_by("sort_key", "pk")
            .values_list("pk", flat=True)
        )
        earlier = math.ceil(len(units) * (today.month - 1) / 12)
        Visit.objects.bulk_create(
            (
                Visit(
                    community_id=zone.community_id,
                    kind="routine",
                    plan=plan,
                    unit_id=unit,
                    source_done_at=made_at,
                    due_on=past,
                    status="done",
                    method="phone",
                    visited_at=made_at,
                    visited_on=past,
                    satisfaction="satisfied",
                )
                for unit in units[:earlier]
            ),
            batch_size=2000,
        )
    log("seeded a routine plan per zone with the earlier months visited")


def _repairs(communities: list[int], now: dt.datetime) -> None:
    from django.db import connection

    from bench.fixtures_estates import insert

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, community_id FROM estates_unit WHERE community_id IN "
            f"({', '.join(str(c) for c in communities)}) ORDER BY id"
        )
        units = cursor.fetchall()
    columns = [
        "created_at",
        "updated_at",
        "community_id",
        "number",
        "unit_id",
        "location",
        "place",
        "category",
        "urgency",
        "warranty",
        "is_paid",
        "description",
        "status",
        "registered_at",
        "arrive_due",
        "quote_status",
        "fault",
        "work_done",
        "materials",
        "signature",
        "verified_at",
        "completed_at",
        "is_satisfied",
    ]

    def rows() -> Any:
        for i in range(TICKETS):
            unit, community = units[(i * 7) % len(units)]
            done = now - dt.timedelta(minutes=(i * 37) % (28 * 24 * 60) + 60)
            start = done - dt.timedelta(hours=5)
            yield (
                start,
                done,
                community,
                f"WX-V{i}",
                unit,
                "home",
                "",
                "plumbing",
                "ordinary",
                "none",
                False,
                "漏水",
                "verified",
                start,
                start + dt.timedelta(hours=1),
                "",
                "接头老化",
                "更换",
                "",
                "",
                done,
                done - dt.timedelta(hours=1),
                True,
            )

    insert(
        "tickets_repairorder",
        columns,
        _adapt(rows()) if connection.vendor != "postgresql" else rows(),
    )


def _adapt(rows: Any) -> Any:
    """SQLite takes datetimes as text in the database's format."""
    from django.db import connection

    adapt = connection.ops.adapt_datetimefield_value
    for row in rows:
        yield tuple(adapt(v) if isinstance(v, dt.datetime) else v for v in row)


# --- visits.generate_month ----------------------------------------------------------------------


def _generate(ctx: dict[str, Any], i: int) -> object:
    from guanjia.core.models import Community
    from guanjia.visits.services import generate_for_community

    created = 0
    for community in Community.objects.filter(pk__in=ctx["communities"]).order_by("pk"):
        created += sum(generate_for_community(community, now=ctx["now"]).values())
    ctx["created"].setdefault("first", created)
    ctx["created"]["last"] = created
    log(f"run {i}: {created} visits created")
    return created


def _generate_raw(ctx: dict[str, Any], i: int) -> object:
    """The reads the rules start from, in SQL: the month's verified repairs and the visits
    they already have (the sampling and the inserts are the application's alone)."""
    from django.db import connection

    since = ctx["now"] - dt.timedelta(days=31)
    with connection.cursor() as cursor:
        for community in ctx["communities"]:
            cursor.execute(
                "SELECT id, verified_at, rework_of_id, technician_id, unit_id "
                "FROM tickets_repairorder WHERE community_id = %s AND status = 'verified' "
                "AND verified_at >= %s",
                [community, since],
            )
            cursor.fetchall()
            cursor.execute(
                "SELECT repair_id, source_done_at FROM visits_visit WHERE community_id = %s "
                "AND source_done_at >= %s AND repair_id IS NOT NULL",
                [community, since],
            )
            cursor.fetchall()
    return None


def _regenerate(ctx: dict[str, Any], i: int) -> object:
    created = _generate(ctx, i)
    if created:
        raise AssertionError(f"a second run created {created} visits")
    return created


# --- visits.kpis_1m -------------------------------------------------------------------------


def _seed_kpis() -> dict[str, Any]:
    from django.db import connection, transaction

    ctx = _seed()
    if "kpi" in ctx:
        return ctx
    communities = ctx["communities"][-KPI_COMMUNITIES:]
    first = min(communities)
    pg = connection.vendor == "postgresql"
    series = (
        f"(SELECT g AS i FROM generate_series(1, {VISITS}) AS g) s"
        if pg
        else f"(WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {VISITS})"
        " SELECT i FROM s) s"
    )
    day = (
        "(DATE '2026-01-01' + (i % 365))"
        if pg
        else "date('2026-01-01', '+' || (i % 365) || ' days')"
    )
    late = (
        "(DATE '2026-01-01' + (i % 365) + (i % 7) - 2)"
        if pg
        else ("date('2026-01-01', '+' || ((i % 365) + (i % 7) - 2) || ' days')")
    )
    ts = (
        "(TIMESTAMPTZ '2026-01-01 00:00:00+08' + (i % 365) * INTERVAL '1 day')"
        if pg
        else ("datetime('2026-01-01', '+' || (i % 365) || ' days')")
    )
    kind = (
        "CASE i % 4 WHEN 0 THEN 'complaint' WHEN 1 THEN 'repair' WHEN 2 THEN 'rework' "
        "ELSE 'help' END"
    )
    answer = (
        "CASE i % 10 WHEN 0 THEN 'dissatisfied' WHEN 1 THEN 'fairly' WHEN 2 THEN '' "
        "ELSE 'satisfied' END"
    )
    status = "CASE i % 10 WHEN 0 THEN 'escalated' WHEN 2 THEN 'due' ELSE 'done' END"
    visited = f"CASE WHEN i % 10 = 2 THEN NULL ELSE {late} END"
    visited_at = f"CASE WHEN i % 10 = 2 THEN NULL ELSE {ts} END"
    sql = f"""
        INSERT INTO visits_visit (created_at, updated_at, community_id, kind, source_done_at,
            round, person_name, phone, by_director, due_on, status, method, visited_at,
            visited_on, quality, timeliness, attitude, conduct, satisfaction, comments,
            signature, review_note, purpose)
        SELECT {ts}, {ts}, {first} + (i % {KPI_COMMUNITIES}), {kind}, {ts}, 1, '', '', FALSE,
            {day}, {status}, 'phone', {visited_at}, {visited}, {answer}, {answer}, {answer},
            {answer}, {answer}, '', '', '', ''
        FROM {series}
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE visits_visit" if pg else "ANALYZE")
    log(f"seeded {VISITS} visits over {KPI_COMMUNITIES} communities")
    ctx["kpi"] = communities
    return ctx


def _kpis(ctx: dict[str, Any], i: int) -> object:
    from guanjia.core.models import Community
    from guanjia.visits.selectors import visit_kpis

    community = Community(pk=ctx["kpi"][i % KPI_COMMUNITIES])
    month = 1 + i % 12
    start = dt.date(2026, month, 1)
    end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return visit_kpis(community=community, start=start, end=end)


def _kpis_raw(ctx: dict[str, Any], i: int) -> object:
    from django.db import connection

    community = ctx["kpi"][i % KPI_COMMUNITIES]
    month = 1 + i % 12
    start = dt.date(2026, month, 1)
    end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT kind, COUNT(*), "
            "SUM(CASE WHEN visited_on IS NOT NULL OR status = 'unreachable' THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN satisfaction <> '' THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN visited_on <= due_on THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN satisfaction = 'satisfied' THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN satisfaction = 'fairly' THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN satisfaction = 'dissatisfied' THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN satisfaction = 'dissatisfied' AND (complaint_id IS NOT NULL OR "
            "new_complaint_id IS NOT NULL) THEN 1 ELSE 0 END) "
            "FROM visits_visit WHERE community_id = %s AND due_on >= %s AND due_on <= %s "
            "GROUP BY kind",
            [community, start, end],
        )
        return cursor.fetchall()


BENCHMARKS = [
    Benchmark(
        name="visits.generate_month",
        seed=_seed,
        run=_generate,
        raw=_generate_raw,
        n=TICKETS,
        repeat=1,
        warmup=0,
        stat="max",
        target=30_000.0,
        description="generating the visits a month owes for 100,000 verified repairs of "
        "50,000 households in 50 communities (30 % sampled) and this month's routine visits "
        "of each zone's yearly plan",
    ),
    Benchmark(
        name="visits.regenerate_month",
        seed=_seed,
        run=_regenerate,
        raw=_generate_raw,
        n=TICKETS,
        repeat=1,
        warmup=0,
        stat="max",
        target=30_000.0,
        description="the same month again: it adds nothing (fails otherwise)",
    ),
    Benchmark(
        name="visits.kpis_1m",
        seed=_seed_kpis,
        run=_kpis,
        raw=_kpis_raw,
        n=50,
        stat="p95",
        target=500.0,
        description="one community's visit KPIs of a month over 1,000,000 visits",
    ),
]

"""Vacant units: a month's care tasks for 100,000 vacant units (the estates fixture's 100
communities of 1,000 units, every unit in the register), and the second run that adds
nothing. The register rows are written by INSERT … SELECT; the tasks by the application's
`generate_tasks` (one INSERT … SELECT over generate_series per community on PostgreSQL).
See docs/bench.md and docs/vacant-units.md.
"""

from __future__ import annotations

import sys
from typing import Any

from bench.harness import Benchmark

UNITS = 100_000


def log(message: str) -> None:
    print(f"bench[vacant]: {message}", file=sys.stderr, flush=True)


_SEEDED: dict[str, Any] = {}


def _seed() -> dict[str, Any]:
    from django.db import connection, transaction
    from django.utils import timezone

    from bench.fixtures_estates import seed_estates

    if "ctx" in _SEEDED:
        return _SEEDED["ctx"]  # type: ignore[no-any-return]
    estates = seed_estates()
    today = timezone.localdate()
    pg = connection.vendor == "postgresql"
    # Vacant since a day of the last 60, spread over the units: every interval's phase occurs.
    since = "(CAST(%s AS date) - (u.id % 60))" if pg else "date(%s, '-' || (u.id % 60) || ' days')"
    user = "(SELECT MIN(id) FROM accounts_user)"
    sql = f"""
        INSERT INTO vacant_vacantunit (created_at, updated_at, community_id, unit_id, category,
            source, since, water, power, notes, requested_by, authorisation,
            authorisation_name, entry_scope, liability_waiver, status, exit_reason,
            registered_by_id)
        SELECT %s, %s, u.community_id, u.id, 'unoccupied', 'unit_status', {since}, 'off', 'off',
            '', '', '', '', '', FALSE, 'vacant', '', {user}
        FROM estates_unit u ORDER BY u.id LIMIT {UNITS}
    """
    now = timezone.now()
    stamp = now if pg else connection.ops.adapt_datetimefield_value(now)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [stamp, stamp, today.isoformat()])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE vacant_vacantunit" if pg else "ANALYZE")
        cursor.execute("SELECT COUNT(*) FROM vacant_vacantunit")
        count = cursor.fetchone()[0]
    log(f"seeded {count} vacant units over {len(estates.community_ids)} communities")
    _SEEDED["ctx"] = {"communities": estates.community_ids, "today": today, "added": {}}
    return _SEEDED["ctx"]  # type: ignore[no-any-return]


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

"""Tickets: one community's first list page with 1,000,000 repair orders stored, the SLA sweep
over 100,000 open tickets, and a month's KPI summary over 1,000,000 tickets.

Seeding is bulk SQL (INSERT … SELECT over a generated series), so that a million rows take
seconds; each benchmark times the application's code beside the plain SQL of the same reads.
See docs/bench.md and docs/service-desk.md.
"""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

from bench.harness import Benchmark

COMMUNITIES = 10
TOTAL = 1_000_000
OPEN = 100_000  # the newest rows are open; the others verified
PAGE = 25
BEIJING = dt.timezone(dt.timedelta(hours=8))


def log(message: str) -> None:
    print(f"bench[tickets]: {message}", file=sys.stderr, flush=True)


def _series(n: int) -> str:
    from django.db import connection

    if connection.vendor == "postgresql":
        return f"(SELECT g AS i FROM generate_series(1, {n}) AS g) s"
    return (
        f"(WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {n}) "
        "SELECT i FROM s) s"
    )


def _ts(seconds_sql: str) -> str:
    """A timestamp `seconds_sql` seconds after 2026-01-01 00:00 UTC, in SQL."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return f"(TIMESTAMPTZ '2026-01-01 00:00:00+00' + ({seconds_sql}) * INTERVAL '1 second')"
    return f"strftime('%Y-%m-%d %H:%M:%S', '2026-01-01', '+' || ({seconds_sql}) || ' seconds')"


_SEEDED: dict[str, Any] = {}


def _seed() -> Any:
    """Seed once per database; the three benchmarks share the million rows."""
    from django.db import transaction

    if "ctx" not in _SEEDED:
        with transaction.atomic():
            _SEEDED["ctx"] = _build()
        _vacuum()
    return _SEEDED["ctx"]


def _vacuum() -> None:
    """What autovacuum does on a live PostgreSQL after a bulk load: the visibility map lets
    counts use index-only scans. SQLite has no such step."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE tickets_repairorder")


def _build() -> dict[str, Any]:
    from django.contrib.auth.models import Group
    from django.db import connection, transaction

    from guanjia.accounts.models import Membership, User
    from guanjia.accounts.services import sync_roles
    from guanjia.core.models import Community, Company

    sync_roles()
    company = Company.objects.create(name="Bench company")
    communities = [
        Community.objects.create(company=company, code=f"b{i}", name=f"Bench {i}")
        for i in range(COMMUNITIES)
    ]
    first = communities[0].pk
    supervisor = Group.objects.get(name="supervisor")
    for c in communities:
        user = User.objects.create(username=f"sup{c.pk}", company=company)
        Membership.objects.create(user=user, role=supervisor, community=c,
                                  starts_on=dt.date(2025, 1, 1))  # fmt: skip
    # Minute i of 2026 for row i (1M minutes ≈ 694 days: open rows are the newest 100,000).
    open_from = TOTAL - OPEN
    status = f"CASE WHEN i > {open_from} THEN 'dispatched' ELSE 'verified' END"
    done = f"CASE WHEN i > {open_from} THEN NULL ELSE {_ts('i * 30 + 3600')} END"
    met = f"CASE WHEN i > {open_from} THEN NULL ELSE (i % 50 <> 0) END"
    urg = "CASE i % 3 WHEN 0 THEN 'emergency' ELSE 'ordinary' END"
    cat = (
        "CASE i % 4 WHEN 0 THEN 'plumbing' WHEN 1 THEN 'electrical' "
        "WHEN 2 THEN 'doors' ELSE 'other' END"
    )
    # Open rows' arrival falls due through the benchmark window around NOW.
    sql = f"""
        INSERT INTO tickets_repairorder (created_at, updated_at, community_id, number, location,
            place, category, urgency, warranty, is_paid, description, status, registered_at,
            arrive_due, arrived_at, arrive_met, complete_due, completed_at, complete_met,
            quote_status, fault, work_done, materials, signature)
        SELECT {_ts("i * 30")}, {_ts("i * 30")}, {first} + (i % {COMMUNITIES}),
            'WX-' || i, 'home', '', {cat}, {urg}, 'none', FALSE, '漏水', {status},
            {_ts("i * 30")}, {_ts("i * 30 + 1800")}, {done}, {met},
            {_ts("i * 30 + 172800")}, {done}, {met}, '', '', '', '', ''
        FROM {_series(TOTAL)}
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    with connection.cursor() as cursor:
        cursor.execute(
            "ANALYZE" if connection.vendor == "sqlite" else "ANALYZE tickets_repairorder"
        )
    last_open = _last_open_due()
    log(f"seeded {TOTAL} repair orders; open arrivals due until {last_open}")
    return {"community": communities[0], "communities": communities, "last": last_open}


def _last_open_due() -> dt.datetime:
    from django.db.models import Max

    from guanjia.tickets.models import RepairOrder

    return RepairOrder.objects.filter(status="dispatched").aggregate(m=Max("arrive_due"))["m"]


# --- tickets.list_1m ----------------------------------------------------------------------

FILTERS = [{"status": "dispatched"}, {"urgency": "emergency"}, {"category": "plumbing"},
           {"overdue": "true"}, {"q": "WX-99"}]  # fmt: skip


def _list_app(ctx: dict[str, Any], i: int) -> object:
    from django.core.paginator import Paginator

    from guanjia.tickets.filters import RepairFilter
    from guanjia.tickets.models import RepairOrder

    c = ctx["community"]
    qs = RepairOrder.objects.filter(community=c).select_related("unit", "technician")
    flt = RepairFilter(FILTERS[i % len(FILTERS)], queryset=qs, community=c)
    page = Paginator(flt.qs, PAGE).get_page(1)
    return list(page)


RAW_WHERE = {
    "status": "status = %s",
    "urgency": "urgency = %s",
    "category": "category = %s",
    "overdue": (
        "((arrive_due < %s AND arrived_at IS NULL) OR (complete_due < %s AND "
        "completed_at IS NULL)) AND status NOT IN ('verified', 'cancelled')"
    ),
    "q": "(number LIKE %s OR description LIKE %s)",
}


def _list_raw(ctx: dict[str, Any], i: int) -> object:
    from django.db import connection
    from django.utils import timezone

    key, value = next(iter(FILTERS[i % len(FILTERS)].items()))
    where = RAW_WHERE[key]
    now = timezone.now()
    params: list[Any] = {
        "overdue": [now, now], "q": [f"%{value}%", f"%{value}%"],
    }.get(key, [value])  # fmt: skip
    base = f"FROM tickets_repairorder WHERE community_id = %s AND {where}"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) {base}", [ctx["community"].pk, *params])
        cursor.fetchone()
        cursor.execute(
            f"SELECT * {base} ORDER BY id DESC LIMIT {PAGE}", [ctx["community"].pk, *params]
        )
        return cursor.fetchall()


# --- tickets.sla_sweep_100k ---------------------------------------------------------------


def _sweep_app(ctx: dict[str, Any], i: int) -> object:
    from guanjia.tickets.services import sweep_deadlines

    # Each call is 10 minutes later than the last: new arrivals fall due, as every 5 minutes.
    return sweep_deadlines(now=ctx["last"] - dt.timedelta(days=30) + dt.timedelta(minutes=10 * i))


def _sweep_raw(ctx: dict[str, Any], i: int) -> object:
    from django.db import connection

    now = ctx["last"] - dt.timedelta(days=30) + dt.timedelta(minutes=10 * i)
    with connection.cursor() as cursor:
        for column, done in (("arrive_due", "arrived_at"), ("complete_due", "completed_at")):
            cursor.execute(
                f"SELECT id FROM tickets_repairorder WHERE {column} <= %s AND {done} IS NULL "
                "AND status NOT IN ('cancelled', 'waiting_parts', 'no_access', 'quoted')",
                [now + dt.timedelta(days=1)],
            )
            cursor.fetchall()
    return None


# --- tickets.kpi_month_1m -----------------------------------------------------------------


def _kpi_app(ctx: dict[str, Any], i: int) -> object:
    from guanjia.tickets.selectors import complaint_kpis, desk_kpis, repair_kpis

    c = ctx["communities"][i % COMMUNITIES]
    args = {"community": c, "start": dt.date(2026, 5, 1), "end": dt.date(2026, 5, 31)}
    return repair_kpis(**args), complaint_kpis(**args), desk_kpis(**args)


def _kpi_raw(ctx: dict[str, Any], i: int) -> object:
    from django.db import connection

    c = ctx["communities"][i % COMMUNITIES]
    start = dt.datetime(2026, 5, 1, tzinfo=BEIJING)
    end = dt.datetime(2026, 6, 1, tzinfo=BEIJING)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*), COUNT(completed_at), COUNT(arrived_at), "
            "SUM(CASE WHEN arrive_met THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN complete_met THEN 1 ELSE 0 END) FROM tickets_repairorder "
            "WHERE community_id = %s AND registered_at >= %s AND registered_at < %s "
            "AND status <> 'cancelled'",
            [c.pk, start, end],
        )
        return cursor.fetchone()


BENCHMARKS = [
    Benchmark(
        name="tickets.list_1m",
        seed=_seed,
        run=_list_app,
        raw=_list_raw,
        n=100,
        target=100.0,
        stat="p95",
        description="first page (25 rows and the count) of one community's repair list with "
        "one filter, 1,000,000 orders stored in 10 communities",
    ),
    Benchmark(
        name="tickets.sla_sweep_100k",
        seed=_seed,
        run=_sweep_app,
        raw=_sweep_raw,
        n=OPEN,
        repeat=5,
        warmup=1,
        stat="median",
        target=5000.0,
        description="one SLA sweep (warnings, breaches, escalation) over 100,000 open tickets",
    ),
    Benchmark(
        name="tickets.kpi_month_1m",
        seed=_seed,
        run=_kpi_app,
        raw=_kpi_raw,
        n=20,
        stat="p95",
        target=500.0,
        description="a month's KPI summary of one community over 1,000,000 tickets",
    ),
]

"""Billing: a run over 100,000 units (one and three fee items), the same run again, and
arrears over 1,000,000 and 10,000,000 ledger lines, beside the plain SQL of the same work.

The seed builds one community of 100,000 units (INSERT ... SELECT over a generated series:
`generate_series` on PostgreSQL, a recursive CTE on SQLite), three fee items with a
building-area standard each, and the ledger lines the arrears benchmarks read. On SQLite the
arrears_10m ledger is scaled down to 1,000,000 lines (see its `n`); PostgreSQL seeds all
10,000,000 with one INSERT ... SELECT generate_series.
"""

from __future__ import annotations

import datetime as dt
import os
import resource
import sys
import time
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from bench.harness import Benchmark

UNITS = 100_000
LINES_1M = 1_000_000
LINES_10M = int(os.environ.get("BENCH_BILLING_10M", "10000000"))


def _ledger_lines() -> int:
    """10M on PostgreSQL; SQLite is scaled down to 1M (its JSON line says so in `n`)."""
    from django.db import connection

    return LINES_10M if connection.vendor == "postgresql" else LINES_1M


PEAK_RSS_MB = 500


def log(message: str) -> None:
    print(f"bench[billing]: {message}", file=sys.stderr, flush=True)


@dataclass
class BillingFixture:
    community: Any
    user: Any
    items: list[Any]
    other_communities: list[int]
    ledger_lines: int
    months_used: set[str] = field(default_factory=set)


_SEEDED: dict[str, BillingFixture] = {}


def _series(n: int) -> str:
    """SQL of a table `s(i)` holding 1..n."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return f"(SELECT generate_series(1, {int(n)}) AS i) s"
    return (
        f"(WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < {int(n)}) "
        "SELECT i FROM g) s"
    )


def _execute(sql: str, params: list[Any] | None = None) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return int(cursor.rowcount)


def _now() -> Any:
    from django.db import connection
    from django.utils import timezone

    now = timezone.now()
    return (
        now if connection.vendor == "postgresql" else connection.ops.adapt_datetimefield_value(now)
    )


def _structure() -> tuple[Any, Any, Any, list[int]]:
    from guanjia.accounts.models import User
    from guanjia.core.models import Community, Company
    from guanjia.estates.models import Building, Zone

    company = Company.objects.create(name="账单基准物业")
    community = Community.objects.create(company=company, code="bill-bench", name="账单基准小区")
    others = [
        Community.objects.create(company=company, code=f"bill-{i}", name=f"基准{i}").pk
        for i in range(9)
    ]
    zone = Zone.objects.create(community=community, name="一区")
    building = Building.objects.create(
        community=community, zone=zone, number="1", floors_above=99, floors_below=0
    )
    user = User.objects.create(username="bill-bench", company=company)
    return community, building, user, others


def _units(community: Any, building: Any) -> None:
    now = _now()
    _execute(
        "INSERT INTO estates_unit (created_at, updated_at, room_number, floor, building_area, "
        "inner_area, kind, layout, status, room_code, note, building_id, community_id) "
        f"SELECT %s, %s, CAST(i AS VARCHAR(10)), 1, 89.50, 72.30, 'flat', '', 'occupied', "
        f"'1-' || CAST(i AS VARCHAR(10)), '', %s, %s FROM {_series(UNITS)}",
        [now, now, building.pk, community.pk],
    )


def _standards(community: Any, user: Any) -> list[Any]:
    from guanjia.billing.models import FeeItem, FeeStandard, FeeStandardVersion

    items = []
    for index, rate in enumerate(["2.50", "0.35", "0.12"]):
        item = FeeItem.objects.create(
            company=community.company,
            code=f"bench{index}",
            name=f"基准费{index}",
            category="service",
        )
        standard = FeeStandard.objects.create(  # approved: runs bill approved standards only
            community=community,
            fee_item=item,
            name=f"基准{index}",
            method="building_area",
            approval_status="approved",
        )
        FeeStandardVersion.objects.create(
            standard=standard,
            rate=Decimal(rate),
            effective_from=dt.date(2000, 1, 1),
            approval_status="approved",
        )
        items.append(item)
    return items


def _ledger(community_ids: list[int], fee_item_id: int, user_id: int, lines: int) -> None:
    """`lines` charge entries spread over the communities' units, months 2001-2010, then the
    balance table rebuilt from them (INSERT ... SELECT ... GROUP BY)."""
    from django.db import connection

    unit_ids = _unit_range()
    first, count = unit_ids
    pg = connection.vendor == "postgresql"
    month = (
        "make_date(2001 + (i %% 120) / 12, 1 + (i %% 120) %% 12, 1)"
        if pg
        else "date('2001-01-01', '+' || (i %% 120) || ' months')"
    )
    community = str(community_ids[0])  # the units' own community: check_ledger stays clean
    if pg:  # the seed's own rows: skip the row-by-row FK triggers of 10M inserts
        _execute("SET LOCAL session_replication_role = replica")
    _execute(
        "INSERT INTO billing_ledgerentry (community_id, unit_id, period, fee_item_id, kind, "
        "bucket, amount, line_no, explanation, bill_ref, memo, created_by_id, created_at) "
        f"SELECT {community}, {first} + (i %% {count}), {month}, %s, 'charge', 'billed', "
        f"10000 + (i %% 5000), 1, '{{}}', '', '', %s, %s FROM {_series(lines)}",
        [fee_item_id, user_id, _now()],
    )
    _execute(
        "INSERT INTO billing_unitbalance (community_id, unit_id, fee_item_id, billed, paid, "
        "waived, written_off, outstanding, prepaid, deposit) "
        "SELECT MIN(community_id), unit_id, fee_item_id, SUM(amount), 0, 0, 0, SUM(amount), 0, 0 "
        "FROM billing_ledgerentry WHERE fee_item_id = %s GROUP BY unit_id, fee_item_id "
        "ON CONFLICT (unit_id, fee_item_id) DO UPDATE SET billed = excluded.billed, "
        "outstanding = excluded.outstanding",
        [fee_item_id],
    )
    if pg:
        _execute("SET LOCAL session_replication_role = DEFAULT")


def _unit_range() -> tuple[int, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT MIN(id), COUNT(*) FROM estates_unit")
        first, count = cursor.fetchone()
    return int(first), int(count)


def seed_billing() -> BillingFixture:
    from django.db import connection, transaction

    if connection.vendor in _SEEDED:
        return _SEEDED[connection.vendor]
    started = time.perf_counter()
    with transaction.atomic():
        community, building, user, others = _structure()
        _units(community, building)
        items = _standards(community, user)
    from guanjia.billing.models import FeeItem

    arrears_item = FeeItem.objects.create(
        company=community.company, code="bench-arrears", name="欠费基准", category="service"
    )
    lines = _ledger_lines()
    with transaction.atomic():
        _ledger([community.pk, *others], arrears_item.pk, user.pk, lines)
    if connection.vendor == "postgresql":
        _execute("ANALYZE")
    log(f"seeded {UNITS} units and {lines} ledger lines in {time.perf_counter() - started:.1f} s")
    fixture = BillingFixture(community, user, items, others, lines)
    _SEEDED[connection.vendor] = fixture
    return fixture


# --- Runs -----------------------------------------------------------------------------------


def _month(i: int, base: int) -> dt.date:
    index = base + i
    return dt.date(2011 + index // 12, index % 12 + 1, 1)


def _post(fixture: BillingFixture, items: list[Any], period: dt.date) -> int:
    from guanjia.billing.services import post_run

    added = 0
    for item in items:
        added += post_run(
            community=fixture.community, period=period, fee_item=item, by=fixture.user
        ).added
    return added


def _raw_run(fixture: BillingFixture, items: list[Any], period: dt.date) -> None:
    """The same lines in plain SQL: one INSERT ... SELECT per fee item and the balance
    upsert, in one transaction."""
    from django.db import transaction

    with transaction.atomic():
        for item in items:
            _execute(
                "INSERT INTO billing_ledgerentry (community_id, unit_id, period, fee_item_id, "
                "kind, bucket, amount, line_no, explanation, bill_ref, memo, created_by_id, "
                "created_at) SELECT u.community_id, u.id, %s, %s, 'charge', 'billed', "
                "CAST(ROUND(u.building_area * 250) AS BIGINT), 1, '{}', 'raw', '', %s, %s "
                "FROM estates_unit u WHERE u.community_id = %s",
                [period, item.pk, fixture.user.pk, _now(), fixture.community.pk],
            )
            _execute(
                "INSERT INTO billing_unitbalance (community_id, unit_id, fee_item_id, billed, "
                "paid, waived, written_off, outstanding, prepaid, deposit) "
                "SELECT u.community_id, u.id, %s, CAST(ROUND(u.building_area * 250) AS BIGINT), "
                "0, 0, 0, CAST(ROUND(u.building_area * 250) AS BIGINT), 0, 0 "
                "FROM estates_unit u WHERE u.community_id = %s "
                "ON CONFLICT (unit_id, fee_item_id) DO UPDATE SET "
                "billed = billing_unitbalance.billed + excluded.billed, "
                "outstanding = billing_unitbalance.outstanding + excluded.outstanding",
                [item.pk, fixture.community.pk],
            )


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _run_one(context: BillingFixture, i: int) -> None:
    added = _post(context, context.items[:1], _month(i, 0))
    assert added == UNITS, added


def _run_three(context: BillingFixture, i: int) -> None:
    added = _post(context, context.items, _month(i, 24))
    assert added == 3 * UNITS, added
    assert _peak_rss_mb() <= PEAK_RSS_MB, f"peak RSS {_peak_rss_mb():.0f} MB"


def _rerun(context: BillingFixture, i: int) -> None:
    added = _post(context, context.items[:1], _month(0, 0))
    assert added == 0, added


def _raw_rerun(context: BillingFixture, i: int) -> None:
    """What a rerun must find out in SQL: the units of the month not yet billed (none)."""
    _execute(
        "SELECT u.id FROM estates_unit u WHERE u.community_id = %s AND NOT EXISTS ("
        "SELECT 1 FROM billing_ledgerentry e WHERE e.unit_id = u.id AND e.fee_item_id = %s "
        "AND e.period = %s AND e.kind = 'charge')",
        [context.community.pk, context.items[0].pk, _month(0, 0)],
    )


# --- Arrears ----------------------------------------------------------------------------------


def seed_arrears() -> BillingFixture:
    """The seed, with the balance table as autovacuum leaves it in production: the run
    benchmarks before rewrite its rows (one dead version per unit and run), and the
    development server runs with autovacuum off, so without this the arrears benchmarks
    would measure leftover bloat of other benchmarks (the same for app and raw)."""
    from django.db import connection

    fixture = seed_billing()
    if connection.vendor == "postgresql":
        _execute("VACUUM ANALYZE billing_unitbalance")
    return fixture


def _arrears(context: BillingFixture, i: int) -> None:
    from guanjia.billing.selectors import arrears_by_community, arrears_by_unit

    arrears_by_community([context.community.pk])
    arrears_by_unit(context.community.pk)


def _raw_arrears(context: BillingFixture, i: int) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT community_id, COUNT(DISTINCT unit_id), SUM(outstanding) "
            "FROM billing_unitbalance WHERE outstanding > 0 AND community_id IN (%s) "
            "GROUP BY community_id ORDER BY community_id",
            [context.community.pk],
        )
        cursor.fetchall()
        cursor.execute(
            "SELECT b.unit_id, u.room_code, SUM(b.outstanding) AS t FROM billing_unitbalance b "
            "JOIN estates_unit u ON u.id = b.unit_id WHERE b.community_id = %s "
            "AND b.outstanding > 0 GROUP BY b.unit_id, u.room_code ORDER BY t DESC, b.unit_id "
            "LIMIT 50",
            [context.community.pk],
        )
        cursor.fetchall()


def _company_arrears(context: BillingFixture, i: int) -> None:
    from guanjia.billing.selectors import arrears_by_community

    arrears_by_community()


def _raw_company_arrears(context: BillingFixture, i: int) -> None:
    _execute(
        "SELECT community_id, COUNT(DISTINCT unit_id), SUM(outstanding) FROM billing_unitbalance "
        "WHERE outstanding > 0 GROUP BY community_id ORDER BY community_id"
    )


BENCHMARKS = [
    Benchmark(
        name="billing.run_100k_1item",
        seed=seed_billing,
        run=_run_one,
        raw=lambda c, i: _raw_run(c, c.items[:1], _month(i, 60)),
        n=UNITS,
        repeat=1,
        warmup=0,
        stat="max",
        target=10_000.0,
        max_ratio=4.0,
        description="post_run of one fee item for 100,000 units (a new month each call)",
    ),
    Benchmark(
        name="billing.run_100k_3items",
        seed=seed_billing,
        run=_run_three,
        raw=lambda c, i: _raw_run(c, c.items, _month(i, 84)),
        n=3 * UNITS,
        repeat=1,
        warmup=0,
        stat="max",
        target=30_000.0,
        description="three fee items for 100,000 units; peak RSS at most 500 MB",
    ),
    Benchmark(
        name="billing.rerun_100k",
        seed=seed_billing,
        run=_rerun,
        raw=_raw_rerun,
        n=UNITS,
        repeat=3,
        warmup=0,
        stat="max",
        target=2_000.0,
        description="the first month again: 0 lines added",
    ),
    Benchmark(
        name="billing.arrears_1m",
        seed=seed_arrears,
        run=_arrears,
        raw=_raw_arrears,
        n=LINES_1M,
        repeat=50,
        warmup=3,
        stat="p95",
        target=300.0,
        max_ratio=1.5,
        description="arrears by community and by unit (balance table) beside >= 1M lines",
    ),
    Benchmark(
        name="billing.arrears_10m",
        seed=seed_arrears,
        run=_company_arrears,
        raw=_raw_company_arrears,
        n=_ledger_lines(),
        repeat=30,
        warmup=3,
        stat="p95",
        target=200.0,
        description="company-wide arrears from the balance table (PostgreSQL: 10M lines; "
        "SQLite: 1M, scaled down)",
    ),
]

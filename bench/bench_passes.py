"""Passes: the guard's gate check (spec §20) by pass number among 200,000 passes, alone and
with 16 guards checking at the same moment.

The application's path is `guanjia.passes.services.check_pass` (permission, the indexed
lookup by community and number with the pass's group, the verdict, the logged GateCheck row);
the raw path is the same indexed lookup in plain SQL (no permission, no log row). The
concurrent benchmark times one round of 16 checks made at once by 16 threads (each its own
database connection), app against raw. See docs/bench.md and docs/passes.md."""

from __future__ import annotations

import datetime as dt
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from bench.harness import Benchmark

PASSES = 200_000
GROUPS = 2_000  # renovation sites; every tenth suspended
GUARDS = 16

_SEEDED: dict[str, Any] = {}


def log(message: str) -> None:
    print(f"bench[passes]: {message}", file=sys.stderr, flush=True)


def _series(n: int) -> str:
    from django.db import connection

    if connection.vendor == "postgresql":
        return f"(SELECT generate_series(1, {int(n)}) AS i) s"
    return (
        f"(WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < {int(n)}) "
        "SELECT i FROM g) s"
    )


def _right(expr: str, n: int) -> str:
    """The last `n` characters of a text expression (SQL)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return f"RIGHT({expr}, {n})"
    return f"SUBSTR({expr}, -{n}, {n})"


def _execute(sql: str, params: list[Any] | None = None) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _seed() -> Any:
    from django.db import connection, transaction

    if "ctx" not in _SEEDED:
        with transaction.atomic():
            _SEEDED["ctx"] = _build()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return _SEEDED["ctx"]


def _build() -> dict[str, Any]:
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from guanjia.accounts.models import Membership, User
    from guanjia.accounts.services import sync_roles
    from guanjia.core.models import Community, Company
    from guanjia.estates.models import Building, Zone

    sync_roles()
    company = Company.objects.create(name="出入证基准物业")
    community = Community.objects.create(company=company, code="pass-bench", name="出入证基准小区")
    other = Community.objects.create(company=company, code="pass-other", name="其他小区")
    security = Group.objects.get(name="security")
    guards = []
    for n in range(GUARDS):
        user = User.objects.create(username=f"guard-{n}", company=company)
        Membership.objects.create(
            user=user, role=security, community=community, starts_on=dt.date(2025, 1, 1)
        )
        guards.append(user)
    zone = Zone.objects.create(community=community, name="一区")
    building = Building.objects.create(
        community=community, zone=zone, number="1", floors_above=99, floors_below=0
    )
    now = timezone.now()
    today = timezone.localdate()
    _execute(
        "INSERT INTO estates_unit (created_at, updated_at, room_number, floor, building_area, "
        "inner_area, kind, layout, status, room_code, note, building_id, community_id, sort_key) "
        f"SELECT %s, %s, CAST(i AS VARCHAR(10)), 1, 89.50, 72.30, 'flat', '', 'vacant', "
        f"'1-' || CAST(i AS VARCHAR(10)), '', %s, %s, '' FROM {_series(GROUPS)}",
        [now, now, building.pk, community.pk],
    )
    first_unit = building.units.order_by("pk").values_list("pk", flat=True).first()
    _execute(
        "INSERT INTO passes_passgroup (created_at, updated_at, community_id, kind, name, sponsor, "
        "status, reason, created_by_id) "
        "SELECT %s, %s, %s, 'renovation', '工地 ' || CAST(i AS VARCHAR(10)), "
        "'renovation:' || CAST(i AS VARCHAR(10)), "
        "CASE WHEN MOD(i, 10) = 0 THEN 'suspended' ELSE 'active' END, '', %s "
        f"FROM {_series(GROUPS)}",
        [now, now, community.pk, guards[0].pk],
    )
    first_group = community_groups_first(community.pk)
    # 200,000 passes in this community (and 20,000 in another with the same numbers): a
    # hundred workers a site, most valid, some expired, returned or lost.
    number = _right("'000000' || CAST(i AS VARCHAR(10))", 6)
    token = _right("'abcdef012345' || CAST(i AS VARCHAR(10))", 12)
    for community_id, count in ((community.pk, PASSES), (other.pk, PASSES // 10)):
        _execute(
            "INSERT INTO passes_pass (created_at, updated_at, community_id, number, token, kind, "
            "status, holder_name, id_number_cipher, id_number_hash, id_number_masked, phone, "
            "photo, unit_id, group_id, employer, valid_from, valid_to, fee, deposit, "
            "deposit_refunded, replaces_id, host_called, issued_by_id, returned_on, closed_at) "
            f"SELECT %s, %s, {community_id}, "
            f"'CRZ-2026-' || {number}, {token}, 'worker_long', "
            "CASE WHEN MOD(i, 50) = 0 THEN 'lost' WHEN MOD(i, 20) = 0 THEN 'returned' "
            "ELSE 'issued' END, '工人' || CAST(i AS VARCHAR(10)), '', "
            "'h' || CAST(i AS VARCHAR(10)), '1101**********0011', '', 'passes/photos/x.jpg', "
            f"{first_unit} + MOD(i, {GROUPS}), {first_group} + MOD(i, {GROUPS}), '', %s, %s, "
            f"500, 2000, 0, NULL, FALSE, %s, NULL, NULL FROM {_series(count)}",
            [now, now, today - dt.timedelta(days=10), today + dt.timedelta(days=20), guards[0].pk],
        )
    log(f"seeded {PASSES} passes in {GROUPS} groups (and {PASSES // 10} elsewhere)")
    numbers = [f"CRZ-2026-{(i * 7919) % PASSES + 1:06d}" for i in range(4000)]
    return {"community": community, "guards": guards, "numbers": numbers}


def community_groups_first(community_id: int) -> int:
    from guanjia.passes.models import PassGroup

    return int(
        PassGroup.objects.filter(community_id=community_id)
        .order_by("pk")
        .values_list("pk", flat=True)[0]
    )


def _number(ctx: dict[str, Any], i: int) -> str:
    numbers = ctx["numbers"]
    return str(numbers[i % len(numbers)])


def _app(ctx: dict[str, Any], i: int, guard: int = 0) -> str:
    from guanjia.passes.services import check_pass

    outcome = check_pass(community=ctx["community"], text=_number(ctx, i), by=ctx["guards"][guard])
    return outcome.result


RAW_SQL = (
    "SELECT p.id, p.status, p.valid_from, p.valid_to, p.holder_name, p.photo, p.token, "
    "g.status FROM passes_pass p LEFT JOIN passes_passgroup g ON g.id = p.group_id "
    "WHERE p.community_id = %s AND p.number = %s"
)


def _raw(ctx: dict[str, Any], i: int, guard: int = 0) -> object:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(RAW_SQL, [ctx["community"].pk, _number(ctx, i)])
        return cursor.fetchone()


# --- 16 guards at once ----------------------------------------------------------------------

_POOL: dict[str, ThreadPoolExecutor] = {}
_POOL_LOCK = threading.Lock()


def _pool() -> ThreadPoolExecutor:
    with _POOL_LOCK:
        if "pool" not in _POOL:
            _POOL["pool"] = ThreadPoolExecutor(max_workers=GUARDS, thread_name_prefix="guard")
        return _POOL["pool"]


def _round(operation: Any, ctx: dict[str, Any], i: int) -> None:
    """16 checks started together; returns when the slowest is answered."""
    barrier = threading.Barrier(GUARDS)

    def one(guard: int) -> object:
        barrier.wait()
        return operation(ctx, i * GUARDS + guard, guard)

    futures = [_pool().submit(one, guard) for guard in range(GUARDS)]
    for future in futures:
        future.result()


def _app16(ctx: dict[str, Any], i: int) -> None:
    _round(_app, ctx, i)


def _raw16(ctx: dict[str, Any], i: int) -> None:
    _round(_raw, ctx, i)


BENCHMARKS = [
    Benchmark(
        name="passes.gate_check",
        run=_app,
        raw=_raw,
        seed=_seed,
        n=PASSES,
        repeat=400,
        target=20.0,
        description="one gate check by number among 200,000 passes (logged), p95",
    ),
    Benchmark(
        name="passes.gate_check_concurrent16",
        run=_app16,
        raw=_raw16,
        seed=_seed,
        n=PASSES,
        repeat=100,
        target=100.0,
        description="16 guards checking at the same moment: the slowest of each round, p95",
    ),
]

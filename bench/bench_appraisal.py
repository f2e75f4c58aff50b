"""The monthly appraisal of 500 employees over a year of operations: 1,000,000 register
entries, 1,000,000 ledger lines, 200,000 visits and 100,000 patrols (spec §24; issue 19).

`BENCH_APPRAISAL_SCALE` (default 1) scales every count: `BENCH_APPRAISAL_SCALE=0.01` seeds 5
employees and 10,000 entries, enough to check the benchmark works on a shared machine. The
rows are written by COPY (PostgreSQL) or executemany (SQLite); `run` scores last month of
every community through the application (`compute_month`), `raw` does the same reads as
plain GROUP BY queries and writes the same number of score rows (rolled back).
See docs/bench.md and docs/appraisal.md.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from typing import Any

from bench.harness import Benchmark

SCALE = float(os.environ.get("BENCH_APPRAISAL_SCALE", "1"))
EMPLOYEES = max(4, round(500 * SCALE))
ENTRIES = max(100, round(1_000_000 * SCALE))
LINES = max(100, round(1_000_000 * SCALE))
VISITS = max(100, round(200_000 * SCALE))
PATROLS = max(100, round(100_000 * SCALE))
PER_COMMUNITY = 50
UNITS_PER_ZONE = 10
ROLES = ("receptionist", "cashier", "area_manager")
LINES_PER_SCORE = 8  # the measures of a role, and the bonus


def log(message: str) -> None:
    print(f"bench[appraisal]: {message}", file=sys.stderr, flush=True)


_SEEDED: dict[str, Any] = {}


def _months(now: dt.date) -> list[dt.date]:
    """The twelve months ending with last month, oldest first."""
    last = (now.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    months = [last]
    while len(months) < 12:
        months.append((months[-1] - dt.timedelta(days=1)).replace(day=1))
    return months[::-1]


def _staff(company: Any, communities: list[Any], start: dt.date) -> dict[int, dict[str, list[int]]]:
    """Users with memberships: per community one supervisor, then the roles in turn."""
    from django.contrib.auth.models import Group

    from guanjia.accounts.models import Membership, User

    groups = {g.name: g for g in Group.objects.filter(name__in=[*ROLES, "supervisor"])}
    users: list[Any] = []
    members: list[Any] = []
    staff: dict[int, dict[str, list[int]]] = {}
    for index in range(EMPLOYEES):
        community = communities[index // PER_COMMUNITY]
        position = index % PER_COMMUNITY
        role = "supervisor" if position == 0 else ROLES[position % 3]
        users.append(User(username=f"ap{index}", full_name=f"员工{index}", company=company))
        staff.setdefault(community.pk, {}).setdefault(role, []).append(index)
    User.objects.bulk_create(users)
    for community_id, roles in staff.items():
        for role, indexes in roles.items():
            roles[role] = [users[i].pk for i in indexes]
            members += [
                Membership(
                    user_id=users[i].pk,
                    role=groups[role],
                    community_id=community_id,
                    starts_on=start,
                )
                for i in indexes
            ]
    Membership.objects.bulk_create(members)
    return staff


def _estate(
    communities: list[Any], staff: dict[int, dict[str, list[int]]]
) -> dict[int, list[tuple[int, int]]]:
    """A zone, a building and ten units per area manager: (unit, zone) per community."""
    from guanjia.estates.models import Building, Unit, Zone

    units: dict[int, list[tuple[int, int]]] = {}
    for community in communities:
        managers = staff[community.pk].get("area_manager", []) or staff[community.pk]["supervisor"]
        zones = Zone.objects.bulk_create(
            Zone(community=community, name=f"片区{n}", area_manager_id=m)
            for n, m in enumerate(managers)
        )
        buildings = Building.objects.bulk_create(
            Building(
                community=community,
                zone=z,
                number=f"{n + 1}",
                name=f"{n + 1}栋",
                floors_above=10,
                sort_key=f"{n + 1:06d}",
            )
            for n, z in enumerate(zones)
        )
        rows = Unit.objects.bulk_create(
            Unit(
                community=community,
                building=b,
                room_number=f"{r + 101}",
                floor=1,
                building_area=90,
                room_code=f"{b.number}-{r + 101}",
                sort_key=f"{b.sort_key}{r:04d}",
            )
            for b in buildings
            for r in range(UNITS_PER_ZONE)
        )
        units[community.pk] = [(u.pk, u.building.zone_id) for u in rows]
    return units


def _entries(staff: dict[int, dict[str, list[int]]], months: list[dt.date]) -> None:
    from django.utils import timezone

    from bench.fixtures_estates import insert

    desk = [(c, r) for c, roles in staff.items() for r in roles.get("receptionist", [])]
    now = timezone.now()

    def rows() -> Any:
        for i in range(ENTRIES):
            community, receptionist = desk[i % len(desk)]
            month = months[i % 12]
            at = timezone.make_aware(dt.datetime.combine(month, dt.time(9))) + dt.timedelta(
                minutes=i % 38000
            )
            complete = i % 17 != 0
            yield (
                now,
                now,
                f"DJ-B{i}",
                "phone",
                "consultation",
                False,
                "张三" if complete else "",
                "13800000000" if complete else "",
                "咨询",
                at,
                "closed",
                "已答复",
                at + dt.timedelta(hours=2 if i % 11 else 40),
                False,
                "",
                "",
                "",
                community,
                receptionist,
                False,
            )

    insert(
        "tickets_servicerequest",
        [
            "created_at",
            "updated_at",
            "number",
            "channel",
            "kind",
            "is_anonymous",
            "requester_name",
            "requester_phone",
            "content",
            "received_at",
            "status",
            "answer",
            "answered_at",
            "closed_at_first_contact",
            "subject",
            "letter_reply",
            "letter_status",
            "community_id",
            "received_by_id",
            "letter_reply_missed",
        ],
        _adapt(rows()),
    )


def _ledger(company: Any, units: dict[int, list[tuple[int, int]]], months: list[dt.date]) -> None:
    from django.utils import timezone

    from bench.fixtures_estates import insert
    from guanjia.billing.models import FeeItem

    item = FeeItem.objects.create(
        company=company, code="wyf", name="物业费", category="service", priority=1
    )
    flat = [(c, u) for c, rows in units.items() for u, _zone in rows]
    now = timezone.now()

    def rows() -> Any:
        for i in range(LINES):
            community, unit = flat[(i // 2) % len(flat)]
            month = months[(i // (2 * len(flat))) % 12]
            paid = i % 2 == 1
            if paid and (i // 2) % 10 == 0:
                continue  # one unit in ten has not paid
            yield (
                month,
                "payment" if paid else "charge",
                "paid" if paid else "billed",
                -25000 if paid else 25000,
                1,
                "{}",
                "",
                "",
                now,
                community,
                item.pk,
                unit,
            )

    insert(
        "billing_ledgerentry",
        [
            "period",
            "kind",
            "bucket",
            "amount",
            "line_no",
            "explanation",
            "bill_ref",
            "memo",
            "created_at",
            "community_id",
            "fee_item_id",
            "unit_id",
        ],
        _adapt(rows()),
    )


def _visits(
    staff: dict[int, dict[str, list[int]]],
    units: dict[int, list[tuple[int, int]]],
    months: list[dt.date],
) -> None:
    from django.utils import timezone

    from bench.fixtures_estates import insert

    visitors = [
        (c, v)
        for c, roles in staff.items()
        for r in ("receptionist", "area_manager")
        for v in roles.get(r, [])
    ]
    now = timezone.now()

    def rows() -> Any:
        for i in range(VISITS):
            community, visitor = visitors[i % len(visitors)]
            unit = units[community][i % len(units[community])][0]
            due = months[i % 12] + dt.timedelta(days=i % 28)
            done = due + dt.timedelta(days=1 if i % 13 == 0 else 0)
            yield (
                now,
                now,
                "repair" if i % 3 else "complaint",
                now,
                1,
                "",
                "",
                False,
                due,
                "done",
                "phone",
                "",
                "",
                "",
                "",
                "fairly" if i % 19 else "dissatisfied",
                "",
                "",
                "",
                community,
                visitor,
                done,
                unit,
            )

    insert(
        "visits_visit",
        [
            "created_at",
            "updated_at",
            "kind",
            "source_done_at",
            "round",
            "person_name",
            "phone",
            "by_director",
            "due_on",
            "status",
            "method",
            "quality",
            "timeliness",
            "attitude",
            "conduct",
            "satisfaction",
            "comments",
            "signature",
            "review_note",
            "community_id",
            "visitor_id",
            "visited_on",
            "unit_id",
        ],
        _adapt(rows()),
    )


def _patrols(units: dict[int, list[tuple[int, int]]], months: list[dt.date]) -> None:
    from django.utils import timezone

    from bench.fixtures_estates import insert

    zones = sorted({(c, z) for c, rows in units.items() for _u, z in rows})
    now = timezone.now()

    def rows() -> Any:
        for i in range(PATROLS):
            community, zone = zones[i % len(zones)]
            day = months[(i // len(zones)) % 12] + dt.timedelta(days=(i // (12 * len(zones))) % 28)
            yield (
                now,
                now,
                "routine",
                day,
                1 + i // (336 * len(zones)),
                "[]",
                "",
                "missed" if i % 23 == 0 else "done",
                "",
                "",
                community,
                zone,
            )

    insert(
        "patrols_patrol",
        [
            "created_at",
            "updated_at",
            "kind",
            "day",
            "round",
            "full_buildings",
            "reason",
            "status",
            "missed_reason",
            "remarks",
            "community_id",
            "zone_id",
        ],
        _adapt(rows()),
    )


def _adapt(rows: Any) -> Any:
    """SQLite takes datetimes as text in the database's format."""
    from django.db import connection

    if connection.vendor == "postgresql":
        yield from rows
        return
    adapt = connection.ops.adapt_datetimefield_value
    for row in rows:
        yield tuple(adapt(v) if isinstance(v, dt.datetime) else v for v in row)


def _seed() -> dict[str, Any]:
    from django.db import connection, transaction
    from django.utils import timezone

    from guanjia.core.models import Community, Company

    if "ctx" in _SEEDED:
        return _SEEDED["ctx"]  # type: ignore[no-any-return]
    months = _months(timezone.localdate())
    with transaction.atomic():
        company = Company.objects.create(name="考核基准物业")
        count = max(1, -(-EMPLOYEES // PER_COMMUNITY))
        communities = Community.objects.bulk_create(
            Community(company=company, code=f"ap{n}", name=f"考核小区{n}") for n in range(count)
        )
        staff = _staff(company, communities, months[0])
        units = _estate(communities, staff)
        _entries(staff, months)
        _ledger(company, units, months)
        _visits(staff, units, months)
        _patrols(units, months)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in (
                "tickets_servicerequest",
                "billing_ledgerentry",
                "visits_visit",
                "patrols_patrol",
            ):
                cursor.execute(f"ANALYZE {table}")  # fixed names
    log(
        f"seeded {EMPLOYEES} staff, {ENTRIES} entries, {LINES} ledger lines, "
        f"{VISITS} visits, {PATROLS} patrols"
    )
    from django.urls import reverse

    reverse("appraisal:score-list")  # the URL configuration loads once, as in a running site
    _SEEDED["ctx"] = {"communities": [c.pk for c in communities], "month": months[-1]}
    return _SEEDED["ctx"]  # type: ignore[no-any-return]


def _month(ctx: dict[str, Any], i: int) -> object:
    from guanjia.appraisal.models import MonthlyScore
    from guanjia.appraisal.services import compute_month
    from guanjia.core.models import Community

    scored = 0
    for community in Community.objects.filter(pk__in=ctx["communities"]).order_by("pk"):
        scored += compute_month(community, ctx["month"]).employees
    if scored != EMPLOYEES or MonthlyScore.objects.filter(month=ctx["month"]).count() != EMPLOYEES:
        raise AssertionError(f"{scored} of {EMPLOYEES} employees scored")
    return scored


RAW_READS = [
    # register completeness and answers on time, per receptionist
    "SELECT received_by_id, COUNT(*), COUNT(*) FILTER (WHERE requester_phone <> ''), "
    "COUNT(*) FILTER (WHERE answered_at <= received_at + INTERVAL '24 hours') "
    "FROM tickets_servicerequest WHERE community_id = %s AND received_at >= %s "
    "AND received_at < %s GROUP BY received_by_id",
    # collection, per zone
    "SELECT b.zone_id, l.bucket, SUM(l.amount) FROM billing_ledgerentry l JOIN estates_unit u "
    "ON u.id = l.unit_id JOIN estates_building b ON b.id = u.building_id "
    "WHERE l.community_id = %s AND l.period = %s GROUP BY b.zone_id, l.bucket",
    # visits on time, per visitor
    "SELECT visitor_id, COUNT(*), COUNT(*) FILTER (WHERE visited_on <= due_on) FROM visits_visit "
    "WHERE community_id = %s AND due_on >= %s AND due_on <= %s GROUP BY visitor_id",
    # patrols done, per zone
    "SELECT zone_id, COUNT(*), COUNT(*) FILTER (WHERE status = 'done') FROM patrols_patrol "
    "WHERE community_id = %s AND day >= %s AND day <= %s GROUP BY zone_id",
]


def _month_raw(ctx: dict[str, Any], i: int) -> object:
    """The same reads in plain SQL (PostgreSQL's FILTER; SQLite has it since 3.30), and the
    same number of score rows written, rolled back."""
    from django.db import connection, transaction
    from django.utils import timezone

    month = ctx["month"]
    end = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    start_at = timezone.make_aware(dt.datetime.combine(month, dt.time()))
    end_at = timezone.make_aware(dt.datetime.combine(end, dt.time()))
    last = end - dt.timedelta(days=1)
    with transaction.atomic(), connection.cursor() as cursor:
        for community in ctx["communities"]:
            sqlite = connection.vendor != "postgresql"
            params = [
                (community, start_at, end_at),
                (community, month),
                (community, month, last),
                (community, month, last),
            ]
            for sql, args in zip(RAW_READS, params, strict=True):
                if sqlite:
                    sql = sql.replace("INTERVAL '24 hours'", "0").replace(
                        "answered_at <= received_at + 0",
                        "answered_at <= datetime(received_at, '+24 hours')",
                    )
                    args = tuple(
                        connection.ops.adapt_datetimefield_value(a)
                        if isinstance(a, dt.datetime)
                        else a
                        for a in args
                    )
                cursor.execute(sql, args)
                cursor.fetchall()
            cursor.execute(
                "SELECT user_id FROM accounts_membership WHERE community_id = %s", [community]
            )
            users = [row[0] for row in cursor.fetchall()]
            cursor.executemany(
                "INSERT INTO appraisal_monthlyscore (created_at, updated_at, community_id, "
                "employee_id, month, role, days, computed, adjustment, total, grade, computed_at) "
                "VALUES (%s, %s, %s, %s, %s, 'receptionist', 30, 90, 0, 90, 'A', %s) "
                "ON CONFLICT (community_id, employee_id, month) DO UPDATE SET "
                "computed = EXCLUDED.computed, total = EXCLUDED.total, grade = EXCLUDED.grade, "
                "computed_at = EXCLUDED.computed_at",
                [(start_at, start_at, community, u, month, start_at) for u in users],
            )
            cursor.execute(
                "SELECT id FROM appraisal_monthlyscore WHERE community_id = %s AND month = %s",
                [community, month],
            )
            scores = [row[0] for row in cursor.fetchall()]
            marks = ", ".join(["%s"] * len(scores)) or "NULL"
            cursor.execute(f"DELETE FROM appraisal_scoreline WHERE score_id IN ({marks})", scores)
            cursor.executemany(
                "INSERT INTO appraisal_scoreline (score_id, measure, label, source, weight, "
                "numerator, denominator, achievement, points, lost, formula, evidence, position) "
                "VALUES (%s, %s, '', '', 10, 1, 1, 1, 10, 0, '', '[]', %s)",
                [(score, f"m{n}", n) for score in scores for n in range(LINES_PER_SCORE)],
            )
        transaction.set_rollback(True)
    return EMPLOYEES


BENCHMARKS = [
    Benchmark(
        name="appraisal.month_500",
        seed=_seed,
        run=_month,
        raw=_month_raw,
        n=EMPLOYEES,
        repeat=1,
        warmup=0,
        stat="max",
        target=60_000.0,
        description=(
            "last month's scores of 500 employees (every measure, with evidence) over a year of "
            "1M register entries, 1M ledger lines, 200k visits and 100k patrols "
            "(BENCH_APPRAISAL_SCALE scales the counts)"
        ),
    ),
]

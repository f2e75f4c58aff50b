"""Renovation: an area manager's list of due site inspections among 20,000 active renovations
(20 communities of 1,000 units, one renovation each, every site's inspection due).

The structure (communities, zones, buildings, units) is bulk-created here; the renovations are
written by multi-row inserts. The area manager manages the first zone (three of the five
buildings) of the first community. See docs/bench.md and docs/renovation.md.
"""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

from bench.harness import Benchmark

COMMUNITIES = 20  # x 1,000 units = 20,000 active renovations, one each
BUILDINGS = 5
UNITS_PER_FLOOR = 10  # x 20 floors x 5 buildings = 1,000 units a community


def log(message: str) -> None:
    print(f"bench[renovation]: {message}", file=sys.stderr, flush=True)


_SEEDED: dict[str, Any] = {}


def _structure() -> tuple[list[int], dict[int, int]]:
    """20 communities of 2 zones, 5 buildings and 1,000 units (20,000 units); the zone of
    each community's first three buildings, by community."""
    from decimal import Decimal

    from guanjia.core.models import Community, Company
    from guanjia.estates.models import Building, Unit, Zone

    company = Company.objects.create(name="装修基准物业")
    first_zone: dict[int, int] = {}
    ids = []
    for c in range(COMMUNITIES):
        community = Community.objects.create(company=company, code=f"rb{c}", name=f"装修小区{c}")
        ids.append(community.pk)
        zones = Zone.objects.bulk_create(
            [Zone(community=community, name=name) for name in ("一区", "二区")]
        )
        first_zone[community.pk] = zones[0].pk
        buildings = Building.objects.bulk_create(
            [
                Building(
                    community=community,
                    zone=zones[0 if b <= 3 else 1],
                    number=str(b),
                    floors_above=20,
                )
                for b in range(1, BUILDINGS + 1)
            ]
        )
        Unit.objects.bulk_create(
            [
                Unit(
                    community=community,
                    building=building,
                    room_number=f"{floor}{room:02d}",
                    floor=floor,
                    building_area=Decimal("89.50"),
                    room_code=f"{building.number}-{floor}{room:02d}",
                )
                for building in buildings
                for floor in range(1, 21)
                for room in range(1, UNITS_PER_FLOOR + 1)
            ],
            batch_size=2000,
        )
    return ids, first_zone


def _seed() -> dict[str, Any]:
    from django.contrib.auth.models import Group
    from django.db import connection, transaction
    from django.utils import timezone

    from bench.fixtures_estates import insert
    from guanjia.accounts.models import Membership, User
    from guanjia.core.models import Community
    from guanjia.estates.models import Zone

    if "ctx" in _SEEDED:
        return _SEEDED["ctx"]  # type: ignore[no-any-return]
    now = timezone.now()
    today = timezone.localdate()
    with transaction.atomic():
        communities, first_zone = _structure()
    with transaction.atomic(), connection.cursor() as cursor:
        insert(
            "renovation_contractor",
            [
                "created_at",
                "updated_at",
                "community_id",
                "name",
                "licence_no",
                "qualification",
                "person_in_charge",
                "phone",
                "fire_safety_person",
            ],
            _adapt(
                (now, now, c, "安居装饰", f"BENCH{c}", "", "李工", "138", "赵") for c in communities
            ),
        )
        cursor.execute(
            "SELECT id, community_id FROM renovation_contractor WHERE licence_no LIKE 'BENCH%%'"
        )
        firms = {community: pk for pk, community in cursor.fetchall()}
        cursor.execute(
            "SELECT u.id, u.community_id, b.zone_id FROM estates_unit u "
            "JOIN estates_building b ON b.id = u.building_id WHERE u.community_id IN "
            f"({', '.join(str(c) for c in communities)}) ORDER BY u.id"
        )
        units = cursor.fetchall()
        columns = [
            "created_at",
            "updated_at",
            "community_id",
            "number",
            "unit_id",
            "zone_id",
            "kind",
            "applicant_kind",
            "applicant_name",
            "applicant_phone",
            "owner_consent",
            "contractor_id",
            "planned_start",
            "planned_end",
            "special",
            "status",
            "review_due_on",
            "csc_opinion",
            "engineering_opinion",
            "conditions",
            "permit_token",
            "permit_issued_on",
            "next_inspection_on",
            "acceptance_attempts",
        ]
        statuses = ("in_progress", "extended", "suspended", "permit_issued")

        def rows() -> Any:
            for i, (unit, community, zone) in enumerate(units):
                start = today - dt.timedelta(days=i % 30)
                yield (
                    now,
                    now,
                    community,
                    f"ZX-B{i}",
                    unit,
                    zone,
                    "full",
                    "owner",
                    "业主",
                    "139",
                    "",
                    firms[community],
                    start,
                    start + dt.timedelta(days=60),
                    False,
                    statuses[i % 4],
                    start,
                    "同意",
                    "合格",
                    "",
                    f"bench-token-{i}",
                    start,
                    today - dt.timedelta(days=i % 3),
                    0,
                )

        insert("renovation_renovation", columns, _adapt(rows()))
    first = Community.objects.get(pk=communities[0])
    manager = User.objects.create(
        username="bench-reno-am", full_name="管理员", company_id=first.company_id
    )
    Membership.objects.create(
        user=manager,
        role=Group.objects.get(name="area_manager"),
        community=first,
        starts_on=dt.date(2020, 1, 1),
    )
    Zone.objects.filter(pk=first_zone[first.pk]).update(area_manager=manager)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE renovation_renovation")
    log(f"seeded {len(units)} active renovations over {len(communities)} communities")
    zones = [first_zone[first.pk]]
    _SEEDED["ctx"] = {"community": first, "user": manager, "today": today, "zones": zones}
    return _SEEDED["ctx"]  # type: ignore[no-any-return]


def _adapt(rows: Any) -> Any:
    """SQLite takes dates and datetimes as text in the database's format."""
    from django.db import connection

    if connection.vendor == "postgresql":
        yield from rows
        return
    ops = connection.ops
    for row in rows:
        yield tuple(
            ops.adapt_datetimefield_value(v)
            if isinstance(v, dt.datetime)
            else ops.adapt_datefield_value(v)
            if isinstance(v, dt.date)
            else v
            for v in row
        )


def _due_page(ctx: dict[str, Any], i: int) -> object:
    from guanjia.renovation.selectors import due_inspections

    user = ctx["user"]
    user.__dict__.pop("_estates_zones", None)  # the zones are read again, as on each request
    rows = due_inspections(user, ctx["community"], ctx["today"])
    page = list(rows[:25])
    count = rows.count()
    if not page or count < 25:
        raise AssertionError(f"only {count} due sites")
    return count


def _due_raw(ctx: dict[str, Any], i: int) -> object:
    from django.db import connection

    zones = ", ".join(str(z) for z in ctx["zones"])
    sql = (
        "FROM renovation_renovation r WHERE r.community_id = %s AND r.status IN "
        "('permit_issued', 'in_progress', 'extended', 'suspended') AND r.next_inspection_on <= %s "
        f"AND r.zone_id IN ({zones})"
    )
    with connection.cursor() as cursor:
        args = [ctx["community"].pk, ctx["today"]]
        cursor.execute(
            "SELECT r.id, r.number, u.room_code, c.name "
            + sql.replace(
                "FROM renovation_renovation r",
                "FROM renovation_renovation r JOIN estates_unit u ON u.id = r.unit_id "
                "JOIN renovation_contractor c ON c.id = r.contractor_id",
            )
            + " ORDER BY r.next_inspection_on, r.id LIMIT 25",
            args,
        )
        cursor.fetchall()
        cursor.execute("SELECT COUNT(*) " + sql, args)
        cursor.fetchone()
    return None


BENCHMARKS = [
    Benchmark(
        name="renovation.due_inspections",
        run=_due_page,
        raw=_due_raw,
        seed=_seed,
        n=200,
        target=100.0,
        description="an area manager's due inspections (first page and count) among 20,000 "
        "active renovations",
    ),
]

"""The estates benchmark fixture: 100 communities, 100,000 units and 200,000 persons.

Seeded once per database run (`seed_estates()` keeps its result in this process only; nothing
is cached across runs), by plain multi-row inserts (PostgreSQL: COPY) with explicit ids, in
well under a minute. The rows are what the application would write: room codes, pinyin keys,
last four digits and masked phones computed by the estates functions themselves. Not the
demo: the demo is small and made for people; this is large and made for timing.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

COMMUNITIES = 100
BUILDINGS = 10  # per community
ENTRANCES = 2  # per building
FLOORS = 25  # per building
PER_FLOOR = 2  # units per floor and entrance: 10 x 2 x 25 x 2 = 1,000 units a community
VEHICLES = 100  # per community
PASSWORD = "bench-pass-2026"  # noqa: S105  # the benchmark accounts' password, not a secret
LOGGED_IN = 16  # communities with a receptionist who logs in (search.page_concurrent16)

# Common surnames, including those read differently as surnames (曾 zeng, 单 shan, 解 xie …).
SURNAMES = list(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛"
    "郝龚邵万钱严覃武戴莫孔向汤单解仇区朴查盖乐华缪"
)
GIVEN = [
    *"伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉玲红建波宁琳斌浩凯鑫颖宇欣",
    "志强", "志刚", "建国", "建华", "国强", "海燕", "秀英", "丽娟", "晓明", "晓东", "子涵", "梓轩",
    "浩然", "雨桐", "欣怡", "思远", "俊杰", "嘉怡", "佳琪", "一鸣", "文博", "天宇", "家豪", "雅婷",
    "春梅", "冬梅", "金凤", "振华", "永强", "德胜", "淑芬", "玉珍", "桂兰", "立新", "卫东", "红梅",
]  # fmt: skip
FRAGMENTS = ["志强", "建国", "晓明", "海燕", "秀英", "俊杰", "欣怡", "振华", "红梅", "立新"]
PROVINCE_PLATES = "粤京沪浙苏川鄂湘闽"


@dataclass
class Sample:
    """Values that exist in one community, to search for."""

    mobiles: list[str] = field(default_factory=list)
    last4: list[str] = field(default_factory=list)
    initials: list[str] = field(default_factory=list)
    room_codes: list[str] = field(default_factory=list)
    fragments: list[str] = field(default_factory=lambda: list(FRAGMENTS))


@dataclass
class EstatesFixture:
    """What the benchmarks need from the seeded database."""

    company_id: int
    community_ids: list[int]
    users: list[tuple[Any, Any]]  # (user, community) of the receptionists who log in
    samples: dict[int, Sample]
    seconds: float


_SEEDED: dict[str, EstatesFixture] = {}


def log(message: str) -> None:
    print(f"bench[estates]: {message}", file=sys.stderr, flush=True)


def seed_estates() -> EstatesFixture:
    """The fixture of this database run, seeded on first use."""
    from django.db import connection

    if connection.vendor not in _SEEDED:
        _SEEDED[connection.vendor] = _seed()
    return _SEEDED[connection.vendor]


@functools.cache
def keys(name: str) -> tuple[str, str]:
    """(pinyin, initials) of a name, as the estates services compute them."""
    from guanjia.estates.models.identity import pinyin_keys

    return pinyin_keys(name)


def mobile_for(person_id: int) -> str:
    """A unique, valid mobile per person: a bijection of the id onto nine digits."""
    prefix = ("138", "139", "186", "135", "158", "177")[person_id % 6]
    return f"{prefix}{(person_id * 7919) % 100_000_000:08d}"


def _seed() -> EstatesFixture:
    from django.db import connection, transaction

    started = time.perf_counter()
    rng = random.Random(20260301)  # the same data on every run and both databases
    with transaction.atomic():
        company_id, community_ids = _communities()
        samples = _estates(community_ids, rng)
        users = _users(company_id, community_ids[:LOGGED_IN])
        _reset_sequences()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # autovacuum would do it in production
            cursor.execute("ANALYZE")
    seconds = time.perf_counter() - started
    units, persons = _count("estates_unit"), _count("estates_person")
    log(f"seeded {COMMUNITIES} communities, {units} units, {persons} persons in {seconds:.1f} s")
    return EstatesFixture(company_id, community_ids, users, samples, seconds)


def _count(table: str) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")  # a fixed table name
        return int(cursor.fetchone()[0])


def _now() -> Any:
    from django.db import connection
    from django.utils import timezone

    now = timezone.now()
    return (
        now if connection.vendor == "postgresql" else connection.ops.adapt_datetimefield_value(now)
    )


def insert(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Many rows at once: COPY on PostgreSQL, executemany on SQLite."""
    from django.db import connection

    names = ", ".join(columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # fixed names
        batch: list[Sequence[Any]] = []
        for row in rows:
            batch.append(row)
            if len(batch) == 5000:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


def _communities() -> tuple[int, list[int]]:
    from guanjia.core.models import Community, Company

    company = Company.objects.create(name="基准物业公司")
    communities = Community.objects.bulk_create(
        Community(company=company, code=f"b{n:03d}", name=f"基准小区{n:03d}")
        for n in range(1, COMMUNITIES + 1)
    )
    return company.pk, [c.pk for c in communities]


def _estates(community_ids: list[int], rng: random.Random) -> dict[int, Sample]:
    from guanjia.estates.models import room_code_for

    now = _now()
    zones, buildings, entrances, units = [], [], [], []
    unit_homes: list[tuple[int, int]] = []  # (unit id, community id)
    samples: dict[int, Sample] = {}
    for c_index, community_id in enumerate(community_ids):
        zone_id = c_index + 1
        zones.append((zone_id, now, now, community_id, "一区", ""))
        sample = samples.setdefault(community_id, Sample())
        for b in range(1, BUILDINGS + 1):
            building_id = c_index * BUILDINGS + b
            buildings.append(
                (building_id, now, now, community_id, zone_id, str(b), "", FLOORS, 1, True)
            )
            for e in range(1, ENTRANCES + 1):
                entrance_id = (building_id - 1) * ENTRANCES + e
                entrances.append((entrance_id, now, now, community_id, building_id, str(e)))
                for floor in range(1, FLOORS + 1):
                    for position in range(1, PER_FLOOR + 1):
                        room = f"{floor}{position:02d}"
                        code = room_code_for(str(b), str(e), room)
                        unit_id = len(units) + 1
                        area = Decimal(rng.choice(("89.50", "120.30", "143.80", "66.25")))
                        units.append(
                            (unit_id, now, now, community_id, building_id, entrance_id, room,
                             floor, area, area - Decimal("15.20"), "flat", "三室两厅",
                             "occupied", code, "")
                        )  # fmt: skip
                        unit_homes.append((unit_id, community_id))
                        if rng.random() < 0.02:
                            sample.room_codes.append(code)
    insert(
        "estates_zone", ("id", "created_at", "updated_at", "community_id", "name", "note"), zones
    )
    insert(
        "estates_building",
        ("id", "created_at", "updated_at", "community_id", "zone_id", "number", "name",
         "floors_above", "floors_below", "has_lift"),
        buildings,
    )  # fmt: skip
    insert(
        "estates_entrance",
        ("id", "created_at", "updated_at", "community_id", "building_id", "number"),
        entrances,
    )
    insert(
        "estates_unit",
        ("id", "created_at", "updated_at", "community_id", "building_id", "entrance_id",
         "room_number", "floor", "building_area", "inner_area", "kind", "layout", "status",
         "room_code", "note"),
        units,
    )  # fmt: skip
    _people(unit_homes, samples, rng, now)
    return samples


PERSON_COLUMNS = (
    "id", "created_at", "updated_at", "community_id", "kind", "name", "name_pinyin",
    "name_initials", "contact_person", "gender", "id_type", "id_number_cipher", "id_number_hash",
    "id_number_masked", "mobile", "other_phone", "phone_last4", "employer", "emergency_name",
    "emergency_relation", "emergency_phone", "note",
)  # fmt: skip


def _people(
    unit_homes: list[tuple[int, int]], samples: dict[int, Sample], rng: random.Random, now: Any
) -> None:
    """Two persons a unit: the owner (an ownership) and a family member (an occupancy)."""
    from guanjia.estates.models.identity import last4

    persons, ownerships, occupancies, vehicles = [], [], [], []
    start = dt.date(2020, 1, 1)
    for unit_id, community_id in unit_homes:
        sample = samples[community_id]
        for role in ("owner", "family"):
            person_id = len(persons) + 1
            name = rng.choice(SURNAMES) + rng.choice(GIVEN)
            pinyin, initials = keys(name)
            mobile = mobile_for(person_id)
            persons.append(
                (person_id, now, now, community_id, "person", name, pinyin, initials, "", "",
                 "", "", "", "", mobile, "", last4(mobile), "", "", "", "", "")
            )  # fmt: skip
            row = (now, now, community_id, unit_id, person_id)
            if role == "owner":
                ownerships.append((len(ownerships) + 1, *row, Decimal("100"), start, None, "", ""))
            else:
                occupancies.append(
                    (len(occupancies) + 1, *row, "family", start, None, False, None, None, "", "")
                )
            if rng.random() < 0.01:
                sample.mobiles.append(mobile)
                sample.last4.append(last4(mobile))
                sample.initials.append(initials)
        if len(vehicles) < len(samples) * VEHICLES and rng.random() < 0.1:
            plate = f"{rng.choice(PROVINCE_PLATES)}A{len(vehicles):05d}"
            vehicles.append(
                (len(vehicles) + 1, now, now, community_id, plate, plate[1:], "", "", None,
                 unit_id, True, "")
            )  # fmt: skip
    insert("estates_person", PERSON_COLUMNS, persons)
    common = ("id", "created_at", "updated_at", "community_id", "unit_id", "person_id")
    insert(
        "estates_ownership",
        (*common, "share", "starts_on", "ends_on", "title_ref", "contract_ref"),
        ownerships,
    )
    insert(
        "estates_occupancy",
        (*common, "relation", "starts_on", "ends_on", "is_primary_contact", "lease_starts_on",
         "lease_ends_on", "consent_ref", "note"),
        occupancies,
    )  # fmt: skip
    insert(
        "estates_vehicle",
        ("id", "created_at", "updated_at", "community_id", "plate", "plate_tail", "model",
         "colour", "person_id", "unit_id", "is_active", "note"),
        vehicles,
    )  # fmt: skip


def _users(company_id: int, community_ids: list[int]) -> list[tuple[Any, Any]]:
    """A receptionist in each of the first communities, with a password to log in with."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group

    from guanjia.accounts.models import Membership, User
    from guanjia.core.models import Community

    role = Group.objects.get(name="receptionist")
    password = make_password(PASSWORD)
    found = []
    for community in Community.objects.filter(pk__in=community_ids).order_by("pk"):
        user = User.objects.create(
            username=f"bench-{community.code}",
            full_name=f"前台{community.code}",
            company_id=company_id,
            password=password,
        )
        Membership.objects.create(
            user=user, role=role, community=community, starts_on=dt.date(2020, 1, 1)
        )
        found.append((user, community))
    return found


def _reset_sequences() -> None:
    """Explicit ids were inserted: the next row the application adds gets a fresh one."""
    from django.core.management.color import no_style
    from django.db import connection

    from guanjia.estates.models import (
        Building,
        Entrance,
        Occupancy,
        Ownership,
        Person,
        Unit,
        Vehicle,
        Zone,
    )

    models = [Zone, Building, Entrance, Unit, Person, Ownership, Occupancy, Vehicle]
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)

"""Demo estates: two communities of about 3,000 units with owners, occupants and vehicles.

Idempotent: a community that already has zones is left as it is. Rows are bulk-created (the
demo must load in seconds on SQLite); the numbers are random but seeded, so every run builds
the same estate.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from simple_history.utils import bulk_create_with_history

from guanjia.accounts.models import User
from guanjia.core.models import Community
from guanjia.core.personal_data import mask_id_number
from guanjia.estates.models import (
    Building,
    Entrance,
    IdType,
    Occupancy,
    Ownership,
    ParkingSpace,
    Person,
    PersonKind,
    Relation,
    Tenure,
    Unit,
    UnitKind,
    UnitStatus,
    Vehicle,
    Zone,
    room_code_for,
)
from guanjia.estates.models.identity import (
    encrypt_pii,
    last4,
    lookup_hash,
    pinyin_keys,
    resident_id_check_digit,
)

# Surnames, the common ones repeated for weight; 曾 单 解 仇 区 朴 read differently as surnames.
SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭肖田董袁潘")
SURNAMES += list("于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江")
SURNAMES += list("王李张刘陈杨黄赵吴周") * 3 + list("曾单解仇区朴查乐华缪覃翟") + ["欧阳", "司马"]
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志强海燕文博子轩梓涵浩然欣怡"
GIVEN += "宇轩雨桐思远嘉怡俊杰诗琪晨曦一鸣佳慧家豪婉婷国栋美玲正民大山小明嘉良可馨"
MODELS = [
    "丰田凯美瑞",
    "本田雅阁",
    "大众帕萨特",
    "比亚迪汉",
    "日产轩逸",
    "宝马3系",
    "特斯拉Model 3",
]
COLOURS = ["白色", "黑色", "银色", "灰色", "蓝色", "红色"]
REGIONS = ["440106", "440104", "440105", "440111", "440112", "440113", "430102", "360102"]
# A realistic mix of unit statuses (weights add up to 100).
STATUS_MIX = [
    (UnitStatus.OCCUPIED, 58),
    (UnitStatus.RENTED, 12),
    (UnitStatus.VACANT, 10),
    (UnitStatus.RENOVATING, 5),
    (UnitStatus.DELIVERED, 3),
    (UnitStatus.DEEMED_DELIVERED, 2),
    (UnitStatus.NOTIFIED, 3),
    (UnitStatus.SOLD_NOT_NOTIFIED, 2),
    (UnitStatus.REFUSED, 1),
    (UnitStatus.UNSOLD, 4),
]


@dataclass(frozen=True)
class Layout:
    """One community's shape: (zone name, manager username), towers, shops and parking."""

    zones: tuple[tuple[str, str], ...]
    towers: int
    developer: str
    developer_code: str
    shops: int
    parking: int
    plate_prefix: str


LAYOUTS = {
    "cuihu": Layout(
        (("东区", "manager1"), ("西区", "manager1"), ("商业区", "manager1")),
        12,
        "广州翠湖房地产开发有限公司",
        "91440101MA59ABCD1",
        40,
        160,
        "粤A",
    ),
    "jinxiu": Layout(
        (("南区", "manager2"), ("北区", "manager2")),
        10,
        "广州锦绣置业有限公司",
        "91440105MA5CDEF02",
        30,
        120,
        "粤A",
    ),
}


def load(*, today: dt.date, communities: dict[str, Community]) -> dict[str, int]:
    """Build each demo community that has no zones yet; return row counts created."""
    counts = {"units": 0, "persons": 0, "vehicles": 0}
    users = {u.username: u for u in User.objects.filter(username__startswith="manager")}
    supervisor = User.objects.filter(username="supervisor").first()
    for seed, (code, layout) in enumerate(LAYOUTS.items()):
        community = communities.get(code)
        if community is None or Zone.objects.filter(community=community).exists():
            continue
        rnd = random.Random(seed + 2005)  # noqa: S311  # demo data, not secrets
        builder = _Builder(community, layout, rnd, today)
        builder.zones(users, supervisor)
        builder.structure()
        builder.people()
        for key, value in builder.counts().items():
            counts[key] += value
    return counts


class _Builder:
    def __init__(self, community: Community, layout: Layout, rnd: random.Random, today: dt.date):
        self.c, self.layout, self.rnd, self.today = community, layout, rnd, today
        self.units: list[Unit] = []
        self.persons = 0
        self.vehicles = 0
        self.mobiles: set[str] = set()
        self.plates: set[str] = set()

    def counts(self) -> dict[str, int]:
        return {"units": len(self.units), "persons": self.persons, "vehicles": self.vehicles}

    # --- structure ------------------------------------------------------------------------
    def zones(self, users: dict[str, User], supervisor: User | None) -> None:
        self.zone_list = []
        for index, (name, manager) in enumerate(self.layout.zones):
            zone = Zone(community=self.c, name=name, area_manager=users.get(manager))
            if index == len(self.layout.zones) - 1 and supervisor is not None:
                zone.acting_manager = supervisor  # covering the area manager's leave
                zone.acting_from = self.today - dt.timedelta(days=3)
                zone.acting_to = self.today + dt.timedelta(days=11)
            self.zone_list.append(zone)
        bulk_create_with_history(self.zone_list, Zone)

    def structure(self) -> None:
        rnd, towers = self.rnd, self.layout.towers
        residential = self.zone_list[:2] if len(self.zone_list) > 2 else self.zone_list
        buildings = [
            Building(
                community=self.c,
                zone=residential[0] if n <= towers // 2 else residential[-1],
                number=str(n),
                name=f"{n}栋",
                floors_above=rnd.choice([18, 22, 26, 28, 30, 32, 33]),
                floors_below=1,
                has_lift=True,
                year_built=rnd.randint(2008, 2016),
            )
            for n in range(1, towers + 1)
        ]
        shops = Building(
            community=self.c,
            zone=self.zone_list[-1],
            number="S1",
            name="商业裙楼",
            floors_above=2,
            floors_below=0,
            has_lift=False,
            year_built=2012,
        )
        garage = Building(
            community=self.c,
            zone=self.zone_list[-1],
            number="P",
            name="地下车库",
            floors_above=1,
            floors_below=1,
            has_lift=True,
            year_built=2012,
        )
        Building.objects.bulk_create([*buildings, shops, garage])
        entrances = [
            Entrance(community=self.c, building=b, number=str(e))
            for b in buildings
            for e in range(1, rnd.choice([1, 2, 2]) + 1)
        ]
        Entrance.objects.bulk_create(entrances)
        units = list(self._tower_units(buildings, entrances))
        units += [
            self._unit(
                shops,
                None,
                1 + i // 20,
                f"{101 + i % 20 + (i // 20) * 100}",
                UnitKind.SHOP,
                Decimal(rnd.randint(3000, 12000)) / 100,
            )
            for i in range(self.layout.shops)
        ]
        units += [
            self._unit(garage, None, -1, f"B{i + 1:03d}", UnitKind.PARKING, Decimal("12.50"))
            for i in range(self.layout.parking)
        ]
        self.units = bulk_create_with_history(units, Unit, batch_size=500)

    def _tower_units(self, buildings: list[Building], entrances: list[Entrance]) -> Iterator[Unit]:
        by_building: dict[int, list[Entrance]] = {}
        for e in entrances:
            by_building.setdefault(id(e.building), []).append(e)
        for b in buildings:
            per_floor = self.rnd.choice([2, 3, 4, 4])
            areas = [Decimal(self.rnd.randint(6500, 14500)) / 100 for _ in range(per_floor)]
            layouts = [
                "两室两厅" if a < 90 else "三室两厅" if a < 125 else "四室两厅" for a in areas
            ]
            for e in by_building[id(b)]:
                for floor in range(2, b.floors_above + 1):
                    for pos in range(1, per_floor + 1):
                        unit = self._unit(
                            b, e, floor, f"{floor}{pos:02d}", UnitKind.FLAT, areas[pos - 1]
                        )
                        unit.layout = layouts[pos - 1]
                        yield unit

    def _unit(
        self, b: Building, e: Entrance | None, floor: int, room: str, kind: str, area: Decimal
    ) -> Unit:
        status = self.rnd.choices([s for s, _ in STATUS_MIX], [w for _, w in STATUS_MIX])[0]
        if kind == UnitKind.PARKING:
            status = self.rnd.choice([UnitStatus.OCCUPIED, UnitStatus.UNSOLD, UnitStatus.RENTED])
        return Unit(
            community=self.c,
            building=b,
            entrance=e,
            floor=floor,
            room_number=room,
            building_area=area,
            inner_area=(area * Decimal("0.80")).quantize(Decimal("0.01")),
            kind=kind,
            status=status,
            room_code=room_code_for(b.number, e.number if e else None, room),
        )

    # --- people ---------------------------------------------------------------------------
    def people(self) -> None:
        developer = self._organisation()
        plan = [self._household(u) for u in self.units if u.kind != UnitKind.PARKING]
        persons = [p for house in plan for p in house[0]]
        Person.objects.bulk_create(persons, batch_size=500)
        self.persons = len(persons) + 1
        ownerships: list[Ownership] = []
        occupancies: list[Occupancy] = []
        vehicles: list[Vehicle] = []
        for unit, (people, relations) in zip(
            [u for u in self.units if u.kind != UnitKind.PARKING], plan, strict=True
        ):
            ownerships += self._owners(unit, people, relations, developer)
            occupancies += self._occupants(unit, people, relations)
            vehicles += self._vehicles(unit, people)
        Ownership.objects.bulk_create(ownerships, batch_size=500)
        Occupancy.objects.bulk_create(occupancies, batch_size=500)
        Vehicle.objects.bulk_create(vehicles, batch_size=500)
        self.vehicles = len(vehicles)
        self._parking()

    def _organisation(self) -> Person:
        full, initials = pinyin_keys(self.layout.developer, is_person=False)
        code = self.layout.developer_code
        return Person.objects.create(
            community=self.c,
            kind=PersonKind.ORGANISATION,
            name=self.layout.developer,
            name_pinyin=full,
            name_initials=initials,
            contact_person="销售部 何经理",
            id_type=IdType.CREDIT_CODE,
            other_phone="020-38881234",
            phone_last4="1234",
            id_number_cipher=encrypt_pii(code + _credit_check(code)),
            id_number_hash=lookup_hash(code + _credit_check(code)),
            id_number_masked=mask_id_number(code + _credit_check(code)),
        )

    def _household(self, unit: Unit) -> tuple[list[Person], list[Relation]]:
        """The people of a unit: owners first, then family, a tenant or a helper."""
        if unit.status in (UnitStatus.UNSOLD,):
            return [], []
        rnd = self.rnd
        relations = [Relation.OWNER] + ([Relation.OWNER] if rnd.random() < 0.35 else [])
        if unit.kind == UnitKind.FLAT and unit.status == UnitStatus.OCCUPIED:
            relations += [Relation.FAMILY] * rnd.choice([0, 1, 1, 2])
            relations += [Relation.HELPER] if rnd.random() < 0.05 else []
        if unit.status == UnitStatus.RENTED:
            relations += [Relation.TENANT]
        return [self._person(r) for r in relations], relations

    def _person(self, relation: str) -> Person:
        rnd = self.rnd
        name = rnd.choice(SURNAMES) + "".join(rnd.sample(GIVEN, rnd.choice([1, 2, 2])))
        mobile = self._mobile()
        full, initials = pinyin_keys(name)
        person = Person(
            community=self.c,
            name=name,
            name_pinyin=full,
            name_initials=initials,
            gender=rnd.choice(["male", "female"]),
            mobile=mobile,
            phone_last4=last4(mobile),
        )
        if relation in (Relation.OWNER, Relation.TENANT):
            number = self._resident_id()
            person.id_type = IdType.RESIDENT_ID
            person.id_number_cipher = encrypt_pii(number)
            person.id_number_hash = lookup_hash(number)
            person.id_number_masked = mask_id_number(number)
            person.emergency_name = rnd.choice(SURNAMES[:40]) + rnd.choice(GIVEN)
            person.emergency_relation = rnd.choice(["配偶", "子女", "父母", "朋友"])
            person.emergency_phone = self._mobile()
        return person

    def _mobile(self) -> str:
        while True:
            mobile = f"1{self.rnd.choice('3456789')}{self.rnd.randint(0, 999999999):09d}"
            if mobile not in self.mobiles:
                self.mobiles.add(mobile)
                return mobile

    def _resident_id(self) -> str:
        born = dt.date(1950, 1, 1) + dt.timedelta(days=self.rnd.randint(0, 365 * 50))
        first17 = f"{self.rnd.choice(REGIONS)}{born:%Y%m%d}{self.rnd.randint(0, 999):03d}"
        return first17 + resident_id_check_digit(first17)

    def _owners(
        self, unit: Unit, people: list[Person], relations: list[Relation], developer: Person
    ) -> list[Ownership]:
        owners = [p for p, r in zip(people, relations, strict=True) if r == Relation.OWNER]
        bought = dt.date(2012, 1, 1) + dt.timedelta(days=self.rnd.randint(0, 365 * 9))
        common: dict[str, Any] = {"community": self.c, "unit": unit}
        if not owners:
            return [
                Ownership(
                    **common, person=developer, share=Decimal(100), starts_on=dt.date(2012, 1, 1)
                )
            ]
        shares = [Decimal(100)] if len(owners) == 1 else [Decimal(50), Decimal(50)]
        return [
            Ownership(
                **common,
                person=developer,
                share=Decimal(100),
                starts_on=dt.date(2012, 1, 1),
                ends_on=bought - dt.timedelta(days=1),
            ),
            *[
                Ownership(
                    **common,
                    person=p,
                    share=s,
                    starts_on=bought,
                    contract_ref=f"HT{bought:%Y}{unit.pk:06d}",
                )
                for p, s in zip(owners, shares, strict=True)
            ],
        ]

    def _occupants(
        self, unit: Unit, people: list[Person], relations: list[Relation]
    ) -> list[Occupancy]:
        if unit.status not in (UnitStatus.OCCUPIED, UnitStatus.RENTED):
            return []
        rows: list[Occupancy] = []
        tenant = Relation.TENANT in relations
        since = dt.date(2016, 1, 1) + dt.timedelta(days=self.rnd.randint(0, 365 * 6))
        for person, relation in zip(people, relations, strict=True):
            if tenant and relation != Relation.TENANT:
                continue
            row = Occupancy(
                community=self.c,
                unit=unit,
                person=person,
                relation=relation,
                starts_on=since,
                is_primary_contact=not rows,
            )
            if relation == Relation.TENANT:
                row.lease_starts_on = self.today - dt.timedelta(days=self.rnd.randint(30, 600))
                row.lease_ends_on = row.lease_starts_on + dt.timedelta(days=730)
                row.consent_ref = f"ZL{unit.pk:06d}"
                row.starts_on = row.lease_starts_on
            rows.append(row)
        return rows

    def _vehicles(self, unit: Unit, people: list[Person]) -> list[Vehicle]:
        if not people or unit.status not in (UnitStatus.OCCUPIED, UnitStatus.RENTED):
            return []
        if self.rnd.random() > 0.35:
            return []
        while True:
            letter, digits = self.rnd.choice("ABCDEFGHJK"), self.rnd.randint(0, 99999)
            plate = f"{self.layout.plate_prefix}{letter}{digits:05d}"
            if plate not in self.plates:
                self.plates.add(plate)
                break
        return [
            Vehicle(
                community=self.c,
                unit=unit,
                person=people[-1],
                plate=plate,
                plate_tail=plate[1:],
                model=self.rnd.choice(MODELS),
                colour=self.rnd.choice(COLOURS),
            )
        ]

    def _parking(self) -> None:
        homes = [
            u for u in self.units if u.kind == UnitKind.FLAT and u.status == UnitStatus.OCCUPIED
        ]
        spaces = []
        for unit in self.units:
            if unit.kind != UnitKind.PARKING:
                continue
            sold = unit.status != UnitStatus.UNSOLD and homes
            spaces.append(
                ParkingSpace(
                    community=self.c,
                    number=unit.room_number,
                    tenure=(Tenure.OWNED if unit.status == UnitStatus.OCCUPIED else Tenure.RENTED)
                    if sold
                    else Tenure.UNASSIGNED,
                    unit=self.rnd.choice(homes) if sold else None,
                )
            )
        ParkingSpace.objects.bulk_create(spaces)


def _credit_check(first17: str) -> str:
    chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
    total = sum(chars.index(c) * w for c, w in zip(first17, weights, strict=True))
    return chars[(31 - total % 31) % 31]

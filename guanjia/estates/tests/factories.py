"""Factories for estates rows: plain ORM rows (fast); services have tests of their own."""

import datetime as dt
from decimal import Decimal

import factory

from guanjia.core.tests.factories import CommunityFactory
from guanjia.estates.models import (
    Building,
    Entrance,
    Occupancy,
    Ownership,
    ParkingSpace,
    Person,
    Pet,
    Relation,
    Unit,
    UnitStatus,
    Vehicle,
    Zone,
    room_code_for,
)
from guanjia.estates.models.identity import last4, pinyin_keys


class ZoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Zone

    community = factory.SubFactory(CommunityFactory)
    name = factory.Sequence(lambda n: f"{n}区")


class BuildingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Building

    community = factory.SubFactory(CommunityFactory)
    zone = factory.LazyAttribute(lambda o: ZoneFactory(community=o.community))
    number = factory.Sequence(lambda n: str(n + 1))
    floors_above = 33
    floors_below = 1


class EntranceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entrance

    building = factory.SubFactory(BuildingFactory)
    community = factory.LazyAttribute(lambda o: o.building.community)
    number = factory.Sequence(lambda n: str(n % 9 + 1))


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    community = factory.SubFactory(CommunityFactory)
    building = factory.LazyAttribute(lambda o: BuildingFactory(community=o.community))
    entrance = None
    floor = 12
    room_number = factory.Sequence(lambda n: f"12{n % 100:02d}" if n < 100 else str(1000 + n))
    building_area = Decimal("89.50")
    inner_area = Decimal("72.30")
    status = UnitStatus.OCCUPIED
    room_code = factory.LazyAttribute(
        lambda o: room_code_for(
            o.building.number, o.entrance.number if o.entrance else None, o.room_number
        )
    )


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    community = factory.SubFactory(CommunityFactory)
    name = "张三"
    mobile = factory.Sequence(lambda n: f"138{n:08d}")
    name_pinyin = factory.LazyAttribute(lambda o: pinyin_keys(o.name)[0])
    name_initials = factory.LazyAttribute(lambda o: pinyin_keys(o.name)[1])
    phone_last4 = factory.LazyAttribute(lambda o: last4(o.mobile))


class OwnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ownership

    unit = factory.SubFactory(UnitFactory)
    community = factory.LazyAttribute(lambda o: o.unit.community)
    person = factory.LazyAttribute(lambda o: PersonFactory(community=o.unit.community))
    share = Decimal("100")
    starts_on = dt.date(2020, 1, 1)


class OccupancyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Occupancy

    unit = factory.SubFactory(UnitFactory)
    community = factory.LazyAttribute(lambda o: o.unit.community)
    person = factory.LazyAttribute(lambda o: PersonFactory(community=o.unit.community))
    relation = Relation.OWNER
    starts_on = dt.date(2020, 1, 1)


class VehicleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vehicle

    unit = factory.SubFactory(UnitFactory)
    community = factory.LazyAttribute(lambda o: o.unit.community)
    plate = factory.Sequence(lambda n: f"粤A{n:05d}")
    plate_tail = factory.LazyAttribute(lambda o: o.plate[1:])


class ParkingSpaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ParkingSpace

    community = factory.SubFactory(CommunityFactory)
    number = factory.Sequence(lambda n: f"B1-{n:03d}")


class PetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pet

    unit = factory.SubFactory(UnitFactory)
    community = factory.LazyAttribute(lambda o: o.unit.community)
    name = "旺财"

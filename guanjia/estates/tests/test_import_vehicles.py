"""Vehicles from Excel: plates normalised and checked, drivers found among the residents."""

import pytest
from django.utils import translation

from guanjia.core.imports.models import ImportStatus
from guanjia.core.imports.services import commit_import, upload_import
from guanjia.core.imports.tests.factories import xlsx_upload
from guanjia.estates.models import Vehicle

from .factories import (
    BuildingFactory,
    OccupancyFactory,
    OwnershipFactory,
    PersonFactory,
    UnitFactory,
    VehicleFactory,
    ZoneFactory,
)

HEADER = ["楼栋", "单元", "房号", "车主姓名", "车牌号", "品牌型号", "颜色"]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def unit(world):
    building = BuildingFactory(community=world.a, zone=ZoneFactory(community=world.a), number="3")
    return UnitFactory(community=world.a, building=building, room_number="1201", floor=12)


def _upload(world, rows):
    return upload_import(
        kind="vehicles",
        upload=xlsx_upload([HEADER, *rows]),
        by=world.user("receptionist"),
        community=world.a,
    )


def _errors(batch):
    return [(e["line"], e["column"], e["message"]) for e in batch.errors]


def test_vehicles_are_registered_under_normalised_plates_with_their_drivers(world, unit):
    owner = OwnershipFactory(unit=unit, person=PersonFactory(community=world.a, name="曾志强"))
    tenant = OccupancyFactory(unit=unit, person=PersonFactory(community=world.a, name="陈租"))
    batch = _upload(
        world,
        [
            ["3", "", "1201", "曾志强", "粤a·12345", " 丰田 凯美瑞 ", "白色"],
            ["3", "", "1201", "陈租", "粤B-D12345", "", ""],
            ["3", "", "1201", "", "京Ａ８８８８８", "", "黑色"],
        ],
    )
    assert batch.status == ImportStatus.VALIDATED, batch.errors
    batch = commit_import(batch=batch, by=world.user("receptionist"))

    assert batch.report["created"] == 3
    cars = {v.plate: v for v in Vehicle.objects.filter(community=world.a)}
    assert set(cars) == {"粤A12345", "粤BD12345", "京A88888"}
    assert (cars["粤A12345"].person, cars["粤A12345"].plate_tail) == (owner.person, "A12345")
    assert cars["粤A12345"].model == "丰田 凯美瑞"
    assert cars["粤BD12345"].person == tenant.person
    assert (cars["京A88888"].person, cars["京A88888"].unit) == (None, unit)
    assert cars["京A88888"].history.count() == 1


def test_a_bad_or_repeated_plate_and_an_unknown_driver_are_refused(world, unit):
    VehicleFactory(unit=unit, plate="粤A00001")
    batch = _upload(
        world,
        [
            ["3", "", "1201", "", "A12345", "", ""],
            ["3", "", "1201", "", "粤A00001", "", ""],
            ["3", "", "1201", "", "粤A00002", "", ""],
            ["3", "", "1201", "", "粤a00002", "", ""],
            ["3", "", "1201", "路人甲", "粤A00003", "", ""],
            ["3", "", "404", "", "粤A00004", "", ""],
        ],
    )
    assert _errors(batch) == [
        (2, "车牌号", "A12345 is not a Chinese licence plate such as 粤A12345."),
        (3, "车牌号", "This plate is already registered in this community."),
        (5, "车牌号", "This plate is also on line 4 of this file."),
        (
            6,
            "车主姓名",
            "No current owner or occupant of 3-1201 is called 路人甲: import the owners and "
            "occupants first, or leave the name empty.",
        ),
        (7, "房号", "There is no unit 3-404 in this community: import the units first."),
    ]
    assert Vehicle.objects.count() == 1

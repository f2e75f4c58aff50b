"""Buildings and units from Excel: a good file commits, each bad row is named, else nothing."""

from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from guanjia.core.imports.models import ImportStatus
from guanjia.core.imports.services import commit_import, upload_import
from guanjia.core.imports.tests.factories import upload, xlsx_upload
from guanjia.estates.importers import UnitImporter
from guanjia.estates.models import Building, Entrance, Unit, UnitKind, UnitStatus

from .factories import BuildingFactory, UnitFactory, ZoneFactory

HEADER = [
    "楼栋",
    "单元",
    "房号",
    "楼层",
    "建筑面积",
    "套内面积",
    "房屋类型",
    "户型",
    "房屋状态",
    "片区",
]


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English (the message ids)."""
    with translation.override("en"):
        yield


@pytest.fixture
def east(world):
    return ZoneFactory(community=world.a, name="东区")


def _upload(world, rows, header=HEADER, role="receptionist"):
    return upload_import(
        kind="units", upload=xlsx_upload([header, *rows]), by=world.user(role), community=world.a
    )


def _errors(batch):
    return [(e["line"], e["column"], e["message"]) for e in batch.errors]


def test_a_good_file_creates_buildings_entrances_and_units_with_their_room_codes(world, east):
    batch = _upload(
        world,
        [
            ["３栋", "2单元", "1201室", "", "89.5", 72.3, "住宅", "三室两厅", "已入住", ""],
            [3, 2, 1202, 12, 120.3, "", "", "", "出租", "东区"],
            ["S1", "", "101", 1, "45.00", "", "商铺", "", "", ""],
        ],
    )
    assert batch.status == ImportStatus.VALIDATED, batch.errors
    batch = commit_import(batch=batch, by=world.user("receptionist"))

    assert batch.status == ImportStatus.COMMITTED, batch.errors
    assert batch.report == {
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "counts": {"buildings": 2, "entrances": 1},
    }
    flat = Unit.objects.get(room_code="3-2-1201")
    assert (flat.floor, flat.building_area, flat.inner_area) == (
        12,
        Decimal("89.50"),
        Decimal("72.30"),
    )
    assert (flat.kind, flat.layout, flat.status) == (UnitKind.FLAT, "三室两厅", UnitStatus.OCCUPIED)
    assert Unit.objects.get(room_code="3-2-1202").status == UnitStatus.RENTED
    shop = Unit.objects.get(room_code="S1-101")
    assert (shop.kind, shop.status, shop.entrance) == (UnitKind.SHOP, UnitStatus.UNSOLD, None)
    tower = Building.objects.get(community=world.a, number="3")
    assert (tower.zone, tower.floors_above, tower.floors_below) == (east, 12, 0)
    assert Entrance.objects.get(building=tower).number == "2"
    assert flat.history.count() == 1  # the bulk write keeps history like a single save


def test_english_headers_and_english_words_are_accepted(world, east):
    header = ["Building", "Entrance", "Room", "Floor", "Building area", "Type", "Status"]
    batch = _upload(world, [["7", "1", "302", "", "66", "office", "Vacant"]], header=header)
    commit_import(batch=batch, by=world.user("receptionist"))
    unit = Unit.objects.get(room_code="7-1-302")
    assert (unit.floor, unit.kind, unit.status) == (3, UnitKind.OFFICE, UnitStatus.VACANT)


def test_units_go_into_an_existing_building_within_its_floors(world, east):
    BuildingFactory(community=world.a, zone=east, number="5", floors_above=18)
    batch = _upload(world, [["5", "", "1801", "", "90", "", "", "", "", ""]])
    commit_import(batch=batch, by=world.user("receptionist"))
    assert Unit.objects.get(room_code="5-1801").building.number == "5"
    assert Building.objects.filter(community=world.a).count() == 1


def test_an_unknown_building_without_a_zone_is_refused_when_the_community_has_several(world, east):
    ZoneFactory(community=world.a, name="西区")
    batch = _upload(world, [["9", "", "101", "", "80", "", "", "", "", ""]])
    assert batch.status == ImportStatus.FAILED
    assert _errors(batch) == [
        (
            2,
            "楼栋",
            "Building 9 does not exist yet: give its zone (片区) to create it, "
            "or create the building first.",
        )
    ]
    assert not Building.objects.filter(community=world.a).exists()


def test_an_unknown_zone_and_a_building_of_another_zone_are_refused(world, east):
    BuildingFactory(community=world.a, zone=east, number="1")
    batch = _upload(
        world,
        [
            ["9", "", "101", "", "80", "", "", "", "", "北区"],
            ["1", "", "101", "", "80", "", "", "", "", "西区"],
        ],
    )
    assert _errors(batch) == [
        (2, "片区", "Unknown zone “北区”. The zones of this community are: 东区."),
        (3, "片区", "Building 1 is in zone 东区, not 西区."),
    ]


def test_a_room_repeated_in_the_file_or_already_registered_is_refused(world, east):
    building = BuildingFactory(community=world.a, zone=east, number="2", floors_above=20)
    UnitFactory(community=world.a, building=building, room_number="801", floor=8)
    batch = _upload(
        world,
        [
            ["2", "", "801", "", "80", "", "", "", "", ""],
            ["2", "", "802", "", "80", "", "", "", "", ""],
            ["2", "", " 802 ", "", "80", "", "", "", "", ""],
        ],
    )
    assert _errors(batch) == [
        (2, "房号", "Room 2-801 already exists in this community."),
        (4, "房号", "Room 2-802 is also on line 3 of this file."),
    ]
    assert Unit.objects.filter(community=world.a).count() == 1


@pytest.mark.parametrize(
    ("area", "inner", "column", "message"),
    [
        ("0", "", "建筑面积", "An area must be above 0 m²."),
        ("-12", "", "建筑面积", "An area must be above 0 m²."),
        (
            "12000",
            "",
            "建筑面积",
            "An area above 10,000 m² is not plausible: check the decimal point.",
        ),
        ("89.505", "", "建筑面积", "Give the area with at most two decimals."),
        ("89.50", "90", "套内面积", "The inner area cannot be larger than the building area."),
        ("eighty", "", "建筑面积", "Enter a number."),
    ],
)
def test_a_bad_area_is_refused_with_its_message(world, east, area, inner, column, message):
    batch = _upload(world, [["1", "", "101", "", area, inner, "", "", "", ""]])
    assert _errors(batch) == [(2, column, message)]
    assert not Unit.objects.exists()


def test_unknown_words_for_type_and_status_list_the_accepted_ones(world, east):
    batch = _upload(world, [["1", "", "101", "", "80", "", "厂房", "", "卖了", ""]])
    messages = {column: message for _line, column, message in _errors(batch)}
    assert messages["房屋类型"].startswith("Unknown value “厂房”. Use one of: 住宅、别墅、商铺")
    assert messages["房屋状态"].startswith("Unknown value “卖了”. Use one of: 未售、已售未通知")


def test_a_floor_that_cannot_be_read_or_is_outside_the_building_is_refused(world, east):
    BuildingFactory(community=world.a, zone=east, number="5", floors_above=18, floors_below=0)
    batch = _upload(
        world,
        [
            ["5", "", "A1", "", "80", "", "", "", "", ""],
            ["5", "", "2501", "", "80", "", "", "", "", ""],
        ],
    )
    assert _errors(batch) == [
        (2, "楼层", "Give the floor: it cannot be read from room number A1."),
        (3, "楼层", "Building 5 has floors -0 to 18, without 0."),
    ]


def test_an_area_manager_imports_only_into_the_zones_they_look_after(world, east):
    manager = world.user("area_manager")
    west = ZoneFactory(community=world.a, name="西区", area_manager=manager)
    BuildingFactory(community=world.a, zone=east, number="1")
    BuildingFactory(community=world.a, zone=west, number="2")
    batch = _upload(
        world,
        [
            ["1", "", "101", "", "80", "", "", "", "", ""],
            ["2", "", "101", "", "80", "", "", "", "", ""],
        ],
        role="area_manager",
    )
    assert _errors(batch) == [
        (2, "楼栋", "This unit is in a zone another area manager looks after.")
    ]


def test_a_room_registered_between_preview_and_commit_fails_the_batch_and_saves_nothing(
    world, east
):
    batch = _upload(
        world,
        [
            ["1", "", "101", "", "80", "", "", "", "", ""],
            ["1", "", "102", "", "80", "", "", "", "", ""],
        ],
    )
    building = BuildingFactory(community=world.a, zone=east, number="1")
    UnitFactory(community=world.a, building=building, room_number="102", floor=1)

    batch = commit_import(batch=batch, by=world.user("receptionist"))

    assert batch.status == ImportStatus.FAILED
    assert _errors(batch) == [(3, "房号", "Room 1-102 already exists in this community.")]
    assert list(Unit.objects.values_list("room_number", flat=True)) == ["102"]


def test_a_file_that_is_not_a_workbook_or_too_large_is_refused_and_nothing_is_stored(
    world, east, monkeypatch
):
    from django.core.exceptions import ValidationError

    from guanjia.core.imports.models import ImportBatch

    with pytest.raises(ValidationError) as wrong:
        upload_import(
            kind="units",
            upload=upload(b"a,b\n1,2\n", name="units.csv"),
            by=world.user("receptionist"),
            community=world.a,
        )
    monkeypatch.setattr(UnitImporter, "max_bytes", 100)
    with pytest.raises(ValidationError) as large:
        _upload(world, [["1", "", "101", "", "80", "", "", "", "", ""]])
    assert wrong.value.messages == [
        "The file is not an Excel workbook (.xlsx). Open it in Excel or WPS and save it as .xlsx."
    ]
    assert "the limit is 100\xa0bytes" in large.value.messages[0]
    assert not ImportBatch.objects.exists()


def test_checking_a_large_file_takes_a_fixed_number_of_queries(
    world, east, django_assert_max_num_queries
):
    rows = [
        ["1", str(e), f"{f}0{p}", "", "80", "", "", "", "", ""]
        for e in (1, 2)
        for f in range(1, 31)
        for p in (1, 2, 3)
    ]
    world.user("receptionist")  # the user exists before counting
    with django_assert_max_num_queries(20):
        batch = _upload(world, rows)
    assert batch.row_count == 180
    assert batch.status == ImportStatus.VALIDATED


@pytest.mark.parametrize("kind", ["units", "owners", "occupants", "vehicles"])
def test_the_template_of_each_kind_downloads_with_its_chinese_headers(world, kind):
    response = world.client("receptionist").get(reverse("imports:template", kwargs={"kind": kind}))
    assert response.status_code == 200
    import io

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    assert headers[:3] == ["楼栋", "单元", "房号"]

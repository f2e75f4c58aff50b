"""The developer's owner roll (业主清册): units, areas and owners on one sheet, imported in
one step through the units' and the owners' checks, all or nothing (issue 10)."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from guanjia.core.imports.models import ImportStatus
from guanjia.core.imports.services import commit_import, upload_import
from guanjia.estates.models import Building, Ownership, Person, Unit, UnitStatus
from guanjia.estates.models.identity import resident_id_check_digit

from .factories import BuildingFactory, UnitFactory, ZoneFactory

ZH = ["楼栋", "单元", "房号", "建筑面积", "套内面积", "户型", "业主姓名", "联系电话", "证件号码"]
ZH += ["产权比例", "入伙日期"]
EN = ["Building", "Entrance", "Room", "Building area", "Inner area", "Layout", "Owner", "Phone"]
EN += ["ID number", "Share", "Owner since"]


def resident_id(first17: str) -> str:
    return first17 + resident_id_check_digit(first17)


ZENG_ID = resident_id("44010619800101123")
LI_ID = resident_id("44010619850505456")


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def zone(world):
    return ZoneFactory(community=world.a, name="东区")


def _roll(header, rows) -> SimpleUploadedFile:
    """A real .xlsx as the developer sends it: a title row is not allowed, so the header
    first, then one row per owner."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "业主清册"
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return SimpleUploadedFile("业主清册.xlsx", output.getvalue(), content_type=kind)


def _upload(world, header, rows, role="receptionist"):
    return upload_import(
        kind="owner_roll", upload=_roll(header, rows), by=world.user(role), community=world.a
    )


def _errors(batch):
    return [(e["line"], e["column"], e["message"]) for e in batch.errors]


GOOD = [
    ["3", "1", "1201", "89.50", "72.30", "三室两厅", "曾志强", "13912345678", ZENG_ID, "50", ""],
    ["3", "1", "1201", "89.50", "72.30", "三室两厅", "李丽", "13812345678", LI_ID, "50", ""],
    ["3", "1", "1202", 101.2, None, "", "曾志强", "13912345678", ZENG_ID, "", "2024-05-01"],
]


def test_a_good_roll_makes_the_units_and_their_owners_in_one_step(world, zone):
    batch = _upload(world, ZH, GOOD)
    assert batch.status == ImportStatus.VALIDATED, batch.errors
    batch = commit_import(batch=batch, by=world.user("receptionist"))

    assert batch.status == ImportStatus.COMMITTED
    assert batch.report["created"] == 2
    assert batch.report["counts"] == {
        "buildings": 1,
        "entrances": 1,
        "persons": 2,
        "ownerships": 3,
    }
    unit = Unit.objects.get(community=world.a, room_code="3-1-1201")
    assert (unit.building_area, unit.inner_area, unit.floor, unit.layout, unit.status) == (
        Decimal("89.50"),
        Decimal("72.30"),
        12,
        "三室两厅",
        UnitStatus.SOLD_NOT_NOTIFIED,
    )
    assert Building.objects.get(community=world.a, number="3").zone == zone
    owners = Ownership.objects.filter(unit=unit).order_by("person__name")
    assert sorted((o.person.name, o.share) for o in owners) == [
        ("曾志强", Decimal("50.00")),
        ("李丽", Decimal("50.00")),
    ]
    other = Ownership.objects.get(unit__room_code="3-1-1202")
    assert (other.person.name, other.share) == ("曾志强", Decimal("100.00"))
    assert Person.objects.filter(community=world.a, name="曾志强").count() == 1


def test_english_headers_are_read_the_same(world, zone):
    batch = _upload(world, EN, GOOD)
    assert batch.status == ImportStatus.VALIDATED, batch.errors
    commit_import(batch=batch, by=world.user("receptionist"))
    assert Unit.objects.filter(community=world.a).count() == 2
    assert Ownership.objects.filter(community=world.a).count() == 3


def test_a_roll_is_no_longer_refused_for_unknown_columns(world, zone):
    """The header that both the units and the owners imports refuse is this import's own."""
    for kind in ("units", "owners"):
        with pytest.raises(Exception, match="nknown"):
            upload_import(
                kind=kind, upload=_roll(ZH, GOOD), by=world.user("receptionist"), community=world.a
            )
    assert _upload(world, ZH, GOOD).status == ImportStatus.VALIDATED


def test_bad_rows_are_reported_by_line_and_column_and_nothing_is_saved(world, zone):
    rows = [
        ["3", "1", "1201", "-5", "", "", "曾志强", "13912345678", ZENG_ID, "", ""],
        ["3", "1", "1202", "90", "95", "", "王五", "12345", "", "", ""],
        ["3", "1", "1203", "90", "", "", "赵六", "", ZENG_ID[:-1] + "0", "", ""]
        if ZENG_ID[-1] != "0"
        else ["3", "1", "1203", "90", "", "", "赵六", "", ZENG_ID[:-1] + "1", "", ""],
    ]
    batch = _upload(world, ZH, rows)
    assert batch.status == ImportStatus.FAILED
    found = {(line, column) for line, column, _message in _errors(batch)}
    assert (2, "建筑面积") in found
    assert (3, "套内面积") in found
    assert (3, "联系电话") in found
    assert (4, "证件号码") in found
    id_values = [e["value"] for e in batch.errors if e["column"] == "证件号码"]
    assert id_values
    assert all("*" in value for value in id_values)  # ID numbers masked
    assert not any(ZENG_ID[:-1] in str(e) for e in batch.errors)
    assert not Unit.objects.filter(community=world.a).exists()
    assert not Person.objects.filter(community=world.a).exists()


def test_a_person_repeated_for_one_room_is_reported_as_a_duplicate(world, zone):
    rows = [GOOD[0], GOOD[0]]
    batch = _upload(world, ZH, rows)
    assert batch.status == ImportStatus.FAILED
    messages = [m for line, column, m in _errors(batch) if line == 3]
    assert any("already listed for room 3-1-1201 on line 2" in m for m in messages), messages


def test_a_co_owner_row_that_gives_other_areas_is_refused(world, zone):
    second = [*GOOD[1]]
    second[3] = "90.00"
    batch = _upload(world, ZH, [GOOD[0], second])
    assert _errors(batch) == [(3, "建筑面积", "Differs from line 2, which gives this room's unit.")]


def test_a_room_that_already_exists_is_refused_as_the_units_import_refuses_it(world, zone):
    building = BuildingFactory(community=world.a, zone=zone, number="3")
    UnitFactory(community=world.a, building=building, entrance=None, room_number="1201", floor=12)
    rows = [["3", "", "1201", "89.50", "", "", "曾志强", "13912345678", ZENG_ID, "", ""]]
    batch = _upload(world, ZH, rows)
    assert _errors(batch) == [(2, "房号", "Room 3-1201 already exists in this community.")]
    assert not Ownership.objects.exists()


def test_the_roll_commits_all_or_nothing_when_data_changed_after_the_preview(world, zone):
    batch = _upload(world, ZH, GOOD)
    assert batch.status == ImportStatus.VALIDATED
    building = BuildingFactory(community=world.a, zone=zone, number="3")
    from .factories import EntranceFactory

    entrance = EntranceFactory(building=building, number="1")
    UnitFactory(community=world.a, building=building, entrance=entrance, room_number="1202")
    batch = commit_import(batch=batch, by=world.user("receptionist"))
    assert batch.status == ImportStatus.FAILED
    assert _errors(batch) == [(4, "房号", "Room 3-1-1202 already exists in this community.")]
    assert Unit.objects.filter(community=world.a).count() == 1  # only the one made above
    assert not Ownership.objects.exists()
    assert not Person.objects.filter(community=world.a).exists()


def test_the_template_downloads_with_the_unit_and_owner_headers(world):
    from django.urls import reverse

    client = world.client("receptionist")
    response = client.get(reverse("imports:template", kwargs={"kind": "owner_roll"}))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    assert headers[:4] == ["楼栋", "单元", "房号", "楼层"]
    assert {"建筑面积", "业主姓名", "证件号码", "产权比例"} <= {h.rstrip("*") for h in headers}


def test_the_preview_of_a_large_roll_takes_a_bounded_number_of_queries(
    world, zone, django_assert_max_num_queries
):
    rows = [
        ["5", str(e), f"{f}0{p}", "88.00", "", "", f"业主{e}{f}{p}", "", "", "", ""]
        for e in (1, 2)
        for f in range(1, 31)
        for p in (1, 2, 3)
    ]
    world.user("receptionist")  # the user exists before counting
    with django_assert_max_num_queries(25):
        batch = _upload(world, ZH, rows)
    assert batch.row_count == 180
    assert batch.status == ImportStatus.VALIDATED, batch.errors[:3]

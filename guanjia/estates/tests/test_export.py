"""Excel exports of the estates lists: filters respected, personal data masked, formulas
escaped, long lists as a job, and units and vehicles import back."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from guanjia.accounts.tests.factories import staff
from guanjia.core.imports.models import ImportStatus
from guanjia.core.imports.services import commit_import, upload_import
from guanjia.core.imports.tests.factories import upload
from guanjia.core.imports.xlsx import export_xlsx
from guanjia.core.jobs.models import JobRun, JobStatus
from guanjia.core.personal_data import mask_id_number
from guanjia.estates.importers import PersonExporter, UnitExporter, VehicleExporter
from guanjia.estates.models import Building, Unit, UnitKind, UnitStatus, Vehicle, room_code_for
from guanjia.estates.models.identity import lookup_hash

from .factories import (
    BuildingFactory,
    EntranceFactory,
    OccupancyFactory,
    OwnershipFactory,
    PersonFactory,
    UnitFactory,
    VehicleFactory,
    ZoneFactory,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ID_NUMBER = "440106198001011235"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _sheet(content: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _export(world, name, query="", role="director"):
    response = world.client(role).get(reverse(f"estates:{name}") + query)
    assert response.status_code == 200, response
    assert response["Content-Type"] == XLSX
    return _sheet(response.content)


@pytest.fixture
def tower(world):
    zone = ZoneFactory(community=world.a, name="东区")
    return BuildingFactory(community=world.a, zone=zone, number="3", floors_above=18)


def test_the_unit_list_exports_the_filtered_rows_of_the_current_community(world, tower):
    UnitFactory(community=world.a, building=tower, room_number="1201", status=UnitStatus.OCCUPIED)
    UnitFactory(community=world.a, building=tower, room_number="1202", status=UnitStatus.VACANT)
    UnitFactory(community=world.b, room_number="1201", status=UnitStatus.OCCUPIED)

    rows = _export(world, "unit-export", "?status=occupied&page=2", role="cashier")

    assert rows[0] == [
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
    assert rows[1:] == [["3", None, "1201", 12, 89.5, 72.3, "住宅", None, "已入住", "东区"]]


def test_people_are_exported_with_every_phone_and_id_number_masked(world, tower):
    person = PersonFactory(
        community=world.a,
        name="曾志强",
        mobile="13912345678",
        other_phone="020-88881234",
        emergency_name="曾母",
        emergency_phone="13800001111",
        id_type="resident_id",
        id_number_hash=lookup_hash(ID_NUMBER),
        id_number_masked=mask_id_number(ID_NUMBER),
    )
    OwnershipFactory(
        unit=UnitFactory(community=world.a, building=tower, room_number="1201"), person=person
    )

    rows = _export(world, "person-export", role="receptionist")

    cells = [str(cell) for row in rows for cell in row if cell is not None]
    for secret in ("13912345678", "88881234", "13800001111", ID_NUMBER):
        assert not any(secret in cell for cell in cells), secret
    record = dict(zip(rows[0], rows[1], strict=True))
    assert (record["手机"], record["其他电话"], record["紧急联系电话"]) == (
        "139****5678",
        "020-****1234",
        "138****1111",
    )
    assert (record["证件类型"], record["证件号码"]) == ("居民身份证", "4401**********1235")
    assert record["房屋"] == "3-1201"


def test_text_that_a_spreadsheet_would_run_as_a_formula_is_escaped(world, tower):
    PersonFactory(community=world.a, name='=HYPERLINK("http://evil.example","x")')
    VehicleFactory(unit=UnitFactory(community=world.a, building=tower), model="+cmd|' /C calc'!A0")

    people = _export(world, "person-export")
    vehicles = _export(world, "vehicle-export")

    assert people[1][0] == '\'=HYPERLINK("http://evil.example","x")'
    assert vehicles[1][5] == "'+cmd|' /C calc'!A0"


def test_an_exported_unit_list_imports_back_into_another_community(world, tower):
    entrance = EntranceFactory(building=tower, number="2")
    UnitFactory(
        community=world.a,
        building=tower,
        entrance=entrance,
        room_number="1201",
        building_area=Decimal("120.35"),
        inner_area=None,
        kind=UnitKind.OFFICE,
        layout="大开间",
        status=UnitStatus.RENTED,
    )
    UnitFactory(
        community=world.a, building=tower, room_number="101", floor=1, status=UnitStatus.UNSOLD
    )
    exporter = UnitExporter(by=world.user("director"), community=world.a, params={})
    content = export_xlsx(exporter.rows(), exporter.columns, title="units")
    ZoneFactory(community=world.b, name="东区")
    clerk_b = staff("receptionist", world.b, company=world.company)

    batch = upload_import(kind="units", upload=upload(content), by=clerk_b, community=world.b)
    assert batch.status == ImportStatus.VALIDATED, batch.errors
    commit_import(batch=batch, by=clerk_b)

    def fields(community):
        return sorted(
            Unit.objects.filter(community=community).values_list(
                "room_code", "floor", "building_area", "inner_area", "kind", "layout", "status"
            )
        )

    assert fields(world.b) == fields(world.a)
    assert Building.objects.get(community=world.b).zone.name == "东区"


def test_exported_vehicles_import_back_with_their_drivers(world, tower):
    unit = UnitFactory(community=world.a, building=tower, room_number="1201")
    driver = OccupancyFactory(
        unit=unit, person=PersonFactory(community=world.a, name="陈租")
    ).person
    VehicleFactory(unit=unit, person=driver, plate="粤A12345", model="比亚迪", colour="白色")
    VehicleFactory(unit=unit, plate="粤B54321")
    exporter = VehicleExporter(by=world.user("director"), community=world.a, params={})
    content = export_xlsx(exporter.rows(), exporter.columns, title="vehicles")
    Vehicle.history.all().delete()
    Vehicle.objects.all().delete()

    clerk = world.user("receptionist")
    batch = upload_import(kind="vehicles", upload=upload(content), by=clerk, community=world.a)
    commit_import(batch=batch, by=clerk)

    assert sorted(Vehicle.objects.values_list("plate", "person__name", "model", "colour")) == [
        ("粤A12345", "陈租", "比亚迪", "白色"),
        ("粤B54321", None, "", ""),
    ]


def test_a_bad_filter_exports_nothing_and_says_why(world, tower):
    url = reverse("estates:unit-export") + "?status=bogus"
    response = world.client("director").get(url, headers={"accept-language": "en"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("estates:unit-list"))
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any(m.startswith("Status: Select a valid choice.") for m in messages)


def test_a_long_list_is_exported_by_a_job_whose_file_only_its_owner_downloads(
    world, tower, django_capture_on_commit_callbacks
):
    Unit.objects.bulk_create(
        Unit(
            community=world.a,
            building=tower,
            floor=1 + n // 200,
            room_number=f"R{n}",
            room_code=room_code_for("3", None, f"R{n}"),
            building_area=Decimal("80"),
        )
        for n in range(2001)
    )
    client = world.client("cashier")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("estates:unit-export"))

    run = JobRun.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("jobs:jobrun-detail", kwargs={"pk": run.pk})
    assert (run.status, run.result["rows"], run.progress_done) == (JobStatus.SUCCEEDED, 2001, 2001)
    download = client.get(run.result["file_url"])
    assert len(_sheet(b"".join(download.streaming_content))) == 2002
    other = world.client("director").get(run.result["file_url"])
    assert other.status_code == 404


@pytest.mark.parametrize(
    "name",
    [
        "unit-export",
        "building-export",
        "zone-export",
        "entrance-export",
        "person-export",
        "vehicle-export",
        "parking-export",
        "access-log-export",
    ],
)
def test_every_estates_list_exports_to_a_workbook_with_chinese_headers(world, tower, name):
    rows = _export(world, name)
    assert rows[0]
    assert all(isinstance(header, str) for header in rows[0])


def test_exporting_people_takes_a_fixed_number_of_queries(
    world, tower, django_assert_max_num_queries
):
    for n in range(30):
        unit = UnitFactory(community=world.a, building=tower, room_number=f"{n + 101}", floor=1)
        OwnershipFactory(unit=unit, person=PersonFactory(community=world.a, name=f"业主{n}"))
        OccupancyFactory(unit=unit, starts_on=dt.date(2021, 1, 1))
    exporter = PersonExporter(by=world.user("director"), community=world.a, params={})
    with django_assert_max_num_queries(6):  # 4, and the exporter's user access (read once)
        rows = list(exporter.rows())
    assert len(rows) == 60


@pytest.mark.parametrize(
    ("page", "links"),
    [
        ("estates:unit-list", ["estates:unit-export", ("imports:upload", "units")]),
        ("estates:building-list", ["estates:building-export", ("imports:upload", "units")]),
        (
            "estates:person-list",
            [
                "estates:person-export",
                ("imports:upload", "owners"),
                ("imports:upload", "occupants"),
            ],
        ),
        ("estates:vehicle-list", ["estates:vehicle-export", ("imports:upload", "vehicles")]),
        ("estates:parking-list", ["estates:parking-export"]),
        ("estates:zone-list", ["estates:zone-export"]),
    ],
)
def test_the_lists_link_to_their_export_with_the_filters_and_to_their_import(world, page, links):
    html = world.client("receptionist").get(reverse(page) + "?q=1").content.decode()
    for link in links:
        url = (
            reverse(link[0], kwargs={"kind": link[1]}) if isinstance(link, tuple) else reverse(link)
        )
        assert url in html, url
    assert f"{reverse(links[0])}?q=1" in html


def test_a_role_that_may_not_import_sees_no_import_link(world):
    html = world.client("cashier").get(reverse("estates:unit-list")).content.decode()
    assert reverse("estates:unit-export") in html
    assert reverse("imports:upload", kwargs={"kind": "units"}) not in html

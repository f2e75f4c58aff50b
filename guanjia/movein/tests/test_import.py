"""The buyer list from Excel (core.imports): rows checked against the units (unknown unit,
already delivered, already on a batch, twice in the file), the ID number's check digit, a
company without its contact; all rows or none; the batch named or the only open one."""

import io

import pytest
from django.urls import reverse
from openpyxl import Workbook

from guanjia.core.imports.models import ImportBatch
from guanjia.estates.models import UnitStatus

from ..models import Delivery
from .factories import batch, listed, resident_id, sold_unit

pytestmark = pytest.mark.django_db
HEAD = [
    "交房批次",
    "楼栋",
    "单元",
    "房号",
    "业主姓名",
    "业主类型",
    "联系人",
    "证件号码",
    "联系电话",
    "购房合同号",
]


def _xlsx(rows):
    wb = Workbook()
    ws = wb.active
    ws.append(HEAD)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "buyers.xlsx"
    return out


def _row(unit, name="张三", number=None, batch_name="一期", kind="", contact=""):
    return [batch_name, unit.building.number, "", unit.room_number, name, kind, contact,
            resident_id() if number is None else number, "13800001111", "HT-001"]  # fmt: skip


def _upload(world, rows):
    client = world.client("director")
    response = client.post(reverse("imports:upload", args=["movein_buyers"]), {"file": _xlsx(rows)})
    return client, response, ImportBatch.objects.order_by("-pk").first()


def test_a_good_list_is_committed_onto_the_open_batch(world):
    b = batch(world, name="一期")
    units = [sold_unit(world.a) for _ in range(3)]
    client, response, imp = _upload(world, [_row(u) for u in units])
    assert imp is not None, response
    assert imp.status == "validated", imp.errors
    client.post(reverse("imports:batch-commit", args=["movein_buyers", imp.pk]))
    assert Delivery.objects.filter(batch=b).count() == 3
    assert Delivery.objects.first().id_number_masked.startswith("110")


def test_bad_rows_are_each_reported_and_nothing_is_written(world):
    batch(world, name="一期")
    good = sold_unit(world.a)
    done = sold_unit(world.a, status=UnitStatus.DELIVERED)
    taken = listed(world).unit
    from guanjia.estates.tests.factories import BuildingFactory

    rows = [
        _row(good),
        _row(good),  # twice in the file
        [
            "",
            BuildingFactory(community=world.a).number,
            "",
            "9999",
            "李四",
            "",
            "",
            resident_id(),
            "",
            "",
        ],
        _row(done),
        _row(taken),
        _row(sold_unit(world.a), number="110101199003071234"),  # bad check digit
        _row(sold_unit(world.a), kind="单位"),  # a company without its contact
        _row(sold_unit(world.a), batch_name="没有这个批次"),
    ]
    _client, _response, imp = _upload(world, rows)
    assert imp.status == "failed"
    lines = sorted({e["line"] for e in imp.errors})
    assert lines == [3, 4, 5, 6, 7, 8, 9]
    text = " ".join(e["message"] for e in imp.errors)
    assert "没有房屋 " in text
    assert "已交付" in text
    assert "已在批次" in text
    assert "重复" in text
    assert "校验位" in text or "check digit" in text
    assert "联系人" in text
    assert Delivery.objects.filter(unit=good).count() == 0


def test_the_batch_must_be_named_when_several_are_open(world):
    batch(world)
    batch(world)
    _client, _response, imp = _upload(world, [_row(sold_unit(world.a), batch_name="")])
    assert imp.status == "failed"
    assert imp.errors[0]["column"] in ("交房批次", "batch")


def test_the_receptionist_may_not_import_a_buyer_list(world):
    client = world.client("receptionist")
    response = client.post(reverse("imports:upload", args=["movein_buyers"]), {"file": _xlsx([])})
    assert response.status_code == 403

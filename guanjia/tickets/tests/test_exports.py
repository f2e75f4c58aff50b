"""Issue 11: the register, complaint and repair lists as Excel files, filtered as on the page,
phones masked, the current community only."""

import io

import openpyxl
from django.urls import reverse

from .factories import complaint, entry, repair


def _sheet(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = list(book.active.iter_rows(values_only=True))
    return rows[0], rows[1:]


def test_the_register_exports_with_masked_phones_and_only_this_community(world):
    mine = entry(world, world.a, "suggestion", requester_phone="13812345678")
    entry(world, world.b, "suggestion")
    header, rows = _sheet(world.client("receptionist").get(reverse("tickets:request-export")))
    assert "受理时间" in header
    assert [row[0] for row in rows] == [mine.number]
    text = " ".join(str(cell) for cell in rows[0])
    assert "138****5678" in text
    assert "13812345678" not in text


def test_the_complaint_export_keeps_the_lists_filter(world):
    registered = complaint(world, world.a, "registered")
    complaint(world, world.a, "handling")
    client = world.client("supervisor")
    _header, rows = _sheet(
        client.get(reverse("tickets:complaint-export"), {"status": "registered"})
    )
    assert [row[0] for row in rows] == [registered.number]


def test_the_repair_export_names_the_technician_and_reads_its_charge(world):
    order = repair(world, world.a, "dispatched")
    header, rows = _sheet(world.client("engineering_lead").get(reverse("tickets:repair-export")))
    row = dict(zip(header, rows[0], strict=True))
    assert row["编号"] == order.number
    assert row["维修工"] == order.technician.display_name
    assert row["应收"] in ("free", "免费")


def test_a_wrong_filter_goes_back_to_the_list_with_its_message(world):
    response = world.client("supervisor").get(
        reverse("tickets:complaint-export"), {"status": "nonsense"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("tickets:complaint-list"))


def test_an_export_needs_the_lists_permission(world):
    assert world.client("hr").get(reverse("tickets:repair-export")).status_code == 403


def test_an_export_runs_the_same_queries_for_more_rows(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = world.client("supervisor")
    complaint(world, world.a, "handling")
    client.get(reverse("tickets:complaint-export"))  # warm the caches (session, permissions)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("tickets:complaint-export"))
    for _ in range(4):
        complaint(world, world.a, "handling", requester_phone="13800000000")
    with CaptureQueriesContext(connection) as five:
        _header, rows = _sheet(client.get(reverse("tickets:complaint-export")))
    assert len(rows) == 5
    assert len(five) == len(one), "\n".join(q["sql"][:150] for q in five.captured_queries)

"""The pages: every list and detail renders in Chinese; a refused form is shown again with its
errors and 400, nothing saved; a bad filter value shows no rows; the inspection sheet and its
print; the report with its chart and Excel; the queue by step; the workbench's overdue kind."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from ..models import Defect, DeliveryBatch, DeliveryStatus
from .factories import SIGN, batch, delivered, notified, verified

pytestmark = pytest.mark.django_db


def test_a_batch_opened_on_the_page(world):
    client = world.client("director")
    day = timezone.localdate().isoformat()
    response = client.post(
        reverse("movein:batch-create"),
        {"name": "一期一批", "notice_date": day, "counter_from": day, "counter_to": day,
         "counter_hours": "9:00-17:00", "checked": ["takeover", "services"]},
    )  # fmt: skip
    assert response.status_code == 302
    b = DeliveryBatch.objects.get()
    assert b.takeover_checked_by == world.user("director")
    page = client.get(reverse("movein:batch-detail", args=[b.pk]))
    assert "前提条件" in page.content.decode()
    assert "我已核实" in page.content.decode()  # the contract is still to tick


@pytest.mark.parametrize(
    ("change", "field_text"),
    [
        ({"name": ""}, "name"),
        ({"counter_to": "2000-01-01"}, "counter"),
        ({"notice_date": "not a date"}, "notice_date"),
        ({"checked": ["nonsense"]}, "checked"),
    ],
)
def test_a_bad_batch_form_is_shown_again_with_400(world, change, field_text):
    day = timezone.localdate().isoformat()
    body = {"name": "一期", "notice_date": day, "counter_from": day, "counter_to": day,
            "counter_hours": "9-5", **change}  # fmt: skip
    response = world.client("director").post(reverse("movein:batch-create"), body)
    assert response.status_code == 400
    assert not DeliveryBatch.objects.exists()


def test_the_counter_page_shows_the_steps_in_order_and_refuses_a_skipped_one(world):
    d = notified(world)
    client = world.client("receptionist")
    page = client.get(reverse("movein:delivery-detail", args=[d.pk])).content.decode()
    assert "核验业主" in page
    assert "等待前面的步骤" in page
    response = client.post(
        reverse("movein:delivery-keys", args=[d.pk]),
        {"count": 2, "description": "钥匙", "signature": SIGN},
    )
    assert response.status_code == 400
    assert "请先办理" in response.content.decode()
    d.refresh_from_db()
    assert d.status == DeliveryStatus.NOTIFIED


def test_verification_on_the_page_with_a_wrong_id_is_refused(world):
    d = notified(world)
    response = world.client("receptionist").post(
        reverse("movein:delivery-verify", args=[d.pk]),
        {"verified_as": "owner", "id_number": "110101199003078888"},
    )
    assert response.status_code == 400
    assert "与开发商名单不符" in response.content.decode()


def test_a_bad_step_value_is_refused_on_the_page(world):
    d = verified(world)
    response = world.client("receptionist").post(
        reverse("movein:delivery-documents", args=[d.pk]), {"signature": "data:image/png;base64,@@"}
    )
    assert response.status_code == 400
    d.refresh_from_db()
    assert d.documents_at is None


def test_the_inspection_sheet_on_a_phone_refuses_a_defect_without_a_photo(world):
    d = verified(world)
    client = world.client("area_manager")
    response = client.post(reverse("movein:delivery-inspect", args=[d.pk]))
    assert response.status_code == 302
    page = client.get(reverse("movein:inspection", args=[d.pk])).content.decode()
    assert "记录问题" in page
    assert 'capture="environment"' in page
    response = client.post(
        reverse("movein:inspection-defect", args=[d.pk]),
        {"room": "客厅", "item": "墙面", "description": "裂缝", "responsible": "developer"},
    )
    assert response.status_code == 400
    assert "请为问题拍照" in response.content.decode()
    assert not Defect.objects.exists()
    printed = client.get(reverse("movein:inspection-print", args=[d.pk]))
    assert "入住验房表" in printed.content.decode()


def test_the_lists_filter_and_a_bad_filter_value_shows_nothing(world):
    d = delivered(world, defect=True)
    client = world.client("engineering_lead")
    assert d.unit.room_code in client.get(reverse("movein:defect-list")).content.decode()
    bad = client.get(reverse("movein:defect-list"), {"status": "nonsense"})
    assert bad.status_code == 200
    assert d.unit.room_code not in bad.content.decode()
    rec = world.client("receptionist")
    assert (
        d.unit.room_code
        in rec.get(reverse("movein:delivery-list"), {"status": "delivered"}).content.decode()
    )
    assert (
        d.unit.room_code
        not in rec.get(reverse("movein:delivery-list"), {"batch": "abc"}).content.decode()
    )


def test_overdue_defects_are_listed_and_on_the_workbench(world):
    from guanjia.core.workbench.selectors import workbench

    def counts(role, community=world.a):
        return {c.kind.code: c.total for c in workbench(world.user(role), community).counts}

    d = delivered(world, defect=True)
    Defect.objects.filter(delivery=d).update(deadline=timezone.localdate() - dt.timedelta(days=1))
    response = world.client("engineering_lead").get(
        reverse("movein:defect-list"), {"overdue": "true"}
    )
    assert d.unit.room_code in response.content.decode()
    assert counts("engineering_lead")["movein.defects_overdue"] == 1
    assert "movein.defects_overdue" not in counts("cashier")


def test_the_queue_shows_todays_buyers_by_step(world):
    d = verified(world)
    page = world.client("receptionist").get(reverse("movein:queue")).content.decode()
    assert 'data-queue="registered"' in page
    column = page.split('data-queue="registered"')[1].split("data-queue=")[0]
    assert d.unit.room_code in column


def test_the_report_has_its_chart_and_excel(world):
    delivered(world, defect=True)
    client = world.client("director")
    page = client.get(reverse("movein:report")).content.decode()
    assert "<svg" in page
    assert "整改率" in page
    xlsx = client.get(reverse("movein:report-export"))
    assert xlsx.status_code == 200
    assert xlsx.content[:2] == b"PK"


def test_the_notices_pdf_is_a_job_and_downloads(world, django_capture_on_commit_callbacks):
    from guanjia.core.jobs.models import JobRun

    d = notified(world)
    client = world.client("director")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("movein:batch-notices", args=[d.batch_id]))
    assert response.status_code == 302
    run = JobRun.objects.get()
    assert run.status == "succeeded", run.error
    pdf = client.get(reverse("movein:batch-notices-download", args=[d.batch_id]))
    assert pdf.status_code == 200
    assert b"".join(pdf.streaming_content)[:4] == b"%PDF"


def test_another_communitys_batch_is_404(world):
    b = batch(world, world.b)
    assert (
        world.client("director").get(reverse("movein:batch-detail", args=[b.pk])).status_code == 404
    )


def test_the_sheet_signed_on_the_page(world):
    d = verified(world)
    client = world.client("area_manager")
    client.post(reverse("movein:delivery-inspect", args=[d.pk]))
    response = client.post(
        reverse("movein:inspection-sign", args=[d.pk]),
        {"water": "12.50", "owner_signature": SIGN, "inspector_signature": SIGN},
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    d.refresh_from_db()
    assert d.inspected_at is not None
    refused = client.post(
        reverse("movein:inspection-sign", args=[d.pk]),
        {"owner_signature": SIGN, "inspector_signature": SIGN},
    )
    assert refused.status_code in (400, 404)

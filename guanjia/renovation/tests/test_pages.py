"""The renovation pages and API: refusals shown in the user's language with 400 and nothing
saved, the printed forms, the public permit page, the due list, the workbench and the KPIs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from guanjia.core.workbench import TaskQuery
from guanjia.core.workbench.registry import _TASKS
from guanjia.renovation import services
from guanjia.renovation.models import RenoStatus, Renovation

from . import factories as f
from .routes import apply_body, apply_form

S = RenoStatus
pytestmark = pytest.mark.django_db


def test_apply_page_registers_the_application(world):
    response = world.client("receptionist").post(
        reverse("renovation:renovation-create"), apply_form(world, world.a)
    )
    reno = Renovation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reno.get_absolute_url()
    assert reno.items.get().description == "刷漆"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"applicant_kind": "tenant"}, "租户须凭业主书面同意申请"),
        ({"planned_end": "2000-01-01"}, "计划完工早于计划开工"),
        ({"item_walls": ""}, "请至少列出一项装修项目"),
        ({"planned_start": "not a date"}, "有效的日期"),
    ],
)
def test_apply_page_refusals(world, change, message):
    data = {**apply_form(world, world.a), **change}
    response = world.client("receptionist").post(reverse("renovation:renovation-create"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Renovation.objects.exists()


def test_apply_page_refuses_a_banned_contractor(world):
    data = apply_form(world, world.a)
    from guanjia.renovation.models import Contractor

    contractor = Contractor.objects.get(pk=data["contractor"])
    services.ban_contractor(contractor=contractor, reason="违规动火", by=world.user("director"))
    response = world.client("receptionist").post(reverse("renovation:renovation-create"), data)
    assert response.status_code == 400
    assert "该施工单位在本小区被禁止进场" in response.content.decode()
    assert not Renovation.objects.exists()


def test_plan_page_refuses_a_disguised_file(world):
    reno = f.applied(world, world.a)
    fake = SimpleUploadedFile("plan.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = world.client("receptionist").post(
        reverse("renovation:renovation-plan", args=[reno.pk]),
        {"plan-kind": "layout", "plan-file": fake},
    )
    assert response.status_code == 400
    assert not reno.plans.exists()


def test_worker_page_refuses_a_bad_id_and_no_photo(world):
    reno = f.applied(world, world.a)
    url = reverse("renovation:renovation-worker", args=[reno.pk])
    client = world.client("receptionist")
    response = client.post(
        url, {"worker-name": "张", "worker-id_number": f.ID_BAD, "worker-photo": f.png()}
    )
    assert response.status_code == 400
    assert "校验" in response.content.decode() or "check" in response.content.decode()
    response = client.post(url, {"worker-name": "张", "worker-id_number": f.ID_OK})
    assert response.status_code == 400
    assert "装修人员须有照片" in response.content.decode()
    assert not reno.workers.exists()


def test_permit_page_before_payment_is_refused(world):
    reno = f.approved(world, world.a)
    response = world.client("supervisor").post(
        reverse("renovation:renovation-permit", args=[reno.pk])
    )
    assert response.status_code == 400
    assert "费用和押金尚未缴清" in response.content.decode()
    reno.refresh_from_db()
    assert reno.status == S.APPROVED


def test_a_move_out_of_order_on_the_page_is_400(world):
    reno = f.applied(world, world.a)
    response = world.client("supervisor").post(
        reverse("renovation:renovation-start", args=[reno.pk])
    )
    assert response.status_code == 400
    reno.refresh_from_db()
    assert reno.status == S.APPLIED


def test_refund_page_refuses_a_badly_written_deduction(world):
    reno = f.final_accepted(world, world.a)
    response = world.client("supervisor").post(
        reverse("renovation:renovation-refund", args=[reno.pk]),
        {"refund-payee": "王", "refund-deductions": "垃圾 200"},
    )
    assert response.status_code == 400
    assert not hasattr(Renovation.objects.get(pk=reno.pk), "_refund")
    from guanjia.renovation.models import DepositRefund

    assert not DepositRefund.objects.exists()


def test_public_permit_page_shows_nothing_personal(world):
    reno = f.permitted(world, world.a)
    from django.test import Client

    response = Client().get(reverse("renovation:permit-public", args=[reno.permit_token]))
    text = response.content.decode()
    assert response.status_code == 200
    assert reno.unit.room_code in text
    assert "有效" in text
    for personal in (reno.applicant_name, reno.applicant_phone, reno.contractor.phone, f.ID_OK):
        assert personal not in text
    assert Client().get(reverse("renovation:permit-public", args=["x" * 32])).status_code == 404
    assert Client().get(reverse("renovation:permit-public", args=[str(reno.pk)])).status_code == 404


def test_permit_page_of_an_unissued_application_is_404(world):
    reno = f.applied(world, world.a)
    from django.test import Client

    assert (
        Client().get(reverse("renovation:permit-public", args=[reno.permit_token])).status_code
        == 404
    )


@pytest.mark.parametrize("kind", ["application", "permit"])
def test_printed_forms_as_pdf(world, kind):
    reno = f.permitted(world, world.a)
    url = reverse("renovation:renovation-print", args=[reno.pk, kind])
    response = world.client("receptionist").get(url, {"format": "pdf"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    html = world.client("receptionist").get(url).content.decode()
    assert reno.number in html


def test_a_form_not_yet_reached_is_404(world):
    reno = f.applied(world, world.a)
    for kind in ("permit", "stop", "acceptance", "refund", "nonsense"):
        url = reverse("renovation:renovation-print", args=[reno.pk, kind])
        assert world.client("receptionist").get(url).status_code == 404


def test_due_list_of_an_area_manager_is_their_zones(world):
    from guanjia.estates.models import Zone

    mine = f.in_progress(world, world.a)
    other = f.in_progress(world, world.a)
    am = world.user("area_manager")
    Zone.objects.filter(pk=mine.zone_id).update(area_manager=am)
    # The first inspection falls due when works start; make both due today.
    Renovation.objects.update(next_inspection_on=timezone.localdate())
    mine.refresh_from_db()
    response = world.client("area_manager").get(reverse("renovation:due-inspections"))
    text = response.content.decode()
    assert mine.number in text
    assert other.number not in text
    kind = _TASKS["renovation.inspect"]
    query = TaskQuery(user=am, community=world.a, now=timezone.now())
    assert list(kind.items(query)) == [mine]


def test_workbench_review_task_for_the_supervisor_only_of_the_community(world):
    reno = f.applied(world, world.a)
    kind = _TASKS["renovation.review"]
    assert list(
        kind.items(TaskQuery(user=world.user("supervisor"), community=world.a, now=timezone.now()))
    ) == [reno]
    assert not kind.items(
        TaskQuery(user=world.user("supervisor"), community=world.b, now=timezone.now())
    ).exists()
    assert kind.perm == "renovation.review_renovation"


def test_overdue_filter_and_bad_filter_value(world):
    reno = f.applied(world, world.a)
    Renovation.objects.filter(pk=reno.pk).update(
        review_due_on=timezone.localdate() - dt.timedelta(days=1)
    )
    client = world.client("supervisor")
    url = reverse("renovation:renovation-list")
    assert reno.number in client.get(url, {"timing": "review_overdue"}).content.decode()
    response = client.get(url, {"status": "nonsense"})
    assert reno.number not in response.content.decode()
    api = reverse("renovation-api:renovation-list")
    assert client.get(api, {"status": "nonsense"}).status_code == 400


def test_kpis_page_and_bad_dates(world):
    f.in_progress(world, world.a)
    client = world.client("supervisor")
    url = reverse("renovation:kpis")
    response = client.get(url)
    assert response.status_code == 200
    assert "<svg" in response.content.decode()
    assert client.get(url, {"start": "2026-05-01", "end": "2026-04-01"}).status_code == 400
    assert client.get(url, {"start": "nope", "end": "2026-04-01"}).status_code == 400


def test_contractor_page_refuses_a_duplicate_licence(world):
    firm = f.contractor(world, world.a)
    data = {
        "name": "另一家",
        "licence_no": firm.licence_no,
        "person_in_charge": "钱",
        "phone": "1",
        "fire_safety_person": "孙",
    }
    response = world.client("receptionist").post(reverse("renovation:contractor-create"), data)
    assert response.status_code == 400
    assert "该营业执照号的施工单位已登记" in response.content.decode()


def test_ban_page_needs_a_reason(world):
    firm = f.contractor(world, world.a)
    response = world.client("supervisor").post(
        reverse("renovation:contractor-ban", args=[firm.pk]), {"reason": ""}
    )
    assert response.status_code == 400
    assert not firm.bans.exists()


# --- API ----------------------------------------------------------------------------------


def _post(client, name, body, **kw):
    import json

    return client.post(reverse(name, **kw), json.dumps(body), content_type="application/json")


def test_api_apply_and_refusals(world):
    client = world.client("receptionist")
    response = _post(client, "renovation-api:renovation-list", apply_body(world, world.a))
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "applied"
    body = apply_body(world, world.a)
    body["planned_end"] = "2000-01-01"
    response = _post(client, "renovation-api:renovation-list", body)
    assert response.status_code == 400
    assert "planned_end" in response.json()
    body = apply_body(world, world.a)
    body["applicant_kind"] = "tenant"
    assert "owner_consent" in _post(client, "renovation-api:renovation-list", body).json()
    body = apply_body(world, world.b)
    assert _post(client, "renovation-api:renovation-list", body).status_code == 400
    assert Renovation.objects.count() == 1


def test_api_permit_before_payment_and_refund_rules(world):
    reno = f.approved(world, world.a)
    response = _post(
        world.client("supervisor"), "renovation-api:renovation-permit", {}, args=[reno.pk]
    )
    assert response.status_code == 400
    assert response.json()["code"] == "fees_unpaid"


def test_api_refund_deduction_without_approval_is_refused(world):
    reno = f.final_accepted(world, world.a)
    body = {"payee": "王", "deductions": [{"item": "x", "amount": "-1", "reason": "y"}]}
    response = _post(
        world.client("supervisor"), "renovation-api:renovation-refund", body, args=[reno.pk]
    )
    assert response.status_code == 400
    body["deductions"][0]["amount"] = "100"
    assert (
        _post(
            world.client("supervisor"), "renovation-api:renovation-refund", body, args=[reno.pk]
        ).status_code
        == 200
    )
    pay = _post(
        world.client("cashier"),
        "renovation-api:renovation-refund-pay",
        {"reference": "PZ"},
        args=[reno.pk],
    )
    assert pay.status_code == 400
    own = _post(
        world.client("supervisor"),
        "renovation-api:renovation-refund-decide",
        {"approve": True},
        args=[reno.pk],
    )
    assert own.status_code == 403
    ok = _post(
        world.client("director"),
        "renovation-api:renovation-refund-decide",
        {"approve": True},
        args=[reno.pk],
    )
    assert ok.status_code == 200
    assert (
        _post(
            world.client("cashier"),
            "renovation-api:renovation-refund-pay",
            {"reference": "PZ"},
            args=[reno.pk],
        ).status_code
        == 200
    )
    again = _post(
        world.client("cashier"),
        "renovation-api:renovation-refund-pay",
        {"reference": "PZ2"},
        args=[reno.pk],
    )
    assert again.status_code == 400
    assert again.json()["code"] == "move_not_allowed"


def test_api_worker_upload_multipart(world):
    reno = f.applied(world, world.a)
    url = reverse("renovation-api:renovation-workers", args=[reno.pk])
    client = world.client("receptionist")
    response = client.post(url, {"name": "张", "id_number": f.ID_OK, "photo": f.png()})
    assert response.status_code == 200, response.content
    assert response.json()["workers"][0]["id_number"].startswith("110105****")
    fake = SimpleUploadedFile("a.png", b"%PDF-1.4 nope", content_type="image/png")
    response = client.post(url, {"name": "李", "id_number": "11010519491231002X", "photo": fake})
    assert response.status_code == 400


def test_every_printed_form_renders_as_pdf(world):
    f.set_policy(world, world.a, "reno.refund_after_days", 0)
    reno = f.in_progress(world, world.a)
    am = world.user("area_manager")
    services.record_inspection(
        renovation=reno, outcome="stop", breaches=["gas"], instruction="停工恢复燃气管", by=am
    )
    services.resume(renovation=reno, note="已恢复", by=am)
    services.request_completion(renovation=reno, by=world.user("receptionist"))
    eng = world.user("engineering_lead")
    services.accept_initial(renovation=reno, checks=f.ALL_PASSED, by=eng)
    services.accept_final(renovation=reno, note="", by=eng)
    services.request_refund(
        renovation=reno,
        payee="王业主",
        deductions=[services.DeductionLine("燃气管复位", "300", "违规移位")],
        by=world.user("supervisor"),
    )
    client = world.client("receptionist")
    for kind in ("application", "permit", "stop", "acceptance", "refund"):
        url = reverse("renovation:renovation-print", args=[reno.pk, kind])
        response = client.get(url, {"format": "pdf"})
        assert response.status_code == 200, kind
        assert response.content.startswith(b"%PDF"), kind
    html = client.get(reverse("renovation:renovation-print", args=[reno.pk, "refund"])).content
    assert "燃气管复位" in html.decode()


def test_the_steps_are_on_the_unit_timeline(world):
    from guanjia.estates.selectors import unit_timeline

    reno = f.under_review(world, world.a)
    entries = [e for e in unit_timeline(reno.unit) if e.kind == "renovation"]
    assert len(entries) == 2
    assert entries[0].url == reno.get_absolute_url()

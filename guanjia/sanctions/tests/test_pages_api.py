"""The sanctions pages and API: lists and filters, the guard's report form, the detail page
showing only the allowed moves, refusals (400, nothing saved), scope (404 elsewhere, 403
without the role), the printed record, the table, the KPIs, the workbench and who is told."""

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from guanjia.core.documents.tests.test_documents import needs_pdftotext, pdf_text
from guanjia.core.notifications.models import Notification
from guanjia.core.templatetags.files import file_url
from guanjia.core.workbench.selectors import workbench
from guanjia.sanctions import services
from guanjia.sanctions.models import Breach, BreachStatus, SanctionType

from .factories import SIGN, actor, line, png, reported, site, visitor, visitor_at

pytestmark = pytest.mark.django_db
S = BreachStatus


def _report_data(community, **kw):
    return {
        "kind": line(community).pk,
        "person_kind": "worker",
        "place": "3栋电梯",
        "description": "在电梯内吸烟",
        "source": "guard",
        **kw,
    }


def test_a_guard_reports_by_pass_number(world):
    _, worker = site(world, world.a)
    client = world.client("security")
    data = _report_data(world.a, pass_number=worker.number, photo=png())
    response = client.post(reverse("sanctions:breach-create"), data)
    breach = Breach.objects.get()
    assert response.status_code == 302
    assert response["Location"] == breach.get_absolute_url()
    assert breach.person_name == "王师傅"
    page = client.get(breach.get_absolute_url()).content.decode()
    assert worker.unit.room_code in page


def test_the_report_form_refuses_a_wrong_pass_number_and_saves_nothing(world):
    client = world.client("security")
    response = client.post(
        reverse("sanctions:breach-create"), _report_data(world.a, pass_number="XX-404")
    )
    assert response.status_code == 400
    assert "本小区没有此出入证号" in response.content.decode()
    assert not Breach.objects.exists()


def test_the_report_form_refuses_another_communitys_renovation_and_a_disguised_photo(world):
    reno_b, _ = site(world, world.b)
    client = world.client("security")
    response = client.post(
        reverse("sanctions:breach-create"),
        _report_data(world.a, source="cctv", renovation_no=reno_b.number),
    )
    assert response.status_code == 400
    assert "renovation_no" in response.context["form"].errors
    fake = SimpleUploadedFile("x.png", b"not a picture", content_type="image/png")
    response = client.post(
        reverse("sanctions:breach-create"),
        _report_data(world.a, person_name="某人", photo=fake),
    )
    assert response.status_code == 400
    assert not Breach.objects.exists()


def test_the_detail_page_shows_only_the_allowed_moves(world):
    breach = visitor(world, world.a)
    page = world.client("area_manager").get(breach.get_absolute_url()).content.decode()
    assert 'id="step-verify"' in page
    assert 'id="step-decide"' not in page
    assert 'id="step-cancel"' not in page
    page = world.client("supervisor").get(breach.get_absolute_url()).content.decode()
    assert 'id="step-cancel"' in page
    page = world.client("receptionist").get(breach.get_absolute_url()).content.decode()
    assert 'id="step-verify"' not in page


def test_a_refused_step_shows_the_page_again_and_changes_nothing(world):
    breach = visitor_at(world, world.a, "verified")
    response = world.client("supervisor").post(
        reverse("sanctions:breach-decide", args=[breach.pk]),
        {"decide-amount": "-5", "decide-damage": "0"},
    )
    assert response.status_code == 400
    assert "金额不能为负数" in response.content.decode()
    breach.refresh_from_db()
    assert breach.status == S.VERIFIED


def test_the_reporter_may_not_decide_on_the_page(world):
    boss = world.user("supervisor")
    report = services.Report(
        kind=line(world.a), place="大堂", description="吸烟", source="manager",
        person_kind="visitor", person_name="某访客",
    )  # fmt: skip
    breach = services.report_breach(community=world.a, report=report, photos=[png()], by=boss)
    services.verify_breach(breach=breach, note="核实", by=world.user("area_manager"))
    response = world.client("supervisor").post(
        reverse("sanctions:breach-decide", args=[breach.pk]),
        {"decide-amount": "0", "decide-damage": "0", "decide-expel": "on"},
    )
    assert response.status_code == 403
    breach.refresh_from_db()
    assert breach.status == S.VERIFIED


def test_another_communitys_record_and_photo_are_not_found(world):
    breach = visitor(world, world.b)
    client = world.client("receptionist")
    assert client.get(breach.get_absolute_url()).status_code == 404
    assert client.get(file_url(breach.photos.get(), "image")).status_code == 404


def test_the_list_filters_and_refuses_a_bad_filter(world):
    mine = visitor(world, world.a)
    visitor(world, world.b)
    client = world.client("receptionist")
    rows = client.get(reverse("sanctions:breach-list") + "?status=reported").context["object_list"]
    assert [b.pk for b in rows] == [mine.pk]
    response = client.get(reverse("sanctions:breach-list") + "?status=nonsense")
    assert list(response.context["object_list"]) == []
    api = world.client("receptionist").get("/api/v1/sanctions/breaches/?status=nonsense")
    assert api.status_code == 400


@needs_pdftotext
def test_the_record_prints_as_the_paper_form_in_chinese(world, tmp_path):
    breach = visitor_at(world, world.a, "executed")
    response = world.client("receptionist").get(
        reverse("sanctions:breach-print", args=[breach.pk]) + "?format=pdf"
    )
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    assert "人员违规处理记录" in text
    assert breach.number in text
    assert "随地乱扔垃圾" in text


def test_the_table_page_edits_a_line_and_refuses_a_default_above_the_highest(world):
    smoking = line(world.a)
    client = world.client("supervisor")
    url = reverse("sanctions:table-edit", args=[smoking.pk])
    response = client.post(url, {"name": "吸烟", "default_amount": "300", "max_amount": "200"})
    assert response.status_code == 400
    smoking.refresh_from_db()
    assert smoking.default_amount == 100
    response = client.post(
        url, {"name": "吸烟", "default_amount": "150", "max_amount": "200", "active": "on"}
    )
    assert response.status_code == 302
    assert world.client("security").post(url, {"name": "x"}).status_code == 403
    other = SanctionType.objects.filter(community=world.b).first()
    assert client.get(reverse("sanctions:table-edit", args=[other.pk])).status_code == 404


def test_the_kpis_count_by_type_and_contractor_and_list_the_banned(world):
    breach = reported(world, world.a)
    services.verify_breach(breach=breach, note="核实", by=world.user("area_manager"))
    client = world.client("supervisor")
    response = client.get(reverse("sanctions:kpis"))
    assert response.status_code == 200
    report = response.context["report"]
    assert report.total == 1
    assert report.by_contractor[0][0] == breach.contractor.name
    bad = client.get(reverse("sanctions:kpis") + "?start=2026-05-01&end=2025-01-01")
    assert bad.status_code == 400


def test_the_api_reports_and_refuses_bad_bodies(world):
    client = world.client("security")
    url = "/api/v1/sanctions/breaches/"
    body = {
        "community": world.a.pk, "kind": line(world.a).pk, "place": "大堂",
        "description": "吸烟", "source": "guard", "person_kind": "visitor",
    }  # fmt: skip
    response = client.post(url, {**body, "pass_number": "NOPE"}, content_type="application/json")
    assert response.status_code == 400
    assert "pass_number" in response.json()
    response = client.post(
        url, {**body, "kind": line(world.b).pk, "person_name": "某访客"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 400
    response = client.post(url, {**body, "person_name": "某访客"}, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["number"].startswith("RY-")


def test_the_api_refuses_an_amount_above_the_table_and_an_appeal_out_of_time(world):
    breach = visitor_at(world, world.a, "verified")
    client = world.client("supervisor")
    base = f"/api/v1/sanctions/breaches/{breach.pk}"
    response = client.post(f"{base}/decide/", {"amount": "500"}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["amount"]
    client.post(f"{base}/decide/", {"amount": "0", "expel": True}, content_type="application/json")
    services.notify_party(
        breach=breach, party="person", signer="某访客", signature=SIGN,
        by=world.user("area_manager"),
    )  # fmt: skip
    with time_machine.travel(timezone.now() + dt.timedelta(days=30), tick=False):
        response = world.client("area_manager").post(
            f"{base}/appeal/", {"party": "person", "grounds": "不服"},
            content_type="application/json",
        )  # fmt: skip
    assert response.status_code == 400
    breach.refresh_from_db()
    assert breach.status == S.NOTIFIED


def test_the_tasks_reach_the_right_roles(world):
    visitor(world, world.a)
    visitor(world, world.b)
    verified_ = visitor_at(world, world.a, "verified")

    def codes(role):
        return {c.kind.code: c.total for c in workbench(world.user(role), world.a).counts}

    assert codes("security")["sanction.verify"] == 1
    assert codes("supervisor")["sanction.decide"] == 1
    assert "sanction.decide" not in codes("security")
    rows = world.client("supervisor").get(reverse("sanctions:breach-list") + "?status=verified")
    assert [b.pk for b in rows.context["object_list"]] == [verified_.pk]
    appealed_ = visitor_at(world, world.a, "appealed")
    assert codes("director")["sanction.appeal"] == 1
    assert "sanction.appeal" not in codes("supervisor")
    assert appealed_.status == S.APPEALED


def test_a_report_is_told_to_those_who_verify_and_an_appeal_to_the_director(
    world, django_capture_on_commit_callbacks
):
    security, manager = world.user("security"), world.user("area_manager")
    director = world.user("director")
    b_manager = actor(world, world.b, "area_manager")
    with django_capture_on_commit_callbacks(execute=True):
        breach = visitor(world, world.a)
    told = set(
        Notification.objects.filter(event="sanction.reported").values_list("recipient", flat=True)
    )
    assert manager.pk in told
    assert security.pk not in told  # the reporter
    assert b_manager.pk not in told
    breach = visitor_at(world, world.a, "notified")
    with django_capture_on_commit_callbacks(execute=True):
        services.lodge_appeal(breach=breach, party="person", grounds="不服", by=manager)
    told = Notification.objects.filter(event="sanction.appealed").values_list(
        "recipient", flat=True
    )
    assert list(told) == [director.pk]

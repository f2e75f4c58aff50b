"""The violation pages: finding one, the ladder's forms, their refusals (400, nothing
saved), the notice as a PDF in Chinese, the unit page's repeat-offender panel, the KPIs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from guanjia.core.documents.tests.test_documents import needs_pdftotext, pdf_text
from guanjia.core.files.registry import file_url
from guanjia.violations.models import Violation, ViolationPhoto, ViolationStatus

from .factories import PNG, days_later, found, kind, managed_unit, noticed
from .test_finding import PNG_BYTES


def test_a_violation_is_recorded_from_the_page_with_a_photo(world):
    unit = managed_unit(world, world.a)
    photo = SimpleUploadedFile("堆物.png", PNG_BYTES, content_type="image/png")
    response = world.client("area_manager").post(
        reverse("violations:violation-create"),
        {
            "room": unit.room_code,
            "kind": kind().pk,
            "responsible": "tenant",
            "description": "楼道堆放纸箱",
            "source": "patrol",
            "photo": photo,
        },
    )
    violation = Violation.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("violations:violation-detail", args=[violation.pk])
    assert ViolationPhoto.objects.filter(violation=violation).count() == 1


def test_a_finding_without_description_shows_the_message_and_saves_nothing(world):
    unit = managed_unit(world, world.a)
    response = world.client("area_manager").post(
        reverse("violations:violation-create"),
        {"room": unit.room_code, "kind": kind().pk, "responsible": "owner", "source": "staff"},
    )
    assert response.status_code == 400
    assert "请描述违章情况。" in response.content.decode()
    assert not Violation.objects.exists()


def test_an_unknown_room_code_is_refused(world):
    response = world.client("area_manager").post(
        reverse("violations:violation-create"),
        {
            "room": "99-9-9999",
            "kind": kind().pk,
            "responsible": "owner",
            "source": "staff",
            "description": "x",
        },
    )
    assert response.status_code == 400
    assert not Violation.objects.exists()


def test_a_disguised_photo_is_refused_on_the_page(world):
    unit = managed_unit(world, world.a)
    fake = SimpleUploadedFile("x.png", b"MZ not a picture", content_type="image/png")
    response = world.client("area_manager").post(
        reverse("violations:violation-create"),
        {
            "room": unit.room_code,
            "kind": kind().pk,
            "responsible": "owner",
            "source": "staff",
            "description": "楼道堆物",
            "photo": fake,
        },
    )
    assert response.status_code == 400
    assert not Violation.objects.exists()


def test_the_notice_form_refuses_a_deadline_in_the_past(world):
    violation = found(world, world.a)
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    response = world.client("area_manager").post(
        reverse("violations:violation-notice", args=[violation.pk]),
        {"notice-demand": "清理", "notice-deadline": yesterday, "notice-signature": PNG},
    )
    assert response.status_code == 400
    assert "整改期限不能早于今天。" in response.content.decode()
    violation.refresh_from_db()
    assert violation.status == ViolationStatus.FOUND


def test_the_recheck_form_before_a_notice_is_refused_with_a_message(world):
    violation = found(world, world.a)
    response = world.client("area_manager").post(
        reverse("violations:violation-recheck", args=[violation.pk]),
        {"recheck-corrected": "yes", "recheck-note": "已清理"},
    )
    assert response.status_code == 400
    assert "请先发出整改通知书" in response.content.decode()


def test_the_appeal_form_after_its_period_is_refused(world):
    violation = noticed(world, world.a)
    with days_later(10):
        response = world.client("area_manager").post(
            reverse("violations:violation-appeal", args=[violation.pk]),
            {"appeal-grounds": "不服"},
        )
    assert response.status_code == 400
    assert "申诉期已于" in response.content.decode()


def test_a_move_out_of_order_from_the_page_is_refused(world):
    violation = found(world, world.a)
    response = world.client("supervisor").post(
        reverse("violations:violation-transfer", args=[violation.pk]), {"transfer-note": "x"}
    )
    assert response.status_code == 400
    violation.refresh_from_db()
    assert violation.status == ViolationStatus.FOUND


def test_the_detail_page_shows_the_steps_the_user_may_take(world):
    violation = found(world, world.a)
    page = world.client("area_manager").get(violation.get_absolute_url()).content.decode()
    assert 'id="step-notice"' in page
    assert 'id="step-escalate"' not in page
    assert 'id="step-recheck"' not in page


@needs_pdftotext
def test_the_notice_pdf_is_the_paper_form_in_chinese(world, tmp_path):
    violation = noticed(world, world.a)
    notice = violation.notices.get()
    response = world.client("receptionist").get(
        reverse("violations:notice-print", args=[notice.pk]) + "?format=pdf"
    )
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    assert "违章整改通知书" in text
    assert notice.number in text
    assert "楼道堆放纸箱杂物" in text


def test_another_communitys_photo_is_not_served(world):
    photo = SimpleUploadedFile("p.png", PNG_BYTES, content_type="image/png")
    violation = found(world, world.b, photos=[photo])
    url = file_url(violation.photos.get(), "image")
    assert world.client("receptionist").get(url).status_code == 404


def test_a_repeat_offender_is_flagged_on_the_unit_page(world):
    unit = managed_unit(world, world.a)
    found(world, world.a, unit=unit)
    page = world.client("receptionist").get(reverse("estates:unit-detail", args=[unit.pk]))
    assert "屡次违章" not in page.content.decode()
    found(world, world.a, unit=unit, description="噪音扰民")
    page = world.client("receptionist").get(reverse("estates:unit-detail", args=[unit.pk]))
    assert 'id="unit-violations"' in page.content.decode()
    assert "屡次违章" in page.content.decode()


def test_the_kpi_page_counts_and_exports(world):
    v = found(world, world.a)
    from guanjia.violations import services

    services.close_corrected(violation=v, note="已改", by=world.user("area_manager"))
    found(world, world.a)
    client = world.client("supervisor")
    page = client.get(reverse("violations:kpis"))
    assert page.status_code == 200
    report = page.context["report"]
    assert (report.total.found, report.total.corrected) == (2, 1)
    assert str(report.total.correction_rate.rate) == "50.0"
    export = client.get(reverse("violations:kpis-export"))
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


@pytest.mark.parametrize("query", ["start=2026-13-01", "start=2026-05-01&end=2025-01-01"])
def test_a_bad_kpi_period_is_refused(world, query):
    response = world.client("supervisor").get(reverse("violations:kpis") + "?" + query)
    assert response.status_code == 400


def test_a_bad_filter_value_shows_no_rows(world):
    found(world, world.a)
    response = world.client("receptionist").get(
        reverse("violations:violation-list") + "?status=nonsense"
    )
    assert response.status_code == 200
    assert not list(response.context["object_list"])


def test_a_community_adds_and_retires_its_own_type(world):
    client = world.client("supervisor")
    response = client.post(
        reverse("violations:type-list"), {"group": "use", "name": "群租", "structural": ""}
    )
    assert response.status_code == 302
    from guanjia.violations.models import ViolationType

    own = ViolationType.objects.get(community=world.a, name="群租")
    client.post(reverse("violations:type-retire", args=[own.pk]))
    own.refresh_from_db()
    assert not own.active


def test_a_type_without_a_name_is_refused(world):
    response = world.client("supervisor").post(
        reverse("violations:type-list"), {"group": "use", "name": ""}
    )
    assert response.status_code == 400
    assert "请填写类型名称。" in response.content.decode()

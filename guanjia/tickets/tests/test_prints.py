"""Issue 11: the complaint record (投诉处理记录表) and the register (服务信息登记表) as
printable pages and PDFs through core.documents."""

from django.urls import reverse

from guanjia.tickets import services

from .factories import complaint, entry


def test_the_complaint_record_prints_the_forms_fields_with_the_phone_masked(world):
    record = complaint(world, world.a, "replied", requester_phone="13812345678")
    services.record_progress(
        complaint=record, note="已联系保洁班长", told_requester=False, by=world.user("supervisor")
    )
    response = world.client("supervisor").get(
        reverse("tickets:complaint-print", args=[record.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "投诉处理记录" in text or "投诉记录" in text
    assert record.number in text
    assert "138****5678" in text
    assert "13812345678" not in text
    assert "已联系保洁班长" in text
    assert "已更换灯泡" in text  # the result


def test_the_complaint_record_is_a_pdf_too(world):
    record = complaint(world, world.a, "registered")
    response = world.client("supervisor").get(
        reverse("tickets:complaint-print", args=[record.pk]), {"format": "pdf"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_register_prints_the_lists_rows_masked(world):
    kept = entry(world, world.a, "suggestion", requester_phone="13912345678")
    other = entry(world, world.a, "consultation")
    response = world.client("receptionist").get(
        reverse("tickets:request-print"), {"kind": "suggestion"}
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert kept.number in text
    assert other.number not in text
    assert "139****5678" in text
    assert "13912345678" not in text


def test_a_wrong_register_filter_goes_back_to_the_list(world):
    response = world.client("receptionist").get(
        reverse("tickets:request-print"), {"kind": "nonsense"}
    )
    assert response.status_code == 302


def test_the_pages_link_to_their_prints(world):
    record = complaint(world, world.a, "registered")
    page = world.client("supervisor").get(reverse("tickets:complaint-detail", args=[record.pk]))
    assert reverse("tickets:complaint-print", args=[record.pk]) in page.content.decode()
    listing = world.client("receptionist").get(reverse("tickets:request-list"), {"kind": "repair"})
    assert f"{reverse('tickets:request-print')}?kind=repair" in listing.content.decode()

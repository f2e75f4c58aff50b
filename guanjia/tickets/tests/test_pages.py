"""The desk's pages: the front desk form, lists, the ticket pages and their bad input."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from guanjia.estates.selectors import unit_timeline
from guanjia.estates.tests.factories import UnitFactory
from guanjia.tickets.models import Complaint, RepairOrder, RepairPhoto, ServiceRequest

from .factories import complaint, entry, repair


def test_the_front_desk_registers_a_repair_and_opens_its_work_order(world):
    unit = UnitFactory(community=world.a)
    client = world.client("receptionist")
    response = client.post(
        reverse("tickets:request-create"),
        {
            "kind": "repair",
            "channel": "phone",
            "requester": f"unit:{unit.pk}",
            "content": "卫生间漏水",
            "location": "home",
            "category": "plumbing",
            "urgency": "ordinary",
        },
    )
    order = RepairOrder.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("tickets:repair-detail", args=[order.pk])
    assert order.unit == unit


def test_a_repair_without_its_details_is_refused_with_a_message(world):
    client = world.client("receptionist")
    response = client.post(
        reverse("tickets:request-create"),
        {
            "kind": "repair",
            "channel": "phone",
            "content": "漏水",
            "requester_name": "张三",
        },
    )
    assert response.status_code == 400
    assert (
        "Required for a repair." in response.content.decode() or "维修" in response.content.decode()
    )
    assert ServiceRequest.objects.count() == 0


def test_a_requester_of_another_community_is_refused(world):
    unit = UnitFactory(community=world.b)
    response = world.client("receptionist").post(
        reverse("tickets:request-create"),
        {
            "kind": "suggestion",
            "channel": "visit",
            "content": "建议",
            "requester": f"unit:{unit.pk}",
        },
    )
    assert response.status_code == 400
    assert ServiceRequest.objects.count() == 0


def test_a_move_not_allowed_from_the_current_state_answers_400_and_changes_nothing(world):
    complaint_record = complaint(world, world.a)
    response = world.client("supervisor").post(
        reverse("tickets:complaint-resolve", args=[complaint_record.pk]), {"result": "x"}
    )
    assert response.status_code == 400
    assert Complaint.objects.get(pk=complaint_record.pk).status == "registered"


def test_closing_before_the_visit_shows_the_reason(world):
    complaint_record = complaint(world, world.a, "replied")
    response = world.client("director").post(
        reverse("tickets:complaint-close", args=[complaint_record.pk])
    )
    assert response.status_code == 400
    assert Complaint.objects.get(pk=complaint_record.pk).status == "replied"


def test_closing_without_a_reply_shows_the_reason(world):
    complaint_record = complaint(world, world.a, "resolved")
    response = world.client("supervisor").post(
        reverse("tickets:complaint-close", args=[complaint_record.pk])
    )
    assert response.status_code == 400
    assert Complaint.objects.get(pk=complaint_record.pk).status == "resolved"


def test_a_photo_too_large_is_refused(world, settings):
    order = repair(world, world.a, "on_site")
    big = SimpleUploadedFile(
        "a.png", b"\x89PNG\r\n\x1a\n" + b"0" * (9 * 1024 * 1024), content_type="image/png"
    )
    response = world.client("technician").post(
        reverse("tickets:repair-photo", args=[order.pk]), {"kind": "before", "image": big}
    )
    assert response.status_code == 400
    assert RepairPhoto.objects.count() == 0


def test_a_file_that_is_not_a_picture_is_refused(world):
    order = repair(world, world.a, "on_site")
    text = SimpleUploadedFile("a.png", b"not a picture", content_type="image/png")
    response = world.client("technician").post(
        reverse("tickets:repair-photo", args=[order.pk]), {"kind": "before", "image": text}
    )
    assert response.status_code == 400
    assert RepairPhoto.objects.count() == 0


def test_a_missing_signature_is_refused_on_the_page(world):
    order = repair(world, world.a, "completed")
    response = world.client("technician").post(
        reverse("tickets:repair-verify", args=[order.pk]), {"satisfied": "yes", "signature": ""}
    )
    assert response.status_code == 400
    assert RepairOrder.objects.get(pk=order.pk).status == "completed"


def test_the_complaint_list_has_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    for _ in range(4):
        complaint(world, world.a, "handling")
    client = world.client("supervisor")
    with django_assert_max_num_queries(25):
        response = client.get(reverse("tickets:complaint-list"), {"overdue": "false"})
    assert response.status_code == 200
    assert len(response.context["page_obj"]) == 4


def test_the_repair_list_filters_overdue(world):
    late = repair(world, world.a, "dispatched")
    RepairOrder.objects.filter(pk=late.pk).update(arrive_due=timezone.now() - dt.timedelta(hours=1))
    repair(world, world.a, "on_site")
    response = world.client("engineering_lead").get(
        reverse("tickets:repair-list"), {"overdue": "true"}
    )
    assert [order.pk for order in response.context["page_obj"]] == [late.pk]


def test_the_work_order_prints_as_pdf(world):
    order = repair(world, world.a, "completed")
    response = world.client("engineering_lead").get(
        reverse("tickets:repair-print", args=[order.pk]), {"format": "pdf"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


def test_a_ticket_appears_on_its_units_timeline(world):
    order = repair(world, world.a)
    titles = [register_entry.title for register_entry in unit_timeline(order.unit)]
    assert any(order.request.number in t for t in titles)


def test_the_dashboard_counts_todays_intake(world):
    complaint(world, world.a)
    response = world.client("supervisor").get(reverse("tickets:dashboard"))
    assert response.context["d"].intake_today == {"complaint": 1}


def test_my_overdue_list_shows_only_my_late_jobs(world):
    mine = repair(world, world.a, "dispatched")
    RepairOrder.objects.filter(pk=mine.pk).update(arrive_due=timezone.now() - dt.timedelta(hours=1))
    response = world.client("technician").get(
        reverse("tickets:repair-list"), {"overdue": "true", "mine": "true"}
    )
    assert [order.pk for order in response.context["page_obj"]] == [mine.pk]
    other = world.client("engineering_lead").get(
        reverse("tickets:repair-list"), {"overdue": "true", "mine": "true"}
    )
    assert list(other.context["page_obj"]) == []


def test_the_lists_without_a_filter_show_every_row_of_the_community(world):
    register_entry, complaint_record, order = (
        entry(world, world.a, "suggestion"),
        complaint(world, world.a),
        repair(world, world.a),
    )
    entry(world, world.b, "suggestion")
    client = world.client("supervisor")
    rows = {
        name: [r.pk for r in client.get(reverse(f"tickets:{name}-list")).context["page_obj"]]
        for name in ("request", "complaint", "repair")
    }
    assert rows["complaint"] == [complaint_record.pk]
    assert rows["repair"] == [order.pk]
    assert register_entry.pk in rows["request"]
    assert len(rows["request"]) == 3  # the suggestion, the complaint's and the repair's entries

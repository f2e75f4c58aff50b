"""Issue 11: the technician's job: the resident to call (a need-to-know reveal, logged), the
link back to the register entry, and what the resident owes in words (待报价 until quoted)."""

from decimal import Decimal

from django.urls import reverse
from django.utils import translation

from guanjia.accounts.tests.factories import staff
from guanjia.estates.models import PersonalDataAccess
from guanjia.estates.tests.factories import PersonFactory
from guanjia.tickets import services
from guanjia.tickets.models import RepairEvent

from .factories import entry, repair


def _dispatched_job(world, **contact):
    details = services.RepairDetails(location="home", category="plumbing", urgency="ordinary")
    order = services.open_repair(
        entry=entry(world, world.a, "repair", **contact),
        details=details,
        by=world.user("receptionist"),
    )
    return services.dispatch_repair(
        order=order, technician=world.user("technician"), by=world.user("engineering_lead")
    )


def test_the_technician_sees_the_contact_masked_and_a_button_to_call(world):
    person = PersonFactory(community=world.a, mobile="13812345678")
    order = _dispatched_job(world, person=person)
    page = world.client("technician").get(reverse("tickets:repair-detail", args=[order.pk]))
    text = page.content.decode()
    assert "张三" in text
    assert "138****5678" in text
    assert "13812345678" not in text
    assert "tel:" not in text
    assert reverse("tickets:repair-contact", args=[order.pk]) in text
    assert not PersonalDataAccess.objects.exists()


def test_calling_reveals_the_number_as_a_call_link_and_logs_it(world):
    person = PersonFactory(community=world.a, mobile="13812345678")
    order = _dispatched_job(world, person=person)
    tech = world.user("technician")
    response = world.client("technician").post(reverse("tickets:repair-contact", args=[order.pk]))
    assert response.status_code == 200
    assert 'href="tel:13812345678"' in response.content.decode()
    access = PersonalDataAccess.objects.get()
    assert (access.person, access.field, access.accessed_by, access.unit) == (
        person,
        "mobile",
        tech,
        order.unit,
    )
    assert order.number in access.reason
    event = RepairEvent.objects.get(order=order, action="contact_revealed")
    assert event.actor == tech
    assert "13812345678" not in event.note


def test_a_phone_told_at_the_desk_is_revealed_to_the_technician_and_on_the_timeline(world):
    order = _dispatched_job(world, requester_phone="13900001111")
    response = world.client("technician").post(reverse("tickets:repair-contact", args=[order.pk]))
    assert 'href="tel:13900001111"' in response.content.decode()
    assert RepairEvent.objects.filter(order=order, action="contact_revealed").count() == 1


def test_another_technician_cannot_reveal_the_contact(world):
    order = _dispatched_job(world, requester_phone="13900001111")
    other = staff("technician", world.a, company=world.company)
    client = world.client(None)
    client.force_login(other)
    page = client.get(reverse("tickets:repair-detail", args=[order.pk])).content.decode()
    assert reverse("tickets:repair-contact", args=[order.pk]) not in page
    response = client.post(reverse("tickets:repair-contact", args=[order.pk]))
    assert response.status_code == 403
    assert not RepairEvent.objects.filter(action="contact_revealed").exists()


def test_a_finished_job_no_longer_reveals_its_contact(world):
    order = repair(world, world.a, "verified")
    response = world.client("technician").post(reverse("tickets:repair-contact", args=[order.pk]))
    assert response.status_code == 400
    assert not RepairEvent.objects.filter(action="contact_revealed").exists()


def test_a_job_without_a_phone_says_so(world):
    order = _dispatched_job(world)
    response = world.client("technician").post(reverse("tickets:repair-contact", args=[order.pk]))
    assert response.status_code == 400
    assert "tel:" not in response.content.decode()


def test_the_job_links_back_to_its_register_entry_for_those_who_see_the_register(world):
    order = repair(world, world.a, "dispatched")
    link = reverse("tickets:request-detail", args=[order.request_id])
    desk = world.client("receptionist").get(reverse("tickets:repair-detail", args=[order.pk]))
    assert link in desk.content.decode()
    tech = world.client("technician").get(reverse("tickets:repair-detail", args=[order.pk]))
    assert order.request.number in tech.content.decode()
    assert link not in tech.content.decode()  # the technician does not see the register


def test_a_paid_repair_reads_to_be_quoted_until_its_quote(world):
    tech = world.user("technician")
    order = repair(world, world.a, "on_site")
    order.is_paid = True
    order.save(update_fields=["is_paid"])
    printed = world.client("technician").get(
        reverse("tickets:repair-print", args=[order.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    text = printed.content.decode()
    assert "待报价" in text
    assert "免费" not in text
    with translation.override("en"):
        assert order.charge_text == "to be quoted"
        quoted = services.quote_repair(order=order, amount=Decimal("85.50"), by=tech)
        assert quoted.charge_text == "¥85.50 (Awaiting the resident)"
        assert repair(world, world.a, "registered").charge_text == "free"

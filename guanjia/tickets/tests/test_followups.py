"""Issue 5 follow-ups: a paid repair's charge on the unit's account, corrective / preventive
actions done and verified."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from guanjia.billing.models import FeeItem, LedgerEntry, MonthClose
from guanjia.tickets import services
from guanjia.tickets.models import ComplaintAction, ComplaintEvent, RepairOrder

from .factories import PNG, complaint, repair

BEIJING = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture
def tech(world):
    return world.user("technician")


def _paid_completed(world, tech, amount="85.50"):
    order = repair(world, world.a, "on_site")
    services.quote_repair(order=order, amount=Decimal(amount), by=tech)
    services.decide_quote(order=order, accepted=True, by=tech)
    done = services.Completion(fault="阀门坏", work_done="换阀门")
    return services.complete_repair(order=order, completion=done, by=tech)


# --- Paid repair charge -----------------------------------------------------------------------


def test_a_verified_paid_repair_posts_its_charge_once_with_the_exact_amount(world, tech):
    with time_machine.travel(dt.datetime(2026, 12, 7, 10, 0, tzinfo=BEIJING), tick=False):
        order = _paid_completed(world, tech)
        order = services.verify_repair(order=order, satisfied=True, signature=PNG, by=tech)
    entries = LedgerEntry.objects.filter(bill_ref=f"repair:{order.pk}")
    assert entries.count() == 1
    entry = entries.get()
    assert (entry.amount, entry.kind, entry.unit_id) == (Decimal("85.50"), "charge", order.unit_id)
    assert entry.period == dt.date(2026, 12, 1)
    assert entry.fee_item.code == "repair"
    assert RepairOrder.objects.get(pk=order.pk).charge_entry_id == entry.pk
    # Posting again (e.g. a retried job) changes nothing.
    assert services.post_repair_charge(order=RepairOrder.objects.get(pk=order.pk), by=tech) is False
    assert LedgerEntry.objects.filter(bill_ref=f"repair:{order.pk}").count() == 1


def test_the_repair_fee_item_is_created_once_per_company(world, tech):
    for _ in range(2):
        order = _paid_completed(world, tech, "10.00")
        services.verify_repair(order=order, satisfied=True, signature=PNG, by=tech)
    assert FeeItem.objects.filter(company=world.company, code="repair").count() == 1


def test_a_completed_paid_repair_posts_nothing_until_the_resident_accepts(world, tech):
    order = _paid_completed(world, tech)
    services.verify_repair(order=order, satisfied=False, signature="", note="还在漏", by=tech)
    assert not LedgerEntry.objects.filter(bill_ref=f"repair:{order.pk}").exists()
    assert RepairOrder.objects.get(pk=order.pk).charge_entry_id is None


def test_a_free_repair_posts_nothing(world):
    order = repair(world, world.a, "verified")
    assert order.charge_amount is None
    assert not LedgerEntry.objects.filter(bill_ref=f"repair:{order.pk}").exists()
    assert RepairOrder.objects.get(pk=order.pk).charge_entry_id is None


def test_a_charge_verified_in_a_closed_month_posts_into_the_next_open_month(world, tech):
    with time_machine.travel(dt.datetime(2026, 12, 30, 10, 0, tzinfo=BEIJING), tick=False):
        order = _paid_completed(world, tech, "120.00")
        MonthClose.objects.create(
            community=world.a, period=dt.date(2026, 12, 1), closed_by=world.user("director")
        )
        order = services.verify_repair(order=order, satisfied=True, signature=PNG, by=tech)
    entry = LedgerEntry.objects.get(bill_ref=f"repair:{order.pk}")
    assert (entry.period, entry.amount) == (dt.date(2027, 1, 1), Decimal("120.00"))


def test_reworking_a_verified_paid_repair_keeps_its_charge(world, tech):
    order = _paid_completed(world, tech)
    order = services.verify_repair(order=order, satisfied=True, signature=PNG, by=tech)
    services.open_rework(order=order, note="又漏了", by=world.user("receptionist"))
    assert LedgerEntry.objects.filter(bill_ref=f"repair:{order.pk}").count() == 1
    assert RepairOrder.objects.get(pk=order.pk).charge_entry_id is not None


# --- Corrective and preventive actions ----------------------------------------------------------


def _action(world, owner_role="supervisor"):
    complaint_record = complaint(world, world.a, "handling")
    return services.add_complaint_action(
        complaint=complaint_record,
        kind="corrective",
        description="培训保洁员",
        owner=world.user(owner_role),
        due_on=timezone.localdate() + dt.timedelta(days=3),
        by=world.user("supervisor"),
    )


def test_an_action_is_done_by_its_owner_and_verified_by_another_person(world):
    action = _action(world)
    action = services.complete_complaint_action(
        action=action, note="已培训", by=world.user("supervisor")
    )
    action = services.verify_complaint_action(
        action=action, note="抽查合格", by=world.user("director")
    )
    action.refresh_from_db()
    assert action.done_at is not None
    assert action.verified_at is not None
    assert (action.done_note, action.verify_note) == ("已培训", "抽查合格")
    assert action.verified_by == world.user("director")
    actions = list(
        ComplaintEvent.objects.filter(complaint=action.complaint).values_list("action", flat=True)
    )
    assert actions[-2:] == ["action_done", "action_verified"]


def test_the_owner_cannot_verify_their_own_action(world):
    action = _action(world)
    action = services.complete_complaint_action(
        action=action, note="已培训", by=world.user("supervisor")
    )
    with pytest.raises(PermissionDenied):
        services.verify_complaint_action(action=action, note="合格", by=world.user("supervisor"))
    assert ComplaintAction.objects.get(pk=action.pk).verified_at is None


def test_an_action_not_done_cannot_be_verified(world):
    action = _action(world)
    with pytest.raises(ValidationError) as err:
        services.verify_complaint_action(action=action, note="合格", by=world.user("director"))
    assert err.value.code == "not_done"
    assert ComplaintAction.objects.get(pk=action.pk).verified_at is None


def test_an_action_is_done_once_and_needs_a_note(world):
    action = _action(world)
    with pytest.raises(ValidationError):
        services.complete_complaint_action(action=action, note="  ", by=world.user("supervisor"))
    assert ComplaintAction.objects.get(pk=action.pk).done_at is None
    services.complete_complaint_action(action=action, note="已培训", by=world.user("supervisor"))
    with pytest.raises(ValidationError):
        services.complete_complaint_action(action=action, note="再次", by=world.user("supervisor"))


def test_someone_neither_owner_nor_handler_cannot_record_an_action_done(world):
    action = _action(world)
    with pytest.raises(PermissionDenied):
        services.complete_complaint_action(
            action=action, note="已培训", by=world.user("receptionist")
        )
    assert ComplaintAction.objects.get(pk=action.pk).done_at is None


def test_the_complaint_page_offers_and_records_the_action_steps(world):
    action = _action(world)
    page = reverse("tickets:complaint-detail", args=[action.complaint_id])
    sup = world.client("supervisor")
    assert (
        reverse("tickets:complaint-action-done", args=[action.complaint_id, action.pk])
        in sup.get(page).content.decode()
    )
    done = reverse("tickets:complaint-action-done", args=[action.complaint_id, action.pk])
    assert sup.post(done, {"note": "已培训"}).status_code == 302
    verified = reverse("tickets:complaint-action-verified", args=[action.complaint_id, action.pk])
    assert verified not in sup.get(page).content.decode()  # the owner does not verify
    director = world.client("director")
    assert verified in director.get(page).content.decode()
    assert director.post(verified, {"note": "抽查合格"}).status_code == 302
    assert ComplaintAction.objects.get(pk=action.pk).verified_at is not None


def test_a_blank_note_on_the_page_is_refused_with_a_message(world):
    action = _action(world)
    done = reverse("tickets:complaint-action-done", args=[action.complaint_id, action.pk])
    response = world.client("supervisor").post(done, {"note": ""})
    assert response.status_code == 400
    assert ComplaintAction.objects.get(pk=action.pk).done_at is None


def test_an_action_of_another_complaint_is_not_found(world):
    action = _action(world)
    other = complaint(world, world.a, "handling")
    done = reverse("tickets:complaint-action-done", args=[other.pk, action.pk])
    assert world.client("supervisor").post(done, {"note": "已培训"}).status_code == 404


# --- Rework of a repair by appointment (issue 11) ---------------------------------------------


def _verified_appointment_repair(world, tech):
    appointment = timezone.now() + dt.timedelta(hours=2)
    details = services.RepairDetails(
        location="home", category="plumbing", urgency="appointment", appointment_at=appointment
    )
    from .factories import entry

    order = services.open_repair(
        entry=entry(world, world.a, "repair"), details=details, by=world.user("receptionist")
    )
    order = services.dispatch_repair(
        order=order, technician=tech, by=world.user("engineering_lead")
    )
    order = services.accept_repair(order=order, by=tech)
    order = services.arrive_repair(order=order, by=tech)
    done = services.Completion(fault="接头老化", work_done="更换接头")
    order = services.complete_repair(order=order, completion=done, by=tech)
    return services.verify_repair(order=order, satisfied=True, signature=PNG, by=tech)


def test_a_rework_of_an_appointment_repair_without_a_new_time_runs_on_the_ordinary_clock(
    world, tech
):
    order = _verified_appointment_repair(world, tech)
    rework = services.open_rework(order=order, note="又漏了", by=world.user("receptionist"))
    assert (rework.urgency, rework.appointment_at) == ("ordinary", None)
    assert rework.arrive_due is not None
    assert rework.rework_of_id == order.pk


def test_a_rework_with_a_new_appointment_keeps_to_it(world, tech):
    order = _verified_appointment_repair(world, tech)
    when = timezone.now() + dt.timedelta(days=1)
    rework = services.open_rework(
        order=order, note="又漏了", by=world.user("receptionist"), appointment_at=when
    )
    assert (rework.urgency, rework.appointment_at) == ("appointment", when)
    assert rework.arrive_due >= when


def test_a_rework_appointment_in_the_past_is_refused_and_nothing_is_saved(world, tech):
    order = _verified_appointment_repair(world, tech)
    before = RepairOrder.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.open_rework(
            order=order,
            note="又漏了",
            by=world.user("receptionist"),
            appointment_at=timezone.now() - dt.timedelta(hours=1),
        )
    assert "appointment_at" in caught.value.message_dict
    assert RepairOrder.objects.count() == before


def test_the_rework_page_takes_a_new_appointment(world, tech, client):
    order = _verified_appointment_repair(world, tech)
    client.force_login(world.user("receptionist"))
    when = (timezone.localtime() + dt.timedelta(days=1)).replace(second=0, microsecond=0)
    response = client.post(
        reverse("tickets:repair-rework", args=[order.pk]),
        {"note": "又漏了", "appointment_at": when.strftime("%Y-%m-%dT%H:%M")},
    )
    assert response.status_code == 302
    rework = RepairOrder.objects.get(rework_of=order)
    assert (rework.urgency, rework.appointment_at) == ("appointment", when)

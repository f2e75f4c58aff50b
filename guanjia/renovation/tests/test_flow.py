"""The renovation from application to deposit refund through the services, with each move's
event and the refusals of the issue's bad-input list."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from guanjia.billing.models import LedgerEntry
from guanjia.core.workflows import WorkflowDenied, WorkflowError
from guanjia.renovation import services
from guanjia.renovation.models import Fee, RefundStatus, RenoStatus, Renovation

from .factories import (
    ALL_PASSED,
    applied,
    approved,
    code_of,
    contractor,
    final_accepted,
    in_progress,
    paid,
    permitted,
    set_policy,
    under_review,
)

S = RenoStatus
pytestmark = pytest.mark.django_db


def _last(reno: Renovation):
    return reno.events.order_by("-at", "-pk").first()


def test_apply_numbers_and_sets_the_review_deadline(world):
    reno = applied(world, world.a)
    assert reno.status == S.APPLIED
    assert reno.number.startswith("ZX-")
    assert reno.review_due_on > timezone.localdate()
    assert reno.items.count() == 2
    event = _last(reno)
    assert event.action == "created"
    assert event.actor == world.user("receptionist")


def test_banned_contractor_is_refused_at_once(world):
    firm = contractor(world, world.a)
    services.ban_contractor(contractor=firm, reason="违规动火", by=world.user("supervisor"))
    with pytest.raises(ValidationError) as error:
        applied(world, world.a, contractor=firm)
    assert code_of(error.value) == "contractor_banned"
    assert not Renovation.objects.exists()


def test_a_ban_that_ended_no_longer_refuses(world):
    firm = contractor(world, world.a)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    services.ban_contractor(
        contractor=firm,
        reason="x",
        by=world.user("supervisor"),
        starts_on=yesterday - dt.timedelta(days=5),
        until=yesterday,
    )
    assert applied(world, world.a, contractor=firm).status == S.APPLIED
    assert services.banned_contractor_ids(world.a) == set()


def test_a_lifted_ban_no_longer_refuses(world):
    firm = contractor(world, world.a)
    ban = services.ban_contractor(contractor=firm, reason="x", by=world.user("director"))
    assert services.banned_contractor_ids(world.a) == {firm.pk}
    services.lift_ban(ban=ban, by=world.user("director"))
    assert applied(world, world.a, contractor=firm).status == S.APPLIED
    with pytest.raises(ValidationError):
        services.lift_ban(ban=ban, by=world.user("director"))


def test_ban_needs_a_reason_and_the_permission(world):
    firm = contractor(world, world.a)
    with pytest.raises(ValidationError):
        services.ban_contractor(contractor=firm, reason=" ", by=world.user("supervisor"))
    with pytest.raises(PermissionDenied):
        services.ban_contractor(contractor=firm, reason="x", by=world.user("receptionist"))
    with pytest.raises(ValidationError) as error:
        services.ban_contractor(
            contractor=firm,
            reason="x",
            by=world.user("supervisor"),
            until=timezone.localdate() - dt.timedelta(days=1),
        )
    assert code_of(error.value) == "until_before_start"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"applicant_kind": "tenant"}, "owner_consent"),
        ({"planned_end": timezone.localdate()}, "planned_end"),
        ({"planned_start": timezone.localdate()}, "planned_start"),
        ({"items": {}}, "items"),
        ({"items": {"walls": " "}}, "items"),
        ({"items": {"roof_garden": "x"}}, "items"),
        ({"kind": "minor", "items": {"structure": "拆墙"}}, "items"),
        ({"applicant_name": ""}, "applicant_name"),
    ],
)
def test_bad_applications_are_refused(world, change, field):
    with pytest.raises(ValidationError) as error:
        applied(world, world.a, **change)
    assert field in error.value.message_dict
    assert not Renovation.objects.exists()


def test_a_tenant_with_the_owners_consent_may_apply(world):
    reno = applied(world, world.a, applicant_kind="tenant", owner_consent="业主书面同意书")
    assert reno.owner_consent == "业主书面同意书"


def test_a_period_longer_than_the_policy_is_refused(world):
    set_policy(world, world.a, "reno.max_days", 10)
    with pytest.raises(ValidationError) as error:
        applied(world, world.a)
    assert "planned_end" in error.value.message_dict


def test_review_needs_the_plan_and_the_workers(world):
    reno = applied(world, world.a)
    with pytest.raises(ValidationError) as error:
        services.submit_for_review(renovation=reno, by=world.user("receptionist"))
    assert code_of(error.value) == "plan_missing"
    reno.refresh_from_db()
    assert reno.status == S.APPLIED


def test_structural_items_need_a_design(world):
    from .factories import ID_OK, pdf, png

    reno = applied(world, world.a, items={"structure": "开门洞"})
    assert reno.special
    desk = world.user("receptionist")
    services.add_plan(renovation=reno, kind="layout", upload=pdf(), by=desk)
    services.add_worker(renovation=reno, name="张", id_number=ID_OK, photo=png(), by=desk)
    with pytest.raises(ValidationError) as error:
        services.submit_for_review(renovation=reno, by=desk)
    assert code_of(error.value) == "design_missing"
    services.add_plan(renovation=reno, kind="design", upload=pdf(), by=desk)
    services.submit_for_review(renovation=reno, by=desk)
    for role, eng in (("supervisor", False), ("engineering_lead", True)):
        services.give_opinion(renovation=reno, opinion="ok", by=world.user(role), engineering=eng)
    with pytest.raises(WorkflowDenied):
        services.approve(renovation=reno, by=world.user("supervisor"))
    services.approve(renovation=reno, by=world.user("director"))
    assert reno.status == S.APPROVED


def test_workers_need_a_valid_id_and_a_photo(world):
    from .factories import ID_BAD, ID_OK, pdf, png

    reno = applied(world, world.a)
    desk = world.user("receptionist")
    with pytest.raises(ValidationError) as error:
        services.add_worker(renovation=reno, name="张", id_number=ID_BAD, photo=png(), by=desk)
    assert code_of(error.value) == "bad_id_checksum"
    with pytest.raises(ValidationError) as error:
        services.add_worker(renovation=reno, name="张", id_number=ID_OK, photo=None, by=desk)
    assert "photo" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.add_worker(
            renovation=reno, name="张", id_number=ID_OK, photo=pdf("a.png"), by=desk
        )
    assert "photo" in error.value.message_dict
    services.add_worker(renovation=reno, name="张", id_number=ID_OK, photo=png(), by=desk)
    with pytest.raises(ValidationError) as error:
        services.add_worker(renovation=reno, name="张", id_number=ID_OK, photo=png(), by=desk)
    assert code_of(error.value) == "duplicate"
    assert reno.workers.count() == 1


def test_plans_are_checked_by_content_and_size(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .factories import png

    reno = applied(world, world.a)
    desk = world.user("receptionist")
    fake = SimpleUploadedFile("plan.pdf", b"MZ not a pdf at all", content_type="application/pdf")
    with pytest.raises(ValidationError) as error:
        services.add_plan(renovation=reno, kind="layout", upload=fake, by=desk)
    assert code_of(error.value) == "file_content_mismatch"
    exe = SimpleUploadedFile("plan.exe", b"MZ", content_type="application/octet-stream")
    with pytest.raises(ValidationError) as error:
        services.add_plan(renovation=reno, kind="layout", upload=exe, by=desk)
    assert code_of(error.value) == "bad_file_type"
    set_policy(world, world.a, "reno.plan_max_mb", 1)
    big = SimpleUploadedFile(
        "big.pdf", b"%PDF-" + b"0" * (1024 * 1024 + 1), content_type="application/pdf"
    )
    with pytest.raises(ValidationError) as error:
        services.add_plan(renovation=reno, kind="layout", upload=big, by=desk)
    assert code_of(error.value) == "too_large"
    services.add_plan(renovation=reno, kind="layout", upload=png("plan.png"), by=desk)
    assert reno.plans.count() == 1


def test_changes_asked_then_resubmitted(world):
    reno = under_review(world, world.a)
    services.request_changes(renovation=reno, note="补充电路图", by=world.user("supervisor"))
    assert reno.status == S.NEEDS_CHANGES
    services.submit_for_review(renovation=reno, by=world.user("receptionist"))
    assert reno.status == S.UNDER_REVIEW
    services.reject(renovation=reno, note="拆改承重墙", by=world.user("supervisor"))
    assert reno.status == S.REJECTED
    with pytest.raises(WorkflowError) as error:
        services.submit_for_review(renovation=reno, by=world.user("receptionist"))
    assert error.value.code == "move_not_allowed"


def test_approval_needs_both_opinions(world):
    reno = under_review(world, world.a)
    with pytest.raises(ValidationError) as error:
        services.approve(renovation=reno, by=world.user("supervisor"))
    assert code_of(error.value) == "opinion_missing"
    with pytest.raises(PermissionDenied):
        services.give_opinion(
            renovation=reno, opinion="x", by=world.user("receptionist"), engineering=True
        )


def test_approval_charges_the_fees_from_the_policies(world):
    set_policy(world, world.a, "reno.deposit_contractor", "1000")
    set_policy(world, world.a, "reno.management_fee", "100")
    reno = approved(world, world.a)
    fees = {f.kind: f.amount for f in Fee.objects.filter(renovation=reno)}
    debris = (Decimal("2.5") * reno.unit.building_area).quantize(Decimal("0.01"))
    assert fees == {
        "deposit_owner": Decimal("2000.00"),
        "deposit_contractor": Decimal("1000.00"),
        "debris": debris,
        "management": Decimal("100.00"),
    }
    assert services.outstanding(reno) == sum(fees.values())
    charges = LedgerEntry.objects.filter(unit=reno.unit, bill_ref__startswith=f"reno:{reno.pk}:")
    assert charges.count() == 4


def test_a_permit_before_payment_is_refused(world):
    reno = approved(world, world.a)
    with pytest.raises(ValidationError) as error:
        services.issue_permit(renovation=reno, by=world.user("supervisor"))
    assert code_of(error.value) == "fees_unpaid"
    reno.refresh_from_db()
    assert reno.status == S.APPROVED
    assert reno.permit_issued_on is None
    paid(reno, world)
    services.issue_permit(renovation=reno, by=world.user("supervisor"))
    assert reno.status == S.PERMIT_ISSUED
    assert [e.to_status for e in reno.events.order_by("pk")][-2:] == [S.FEES_PAID, S.PERMIT_ISSUED]


def test_minor_works_pay_no_deposit(world):
    reno = applied(world, world.a, kind="minor", items={"walls": "刷墙"})
    desk = world.user("receptionist")
    services.submit_for_review(renovation=reno, by=desk)
    services.give_opinion(
        renovation=reno, opinion="ok", by=world.user("supervisor"), engineering=False
    )
    services.approve(renovation=reno, by=world.user("supervisor"))
    assert reno.status == S.FEES_PAID
    assert not reno.fees.exists()


def test_a_move_out_of_order_is_refused(world):
    reno = applied(world, world.a)
    with pytest.raises(WorkflowError) as error:
        services.start_work(renovation=reno, by=world.user("supervisor"))
    assert error.value.code == "move_not_allowed"
    reno.refresh_from_db()
    assert reno.status == S.APPLIED


def test_inspection_stop_suspends_and_resume(world):
    reno = in_progress(world, world.a)
    am = world.user("area_manager")
    inspection = services.record_inspection(
        renovation=reno, outcome="stop", breaches=["structure"], instruction="立即停工", by=am
    )
    reno.refresh_from_db()
    assert reno.status == S.SUSPENDED
    assert reno.next_inspection_on == timezone.localdate() + dt.timedelta(days=1)
    assert inspection.breaches == ["structure"]
    services.resume(renovation=reno, note="已恢复原状", by=am)
    assert reno.status == S.IN_PROGRESS


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"outcome": "maybe"}, "outcome"),
        ({"outcome": "breach"}, "breaches"),
        ({"outcome": "breach", "breaches": ["gas"]}, "instruction"),
        ({"outcome": "ok", "breaches": ["gas"]}, "breaches"),
        ({"outcome": "breach", "breaches": ["nope"], "instruction": "x"}, "breaches"),
    ],
)
def test_bad_inspections_are_refused(world, kw, field):
    reno = in_progress(world, world.a)
    with pytest.raises(ValidationError) as error:
        services.record_inspection(renovation=reno, by=world.user("area_manager"), **kw)
    assert field in error.value.message_dict
    assert not reno.inspections.exists()


def test_nobody_on_site_and_refused_entry_are_outcomes(world):
    reno = in_progress(world, world.a)
    for outcome in ("nobody", "refused"):
        services.record_inspection(renovation=reno, outcome=outcome, by=world.user("area_manager"))
    assert reno.inspections.count() == 2
    reno.refresh_from_db()
    assert reno.status == S.IN_PROGRESS


def test_extension_before_expiry(world):
    reno = in_progress(world, world.a)
    with pytest.raises(ValidationError):
        services.extend(
            renovation=reno, new_end=reno.planned_end, reason="x", by=world.user("supervisor")
        )
    services.extend(
        renovation=reno,
        new_end=reno.planned_end + dt.timedelta(days=10),
        reason="材料延误",
        by=world.user("supervisor"),
    )
    assert reno.status == S.EXTENDED
    assert reno.current_end == reno.planned_end + dt.timedelta(days=10)


def test_failed_acceptance_then_passed_and_observation(world):
    reno = in_progress(world, world.a)
    services.request_completion(renovation=reno, by=world.user("receptionist"))
    eng = world.user("engineering_lead")
    with pytest.raises(ValidationError):
        services.accept_initial(renovation=reno, checks={"structure": False}, by=eng)
    services.accept_initial(
        renovation=reno, checks={"structure": False}, defects="墙体开裂", by=eng
    )
    assert reno.status == S.ACCEPTANCE_FAILED
    services.request_completion(renovation=reno, by=world.user("receptionist"))
    services.accept_initial(renovation=reno, checks=ALL_PASSED, by=eng)
    assert reno.status == S.OBSERVATION
    assert reno.acceptance_attempts == 2
    with pytest.raises(ValidationError) as error:
        services.accept_final(renovation=reno, note="", by=eng)
    assert code_of(error.value) == "observation"


def test_refund_with_deductions_contractor_first(world):
    set_policy(world, world.a, "reno.deposit_contractor", "1000")
    reno = final_accepted(world, world.a)
    lines = [
        services.DeductionLine("垃圾未清", "200", "公共区域堆放"),
        services.DeductionLine("损坏", "1100.50", "电梯轿厢"),
    ]
    refund = services.request_refund(
        renovation=reno, payee="王业主", deductions=lines, by=world.user("supervisor")
    )
    assert refund.status == RefundStatus.REQUESTED
    assert refund.refund_contractor == Decimal("0.00")
    assert refund.refund_owner == Decimal("1699.50")
    assert refund.shortfall == Decimal("0.00")
    with pytest.raises(WorkflowError):
        services.pay_refund(refund=refund, reference="PZ001", by=world.user("cashier"))
    with pytest.raises(WorkflowDenied) as denied:
        services.decide_refund(refund=refund, approve=True, by=world.user("supervisor"))
    assert denied.value.code == "own_request"
    services.decide_refund(refund=refund, approve=True, by=world.user("director"))
    with pytest.raises(WorkflowError) as error:
        services.decide_refund(refund=refund, approve=True, by=world.user("director"))
    assert error.value.code == "already_decided"
    services.pay_refund(refund=refund, reference="PZ001", by=world.user("cashier"))
    reno.refresh_from_db()
    assert reno.status == S.CLOSED
    statuses = [e.to_status for e in reno.events.order_by("pk")]
    assert statuses[-2:] == [S.DEDUCTION, S.CLOSED]
    with pytest.raises(WorkflowError):
        services.pay_refund(refund=refund, reference="PZ002", by=world.user("cashier"))
    with pytest.raises(ValidationError):
        services.request_refund(renovation=reno, payee="x", by=world.user("supervisor"))


def test_a_shortfall_is_charged_to_the_unit(world):
    reno = final_accepted(world, world.a)
    lines = [services.DeductionLine("破坏结构", "2500", "修复费用")]
    refund = services.request_refund(
        renovation=reno, payee="王", deductions=lines, by=world.user("supervisor")
    )
    assert (refund.refund_owner, refund.shortfall) == (Decimal("0.00"), Decimal("500.00"))
    services.decide_refund(refund=refund, approve=True, by=world.user("director"))
    services.pay_refund(refund=refund, reference="PZ9", by=world.user("cashier"))
    assert services.outstanding(reno) == Decimal("500.00")


def test_refund_without_deduction_and_rejected_then_asked_again(world):
    reno = final_accepted(world, world.a)
    refund = services.request_refund(renovation=reno, payee="王", by=world.user("supervisor"))
    with pytest.raises(WorkflowError):
        services.decide_refund(refund=refund, approve=False, by=world.user("director"))
    services.decide_refund(refund=refund, approve=False, reason="漏扣", by=world.user("director"))
    refund = services.request_refund(
        renovation=reno,
        payee="王",
        by=world.user("supervisor"),
        deductions=[services.DeductionLine("x", "10", "y")],
    )
    assert refund.status == RefundStatus.REQUESTED
    assert refund.deductions.count() == 1


@pytest.mark.parametrize("amount", ["-5", "0", "1.005", "abc", "NaN"])
def test_bad_deduction_amounts_are_refused(world, amount):
    reno = final_accepted(world, world.a)
    with pytest.raises(ValidationError) as error:
        services.request_refund(
            renovation=reno,
            payee="王",
            by=world.user("supervisor"),
            deductions=[services.DeductionLine("x", amount, "y")],
        )
    assert code_of(error.value) == "bad_amount"
    assert not hasattr(Renovation.objects.get(pk=reno.pk), "refund_cache")


def test_refund_before_final_acceptance_is_refused(world):
    reno = permitted(world, world.a)
    with pytest.raises(ValidationError) as error:
        services.request_refund(renovation=reno, payee="王", by=world.user("supervisor"))
    assert code_of(error.value) == "not_accepted"

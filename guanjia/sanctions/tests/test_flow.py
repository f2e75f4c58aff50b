"""The breach workflow through its services: each move, its refusals, and what it does in the
other apps (the pass confiscated, the contractor banned, the deduction in the refund)."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from guanjia.core.workflows.errors import WorkflowDenied, WorkflowError
from guanjia.passes.models import PassStatus
from guanjia.renovation import services as reno_services
from guanjia.renovation.models import ContractorBan, Deduction
from guanjia.renovation.tests.factories import ALL_PASSED, set_policy
from guanjia.sanctions import services
from guanjia.sanctions.models import Breach, BreachStatus, SanctionType

from .factories import (
    SIGN,
    actor,
    appealed,
    decided,
    executed,
    line,
    notified,
    png,
    reported,
    site,
    verified,
)

pytestmark = pytest.mark.django_db
S = BreachStatus


def _codes(exc):
    return {field: [e.code for e in errors] for field, errors in exc.error_dict.items()}


def test_every_community_gets_the_table_of_the_spec(world):
    rows = SanctionType.objects.filter(community=world.a)
    assert rows.count() == 15
    smoking = rows.get(code="smoking")
    assert smoking.default_amount == Decimal("100.00")
    wrong = rows.get(code="wrong_unit")
    assert (wrong.default_amount, wrong.max_amount) == (Decimal("30.00"), Decimal("50.00"))
    assert wrong.confiscate_pass
    assert wrong.expel
    assert wrong.per_person


def test_a_report_by_pass_number_names_the_person_the_contractor_and_the_site(world):
    reno, worker = site(world, world.a)
    breach = reported(world, world.a, number=worker.number.lower())
    assert breach.number.startswith("RY-")
    assert breach.status == S.REPORTED
    assert breach.pass_obj == worker
    assert breach.person_name == "王师傅"
    assert breach.renovation == reno
    assert breach.contractor == reno.contractor
    assert breach.unit == reno.unit
    assert breach.photos.count() == 1
    event = breach.events.get()
    assert event.actor == world.user("security")
    assert event.to_status == S.REPORTED


def test_a_wrong_pass_number_or_another_communitys_pass_is_refused(world):
    _, other = site(world, world.b)
    for number in ("NOPE-1", other.number):
        with pytest.raises(ValidationError) as caught:
            reported(world, world.a, number=number)
        assert _codes(caught.value) == {"pass_number": ["not_found"]}
    assert not Breach.objects.exists()


def test_another_communitys_line_or_renovation_is_refused(world):
    reno_b, _ = site(world, world.b)
    report = services.Report(
        kind=line(world.b), place="大堂", description="吸烟", source="guard", person_kind="visitor",
        person_name="某人",
    )  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        services.report_breach(community=world.a, report=report, by=world.user("security"))
    assert _codes(caught.value) == {"kind": ["invalid"]}
    report = services.Report(
        kind=line(world.a), place="大堂", description="损坏", source="cctv", person_kind="worker",
        renovation=reno_b,
    )  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        services.report_breach(community=world.a, report=report, by=world.user("security"))
    assert _codes(caught.value) == {"renovation": ["other_community"]}


def test_a_person_who_refuses_to_identify_is_flagged_for_no_reentry(world):
    report = services.Report(
        kind=line(world.a, "crime"), place="地库", description="形迹可疑，拒绝出示证件",
        source="guard", person_kind="other", unidentified=True,
    )  # fmt: skip
    breach = services.report_breach(
        community=world.a, report=report, photos=[png()], by=world.user("security")
    )
    assert breach.unidentified
    assert breach.no_reentry
    services.verify_breach(breach=breach, note="监控核实", by=world.user("area_manager"))
    with pytest.raises(ValidationError) as caught:
        services.decide_sanction(
            breach=breach, amount="100", measures={}, note="", by=world.user("supervisor")
        )
    assert _codes(caught.value) == {"amount": ["unidentified"]}
    services.decide_sanction(
        breach=breach, amount="0", measures={"expel": True}, note="", by=world.user("supervisor")
    )
    assert services.parties(breach) == ["person"]


def test_a_report_needs_someone_to_name(world):
    report = services.Report(
        kind=line(world.a), place="大堂", description="吸烟", source="guard", person_kind="visitor"
    )
    with pytest.raises(ValidationError) as caught:
        services.report_breach(community=world.a, report=report, by=world.user("security"))
    assert _codes(caught.value) == {"pass_number": ["required"]}


def test_a_residents_report_names_the_resident(world):
    report = services.Report(
        kind=line(world.a), place="大堂", description="吸烟", source="resident",
        person_kind="visitor", person_name="某访客",
    )  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        services.report_breach(community=world.a, report=report, by=world.user("receptionist"))
    assert _codes(caught.value) == {"resident_name": ["required"]}


def test_verification_needs_evidence(world):
    report = services.Report(
        kind=line(world.a), place="大堂", description="吸烟", source="guard",
        person_kind="visitor", person_name="某访客",
    )  # fmt: skip
    breach = services.report_breach(community=world.a, report=report, by=world.user("security"))
    with pytest.raises(ValidationError) as caught:
        services.verify_breach(breach=breach, note="核实", by=world.user("area_manager"))
    assert _codes(caught.value) == {"note": ["no_evidence"]}
    services.add_photo(breach=breach, image=png(), by=world.user("security"))
    services.verify_breach(breach=breach, note="核实", by=world.user("area_manager"))
    assert breach.status == S.VERIFIED


def test_the_receptionist_may_not_verify(world):
    breach = reported(world, world.a)
    with pytest.raises(WorkflowDenied):
        services.verify_breach(breach=breach, note="核实", by=world.user("receptionist"))
    breach.refresh_from_db()
    assert breach.status == S.REPORTED


def test_the_decision_stays_within_the_table_and_the_limit(world):
    breach = verified(world, world.a)
    boss = world.user("supervisor")
    for amount, code in (("-1", "negative"), ("100.01", "above_max"), ("abc", "bad_amount")):
        with pytest.raises(ValidationError) as caught:
            services.decide_sanction(breach=breach, amount=amount, measures={}, note="", by=boss)
        assert _codes(caught.value) == {"amount": [code]}
    with pytest.raises(ValidationError) as caught:
        services.decide_sanction(breach=breach, amount="0", measures={}, note="", by=boss)
    assert _codes(caught.value) == {"amount": ["nothing"]}
    set_policy(world, world.a, "sanction.decide_limit", "50")
    with pytest.raises(PermissionDenied):
        services.decide_sanction(breach=breach, amount="100", measures={}, note="", by=boss)
    breach.refresh_from_db()
    assert breach.status == S.VERIFIED
    assert breach.amount == 0
    services.decide_sanction(
        breach=breach, amount="100", measures={}, note="主任决定", by=world.user("director")
    )
    assert breach.status == S.DECIDED
    assert breach.decided_by == world.user("director")


def test_the_reporter_may_not_decide(world):
    breach = reported(world, world.a)
    boss = world.user("supervisor")
    # The supervisor reports and verifies a second one: then may not decide it.
    report = services.Report(
        kind=line(world.a), place="大堂", description="吸烟", source="manager",
        person_kind="worker", pass_number=breach.pass_number,
    )  # fmt: skip
    own = services.report_breach(community=world.a, report=report, photos=[png()], by=boss)
    services.verify_breach(breach=own, note="核实", by=world.user("area_manager"))
    with pytest.raises(WorkflowDenied):
        services.decide_sanction(breach=own, amount="100", measures={}, note="", by=boss)
    own.refresh_from_db()
    assert own.status == S.VERIFIED


def test_a_measure_needs_what_it_acts_on(world):
    report = services.Report(
        kind=line(world.a), place="大堂", description="吸烟", source="guard",
        person_kind="visitor", person_name="某访客",
    )  # fmt: skip
    breach = services.report_breach(
        community=world.a, report=report, photos=[png()], by=world.user("security")
    )
    services.verify_breach(breach=breach, note="核实", by=world.user("area_manager"))
    boss = world.user("supervisor")
    with pytest.raises(ValidationError) as caught:
        services.decide_sanction(
            breach=breach, amount="0", measures={"confiscate_pass": True}, note="", by=boss
        )
    assert _codes(caught.value) == {"confiscate_pass": ["no_pass"]}
    with pytest.raises(ValidationError) as caught:
        services.decide_sanction(
            breach=breach, amount="0", measures={"ban_contractor": True}, note="", by=boss
        )
    assert _codes(caught.value) == {"ban_contractor": ["no_contractor"]}
    with pytest.raises(ValidationError) as caught:
        services.decide_sanction(breach=breach, amount="50", measures={}, note="", by=boss)
    assert _codes(caught.value) == {"amount": ["no_deposit"]}


def test_both_parties_sign_or_refuse_before_the_record_is_notified(world):
    breach = decided(world, world.a)
    desk = world.user("area_manager")
    with pytest.raises(ValidationError) as caught:
        services.notify_party(breach=breach, party="owner", signer="王业主", by=desk)
    assert _codes(caught.value) == {"signature": ["no_signature"]}
    with pytest.raises(ValidationError) as caught:
        services.notify_party(
            breach=breach, party="owner", signer="王业主", refused_to_sign=True, by=desk
        )
    assert _codes(caught.value) == {"refusal_note": ["required"]}
    with pytest.raises(ValidationError) as caught:
        services.notify_party(
            breach=breach, party="person", signer="王师傅", signature=SIGN, by=desk
        )
    assert _codes(caught.value) == {"party": ["invalid"]}
    services.notify_party(breach=breach, party="contractor", signer="李工", signature=SIGN, by=desk)
    breach.refresh_from_db()
    assert breach.status == S.DECIDED
    with pytest.raises(ValidationError):
        services.notify_party(
            breach=breach, party="contractor", signer="李工", signature=SIGN, by=desk
        )
    services.notify_party(
        breach=breach,
        party="owner",
        signer="王业主",
        refused_to_sign=True,
        refusal_note="业主拒签，保安张三在场",
        by=desk,
    )
    breach.refresh_from_db()
    assert breach.status == S.NOTIFIED
    assert breach.notified_at is not None
    assert breach.notices.count() == 2


def test_execution_confiscates_the_pass_bans_the_contractor_and_carries_the_deduction(world):
    breach = notified(
        world, world.a, amount="50", code="wrong_unit",
        measures={"confiscate_pass": True, "expel": True, "ban_contractor": True},
    )  # fmt: skip
    services.execute_breach(breach=breach, note="已收证并清出", by=world.user("supervisor"))
    assert breach.status == S.EXECUTED
    breach.pass_obj.refresh_from_db()
    assert breach.pass_obj.status == PassStatus.CONFISCATED
    ban = ContractorBan.objects.get()
    assert ban.contractor == breach.contractor
    assert ban.source == f"sanctions:{breach.number}"
    assert breach.ban == ban
    lines = reno_services.pending_deductions(breach.renovation)
    assert [(x.amount, x.held) for x in lines] == [(Decimal("50.00"), False)]


def test_the_police_reference_is_required_when_the_police_are_called(world):
    breach = notified(
        world, world.a, code="crime", amount="1000", measures={"call_police": True},
        decider="director",
    )  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        services.execute_breach(breach=breach, note="移交派出所", by=world.user("director"))
    assert _codes(caught.value) == {"police_ref": ["required"]}
    services.execute_breach(
        breach=breach,
        note="移交派出所",
        police_ref="城南派出所 2026-118",
        by=world.user("director"),
    )
    assert breach.status == S.EXECUTED


def test_the_refund_waits_for_a_held_deduction_then_carries_it(world):
    breach = appealed(world, world.a, amount="100")
    reno = breach.renovation
    set_policy(world, world.a, "reno.refund_after_days", 0)
    desk = actor(world, world.a, "receptionist")
    eng = actor(world, world.a, "engineering_lead")
    reno_services.request_completion(renovation=reno, by=desk)
    reno_services.accept_initial(renovation=reno, checks=ALL_PASSED, by=eng)
    reno_services.accept_final(renovation=reno, note="无渗漏", by=eng)
    with pytest.raises(ValidationError) as caught:
        reno_services.request_refund(renovation=reno, payee="王业主", by=world.user("supervisor"))
    assert _codes(caught.value) == {"deductions": ["deduction_held"]}
    services.decide_appeal(
        breach=breach, decision="modified", amount="80", note="酌减", by=world.user("director")
    )
    assert breach.status == S.NOTIFIED
    assert breach.amount == Decimal("80.00")
    services.execute_breach(breach=breach, note="押金扣除", by=world.user("supervisor"))
    refund = reno_services.request_refund(
        renovation=reno, payee="王业主", by=world.user("supervisor")
    )
    line_ = Deduction.objects.get(refund=refund)
    assert line_.amount == Decimal("80.00")
    assert breach.number in line_.item
    assert refund.deducted == Decimal("80.00")
    with pytest.raises(ValidationError) as caught:
        services.lodge_appeal(
            breach=breach, party="owner", grounds="再申诉", by=world.user("area_manager")
        )
    assert caught.value.error_dict["grounds"][0].code in {"in_refund", "appeal_late"}


def test_an_appeal_after_the_window_is_refused(world):
    breach = notified(world, world.a)
    later = timezone.now() + dt.timedelta(days=8)
    with time_machine.travel(later, tick=False), pytest.raises(ValidationError) as caught:
        services.lodge_appeal(
            breach=breach, party="contractor", grounds="不服", by=world.user("area_manager")
        )
    assert _codes(caught.value) == {"grounds": ["appeal_late"]}
    breach.refresh_from_db()
    assert breach.status == S.NOTIFIED


def test_only_the_director_decides_an_appeal_and_a_cancel_lifts_the_ban(world):
    breach = notified(world, world.a, measures={"ban_contractor": True})
    services.execute_breach(breach=breach, note="禁入", by=world.user("supervisor"))
    services.lodge_appeal(
        breach=breach, party="contractor", grounds="非本公司工人", by=world.user("area_manager")
    )
    assert breach.status == S.APPEALED
    assert breach.appeal_from == S.EXECUTED
    assert reno_services.pending_deductions(breach.renovation)[0].held
    with pytest.raises(PermissionDenied):
        services.decide_appeal(
            breach=breach, decision="cancelled", note="撤销", by=world.user("supervisor")
        )
    with pytest.raises(WorkflowDenied):
        services.execute_breach(breach=breach, note="x", by=world.user("supervisor"))
    services.decide_appeal(
        breach=breach, decision="cancelled", note="核实非其工人", by=world.user("director")
    )
    assert breach.status == S.CANCELLED
    assert ContractorBan.objects.get().lifted_at is not None
    assert reno_services.pending_deductions(breach.renovation) == []
    with pytest.raises(WorkflowError):
        services.decide_appeal(
            breach=breach, decision="upheld", note="x", by=world.user("director")
        )


def test_closing_waits_for_the_appeal_period(world):
    breach = executed(world, world.a)
    with pytest.raises(WorkflowError):
        services.close_breach(breach=breach, note="", by=world.user("supervisor"))
    with time_machine.travel(timezone.now() + dt.timedelta(days=8), tick=False):
        services.close_breach(breach=breach, note="结案", by=world.user("supervisor"))
    assert breach.status == S.CLOSED


def test_a_move_out_of_order_is_refused(world):
    breach = reported(world, world.a)
    with pytest.raises(WorkflowError) as caught:
        services.execute_breach(breach=breach, note="x", by=world.user("supervisor"))
    assert caught.value.code == "move_not_allowed"
    breach.refresh_from_db()
    assert breach.status == S.REPORTED


def test_an_unfounded_report_is_cancelled_by_the_supervisor(world):
    breach = reported(world, world.a)
    with pytest.raises(WorkflowDenied):
        services.cancel_breach(breach=breach, note="误报", by=world.user("security"))
    services.cancel_breach(breach=breach, note="误报", by=world.user("supervisor"))
    assert breach.status == S.CANCELLED


def test_repeat_offences_propose_a_ban(world):
    first = verified(world, world.a)
    set_policy(world, world.a, "sanction.ban_after", 2)
    assert not services.ban_is_proposed(first)
    report = services.Report(
        kind=line(world.a, "littering"), place="大堂", description="乱扔烟头", source="guard",
        person_kind="worker", renovation=first.renovation, person_name="赵师傅",
    )  # fmt: skip
    services.report_breach(
        community=world.a, report=report, photos=[png()], by=world.user("security")
    )
    assert services.ban_is_proposed(first)
    services.decide_sanction(
        breach=first, amount="100", measures={}, note="", by=world.user("supervisor")
    )
    assert first.ban_proposed


def test_damage_found_later_links_to_the_renovation(world):
    reno, _ = site(world, world.a)
    report = services.Report(
        kind=line(world.a, "lift"), place="2号电梯", description="监控显示搬运时撞坏轿厢",
        source="cctv", person_kind="worker", renovation=reno,
    )  # fmt: skip
    breach = services.report_breach(
        community=world.a, report=report, photos=[png()], by=world.user("area_manager")
    )
    assert breach.contractor == reno.contractor
    assert breach.unit == reno.unit
    services.verify_breach(breach=breach, note="调取监控", by=world.user("security"))
    with pytest.raises(ValidationError) as caught:
        services.decide_sanction(
            breach=breach,
            amount="100",
            damage="-5",
            measures={},
            note="",
            by=world.user("director"),
        )
    assert _codes(caught.value) == {"damage": ["negative"]}
    services.decide_sanction(
        breach=breach, amount="100", damage="850", measures={}, note="", by=world.user("director")
    )
    assert breach.deduction == Decimal("950.00")


def test_the_table_line_is_edited_within_its_rules(world):
    smoking = line(world.a)
    boss = world.user("supervisor")
    with pytest.raises(ValidationError) as caught:
        services.save_sanction_type(
            line=smoking, name="吸烟", default_amount="300", max_amount="200", by=boss
        )
    assert _codes(caught.value) == {"default_amount": ["above_max"]}
    with pytest.raises(PermissionDenied):
        services.save_sanction_type(
            line=smoking, name="吸烟", default_amount="100", max_amount="200",
            by=world.user("security"),
        )  # fmt: skip
    services.save_sanction_type(
        line=smoking, name="电梯内吸烟", default_amount="150", max_amount="200", by=boss
    )
    smoking.refresh_from_db()
    assert smoking.max_amount == Decimal("200.00")
    assert smoking.name == "电梯内吸烟"

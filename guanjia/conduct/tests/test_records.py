"""Rewards and penalties on the §23 workflow: each move, the authority matrix, signatures,
appeals within rp.appeal_days, lapsing, and the cap flag."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from guanjia.accounts.tests.factories import staff
from guanjia.conduct import services
from guanjia.conduct.models import ConductRecord, RecordStatus
from guanjia.conduct.services import Evidence
from guanjia.core.workflows import Code, WorkflowDenied, WorkflowError
from guanjia.tickets.tests.factories import complaint, entry

from .factories import level, record, submitted

pytestmark = pytest.mark.django_db
S = RecordStatus


def test_the_whole_workflow_leaves_one_event_per_step(world):
    rec = record(world, "effective")
    assert rec.status == S.EFFECTIVE
    assert rec.number.startswith("JF-")
    steps = list(rec.events.values_list("action", "actor__username"))
    assert steps == [
        ("proposed", "supervisor-a"),
        ("confirmed", "supervisor-a"),
        ("requested", "receptionist-a"),
        ("approved", "director-a"),
        ("effective", "director-a"),
    ]
    today = timezone.localdate()
    assert rec.effective_on == today
    assert rec.appeal_until == today + dt.timedelta(days=5)
    assert rec.expires_on is not None
    assert rec.expires_on > today + dt.timedelta(days=360)
    assert rec.signed_by_employee is True


def test_a_refusal_to_sign_is_noted_by_a_manager(world):
    rec = record(world, "confirmed")
    with pytest.raises(ValidationError):
        services.note_refusal(record=rec, by=world.user("director"), statement="")
    with pytest.raises(WorkflowDenied):
        services.note_refusal(record=rec, by=world.user("receptionist"), statement="不签")
    services.note_refusal(record=rec, by=world.user("director"), statement="员工拒绝签字")
    rec.refresh_from_db()
    assert rec.status == S.ACKNOWLEDGED
    assert rec.signed_by_employee is False


def test_only_the_employee_signs(world):
    rec = record(world, "confirmed")
    with pytest.raises(WorkflowDenied):
        services.sign_record(record=rec, by=world.user("cashier"))
    rec.refresh_from_db()
    assert rec.status == S.CONFIRMED


def test_approving_ones_own_record_is_refused(world):
    rec = record(world, "acknowledged", employee=world.user("area_manager"))
    with pytest.raises(WorkflowDenied) as exc:
        services.approve_record(record=rec, by=world.user("area_manager"))
    assert exc.value.code == Code.OWN_REQUEST
    rec.refresh_from_db()
    assert rec.status == S.ACKNOWLEDGED


def test_the_proposer_does_not_approve(world):
    rec = record(world, "acknowledged")
    with pytest.raises(WorkflowDenied):
        services.approve_record(record=rec, by=world.user("supervisor"))


def test_a_penalty_above_the_approvers_authority_is_refused(world):
    director = world.user("director")
    rec = services.propose_record(
        community=world.a,
        employee=world.user("receptionist"),
        level=level(world, "major_demerit"),
        facts="泄露业主资料",
        event_date=timezone.localdate(),
        evidence=Evidence(),
        by=director,
    )
    services.confirm_facts(record=rec, by=director)
    services.sign_record(record=rec, by=world.user("receptionist"))
    with pytest.raises(WorkflowDenied) as exc:
        services.approve_record(record=rec, by=world.user("supervisor"))
    assert exc.value.code == Code.OVER_LIMIT
    rec.refresh_from_db()
    assert rec.status == S.ACKNOWLEDGED
    services.approve_record(record=rec, by=world.user("management"))
    assert rec.status == S.EFFECTIVE
    assert rec.expires_on is None


def test_a_second_decision_is_refused(world):
    rec = record(world, "effective")
    with pytest.raises(WorkflowError):
        services.reject_record(record=rec, by=world.user("management"), reason="重复")


def test_a_rejection_needs_a_reason(world):
    rec = record(world, "acknowledged")
    with pytest.raises(WorkflowError):
        services.reject_record(record=rec, by=world.user("director"), reason="")
    services.reject_record(record=rec, by=world.user("director"), reason="事实不清")
    assert rec.status == S.REJECTED


def test_an_appeal_within_the_window_and_its_decision(world):
    rec = record(world, "appealed")
    assert rec.status == S.APPEALED
    with pytest.raises(WorkflowDenied):  # who approved it does not review the appeal
        services.decide_appeal(record=rec, outcome="revoked", reason="x", by=world.user("director"))
    services.decide_appeal(
        record=rec,
        outcome="modified",
        reason="情节较轻",
        level=level(world, "verbal_warning"),
        by=world.user("hr"),
    )
    rec.refresh_from_db()
    assert rec.status == S.MODIFIED
    assert rec.points == -2
    assert rec.original_level.code == "written_warning"


def test_an_appeal_after_the_window_is_refused(world):
    rec = record(world, "effective")
    ConductRecord.objects.filter(pk=rec.pk).update(
        appeal_until=timezone.localdate() - dt.timedelta(days=1)
    )
    with pytest.raises(ValidationError) as exc:
        services.appeal_record(record=rec, by=world.user("receptionist"), grounds="不服")
    assert exc.value.code == "appeal_late"
    rec.refresh_from_db()
    assert rec.status == S.EFFECTIVE


def test_only_the_employee_appeals_with_grounds(world):
    rec = record(world, "effective")
    with pytest.raises(WorkflowDenied):
        services.appeal_record(record=rec, by=world.user("cashier"), grounds="不服")
    with pytest.raises(ValidationError):
        services.appeal_record(record=rec, by=world.user("receptionist"), grounds=" ")


def test_a_modified_decision_needs_another_level_of_the_same_type(world):
    rec = record(world, "appealed")
    for bad in (None, level(world, "praise"), level(world, "written_warning")):
        with pytest.raises(ValidationError):
            services.decide_appeal(
                record=rec, outcome="modified", reason="x", level=bad, by=world.user("hr")
            )
    with pytest.raises(ValidationError):
        services.decide_appeal(record=rec, outcome="maybe", reason="x", by=world.user("hr"))


def test_minor_penalties_lapse(world):
    rec = record(world, "effective")
    assert services.expire_records(today=rec.expires_on) == 1
    rec.refresh_from_db()
    assert rec.status == S.EXPIRED
    assert rec.events.last().actor is None


def test_a_deduction_above_the_cap_is_flagged(world):
    rec = record(world, amount="700", monthly_pay="3000")
    assert rec.over_cap
    assert rec.amount == Decimal("700.00")
    ok = record(world, amount="500", monthly_pay="3000")
    assert not ok.over_cap


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"facts": " "}, "facts"),
        ({"event_date": dt.date(2999, 1, 1)}, "event_date"),
        ({"amount": "-1", "monthly_pay": "3000"}, "amount"),
        ({"amount": "1.234", "monthly_pay": "3000"}, "amount"),
        ({"amount": "100"}, "monthly_pay"),
        ({"evidence": Evidence(source="complaint", reference="TS-0000-0001")}, "evidence_ref"),
        ({"evidence": Evidence(source="praise", reference="DJ-0000-0001")}, "evidence_ref"),
        ({"evidence": Evidence(source="spot_check", reference="JC-0000-0001")}, "evidence_ref"),
        ({"evidence": Evidence(source="attendance")}, "evidence_ref"),
        ({"evidence": Evidence(source="gossip")}, "source"),
    ],
)
def test_a_bad_proposal_is_refused_and_nothing_saved(world, change, field):
    with pytest.raises(ValidationError) as exc:
        record(world, **change)
    assert field in exc.value.error_dict
    assert not ConductRecord.objects.exists()


def test_evidence_links_by_number(world):
    c = complaint(world, world.a, "replied")
    praise = entry(world, world.a, "praise", content="感谢前台热情服务")
    check = submitted(world)
    rec = record(world, evidence=Evidence(source="complaint", reference=c.number))
    assert rec.complaint == c
    rec = record(world, code="praise", evidence=Evidence(source="praise", reference=praise.number))
    assert rec.praise == praise
    assert rec.kind == "reward"
    rec = record(world, evidence=Evidence(source="spot_check", reference=check.number))
    assert rec.spot_check == check
    rec = record(
        world, evidence=Evidence(source="attendance", reference="KQ-2026-12-03", text="迟到25分钟")
    )
    assert (rec.evidence_ref, rec.evidence_text) == ("KQ-2026-12-03", "迟到25分钟")


def test_an_invalid_complaint_or_another_communitys_is_no_evidence(world):
    invalid = complaint(world, world.a, "invalid")
    other = complaint(world, world.b, "replied")
    for number in (invalid.number, other.number):
        with pytest.raises(ValidationError):
            record(world, evidence=Evidence(source="complaint", reference=number))


def test_nobody_proposes_for_themselves_nor_for_someone_elsewhere(world):
    with pytest.raises(ValidationError):
        record(world, employee=world.user("supervisor"))
    with pytest.raises(ValidationError):
        record(world, employee=staff("cashier", world.b, company=world.company))


def test_a_receptionist_cannot_propose(world):
    with pytest.raises(PermissionDenied):
        services.propose_record(
            community=world.a,
            employee=world.user("cashier"),
            level=level(world, "praise"),
            facts="x",
            event_date=timezone.localdate(),
            evidence=Evidence(),
            by=world.user("receptionist"),
        )


def test_a_move_the_table_does_not_list_is_refused(world):
    rec = record(world)
    with pytest.raises(WorkflowError) as exc:
        services.appeal_record(record=rec, by=world.user("receptionist"), grounds="不服")
    assert exc.value.code == Code.MOVE_NOT_ALLOWED


def test_a_proposal_is_dropped_with_a_reason(world):
    rec = record(world)
    with pytest.raises(ValidationError):
        services.drop_record(record=rec, by=world.user("director"), reason="")
    services.drop_record(record=rec, by=world.user("director"), reason="查无实据")
    assert rec.status == S.DROPPED

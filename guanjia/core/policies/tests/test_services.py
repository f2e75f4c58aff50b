import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from guanjia.accounts.tests.factories import staff
from guanjia.core.policies.models import (
    PolicyProposal,
    PolicyProposalEvent,
    PolicyValue,
    ProposalStatus,
)
from guanjia.core.policies.selectors import policy
from guanjia.core.policies.services import (
    approve_proposal,
    propose_policy,
    reject_proposal,
    set_policy,
)

OPS = "complaint.first_reply_hours"
FIN = "billing.late_fee_daily_rate"
HR = "att.late_threshold_min"


def test_finance_sets_a_financial_company_default(world):
    row = set_policy(
        key=FIN, value="0.0005", company=world.company, reason="新合同", by=world.user("finance")
    )
    assert row.community is None
    assert row.value == '"0.0005"'
    assert policy(world.a, FIN) == Decimal("0.0005")


def test_finance_overrides_a_financial_key_for_one_community(world):
    set_policy(key=FIN, value="0.001", community=world.a, reason="合同", by=world.user("finance"))
    assert policy(world.a, FIN) == Decimal("0.001")
    assert policy(world.b, FIN) == Decimal("0.003")


def test_the_director_cannot_change_a_financial_key(world):
    with pytest.raises(PermissionDenied):
        set_policy(key=FIN, value="0.001", community=world.a, reason="x", by=world.user("director"))
    assert not PolicyValue.objects.exists()


def test_the_director_overrides_an_operations_key_in_his_community(world):
    set_policy(key=OPS, value=12, community=world.a, reason="提速", by=world.user("director"))
    assert policy(world.a, OPS) == 12


def test_the_director_cannot_override_in_another_community(world):
    with pytest.raises(PermissionDenied):
        set_policy(key=OPS, value=12, community=world.b, reason="x", by=world.user("director"))


def test_the_director_cannot_change_a_company_default(world):
    with pytest.raises(PermissionDenied):
        set_policy(key=OPS, value=12, company=world.company, reason="x", by=world.user("director"))


def test_management_sets_the_company_default_of_any_key(world):
    for key, value in [(OPS, 36), (FIN, "0.001"), (HR, 15)]:
        set_policy(
            key=key, value=value, company=world.company, reason="公司", by=world.user("management")
        )
    assert PolicyValue.objects.count() == 3


def test_management_does_not_override_a_community(world):
    with pytest.raises(PermissionDenied):
        set_policy(key=OPS, value=12, community=world.a, reason="x", by=world.user("management"))


def test_hr_sets_an_hr_key_and_finance_cannot(world):
    set_policy(key=HR, value=15, company=world.company, reason="制度", by=world.user("hr"))
    assert policy(world.a, HR) == 15
    with pytest.raises(PermissionDenied):
        set_policy(key=HR, value=5, company=world.company, reason="x", by=world.user("finance"))


def test_hr_cannot_change_an_operations_key(world):
    with pytest.raises(PermissionDenied):
        set_policy(key=OPS, value=12, company=world.company, reason="x", by=world.user("hr"))


def test_a_company_wide_key_cannot_be_overridden_for_a_community(world):
    # Management may set company defaults; nobody may override a company-wide key.
    with pytest.raises(PermissionDenied):
        set_policy(key=HR, value=15, community=world.a, reason="x", by=world.user("hr"))


def test_the_supervisor_may_not_set_a_value(world):
    with pytest.raises(PermissionDenied):
        set_policy(key=OPS, value=12, community=world.a, reason="x", by=world.user("supervisor"))


def test_the_auditor_may_not_set_a_value(world):
    with pytest.raises(PermissionDenied):
        set_policy(key=OPS, value=12, company=world.company, reason="x", by=world.user("auditor"))


# --- validation --------------------------------------------------------------------------------
def _errors(call) -> dict:
    with pytest.raises(ValidationError) as caught:
        call()
    return {field: [str(m) for m in msgs] for field, msgs in caught.value.message_dict.items()}


def test_a_value_out_of_range_is_refused_and_nothing_is_saved(world):
    errors = _errors(
        lambda: set_policy(
            key=OPS, value=500, community=world.a, reason="x", by=world.user("director")
        )
    )
    assert errors == {"value": ["The value must be at most 168."]}
    assert not PolicyValue.objects.exists()


def test_money_with_three_decimals_is_refused(world):
    errors = _errors(
        lambda: set_policy(
            key="reno.deposit_owner",
            value="2000.555",
            community=world.a,
            reason="x",
            by=world.user("finance"),
        )
    )
    assert errors == {"value": ["Enter an amount in yuan with at most 2 decimal places."]}


def test_every_problem_is_reported_at_once(world):
    errors = _errors(
        lambda: set_policy(
            key=OPS,
            value="soon",
            community=world.a,
            reason="  ",
            effective_from=timezone.localdate() - dt.timedelta(days=1),
            by=world.user("director"),
        )
    )
    assert errors == {
        "value": ["Enter a whole number."],
        "effective_from": ["The effective date cannot be in the past."],
        "reason": ["Give a reason for the change."],
    }


def test_today_is_an_allowed_effective_date(world):
    row = set_policy(
        key=OPS,
        value=12,
        community=world.a,
        reason="x",
        effective_from=timezone.localdate(),
        by=world.user("director"),
    )
    assert row.effective_from == timezone.localdate()


def test_a_community_of_another_company_is_refused(world):
    from guanjia.core.tests.factories import CompanyFactory

    errors = _errors(
        lambda: set_policy(
            key=OPS,
            value=12,
            community=world.a,
            company=CompanyFactory(),
            reason="x",
            by=world.user("director"),
        )
    )
    assert errors == {"community": ["This community belongs to another company."]}


# --- history -----------------------------------------------------------------------------------
def test_a_change_adds_a_row_and_keeps_the_old_one(world):
    first = set_policy(key=OPS, value=12, community=world.a, reason="一", by=world.user("director"))
    set_policy(key=OPS, value=10, community=world.a, reason="二", by=world.user("director"))
    first.refresh_from_db()
    assert first.value == "12"
    assert list(PolicyValue.objects.values_list("value", "reason")) == [("12", "一"), ("10", "二")]
    assert policy(world.a, OPS) == 10


def test_every_value_row_has_a_history_record_with_its_author(world):
    row = set_policy(key=OPS, value=12, community=world.a, reason="一", by=world.user("director"))
    assert row.history.count() == 1
    assert row.set_by == world.user("director")


def test_a_new_value_is_read_at_once_in_the_same_process(world):
    assert policy(world.a, OPS) == 24
    set_policy(key=OPS, value=12, community=world.a, reason="一", by=world.user("director"))
    assert policy(world.a, OPS) == 12


# --- proposals ---------------------------------------------------------------------------------
def _propose(world, *, value=12, community=None, key=OPS):
    return propose_policy(
        key=key,
        value=value,
        community=community or world.a,
        reason="住户反映",
        by=world.user("supervisor"),
    )


def test_a_supervisor_proposal_changes_nothing_until_approved(world):
    proposal = _propose(world)
    assert proposal.status == ProposalStatus.PROPOSED
    assert proposal.value == "12"
    assert policy(world.a, OPS) == 24
    assert list(proposal.events.values_list("from_status", "to_status")) == [("", "proposed")]


def test_a_proposal_is_validated_like_a_value(world):
    errors = _errors(lambda: _propose(world, value=0))
    assert errors == {"value": ["The value must be at least 1."]}
    assert not PolicyProposal.objects.exists()


def test_a_receptionist_cannot_propose(world):
    with pytest.raises(PermissionDenied):
        propose_policy(
            key=OPS, value=12, community=world.a, reason="x", by=world.user("receptionist")
        )


def test_the_director_approves_and_the_value_takes_effect(world):
    proposal = _propose(world)
    row = approve_proposal(proposal=proposal, by=world.user("director"), note="同意")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.APPROVED
    assert proposal.decided_by == world.user("director")
    assert proposal.decision_note == "同意"
    assert row.proposal == proposal
    assert row.set_by == world.user("director")
    assert policy(world.a, OPS) == 12
    assert PolicyProposalEvent.objects.filter(proposal=proposal).count() == 2


def test_the_proposer_cannot_approve_their_own_proposal(world):
    proposer = staff("director", world.a, username="acting-sup", company=world.company)
    from guanjia.accounts.tests.factories import grant

    grant(proposer, "supervisor", world.a)
    proposal = propose_policy(key=OPS, value=12, community=world.a, reason="x", by=proposer)
    with pytest.raises(PermissionDenied):
        approve_proposal(proposal=proposal, by=proposer)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PROPOSED
    assert not PolicyValue.objects.exists()


def test_a_supervisor_cannot_approve_a_colleagues_proposal(world):
    proposal = _propose(world)
    colleague = staff("supervisor", world.a, username="sup2", company=world.company)
    with pytest.raises(PermissionDenied):
        approve_proposal(proposal=proposal, by=colleague)


def test_a_financial_proposal_is_approved_by_finance_not_the_director(world):
    proposal = _propose(world, key=FIN, value="0.001")
    with pytest.raises(PermissionDenied):
        approve_proposal(proposal=proposal, by=world.user("director"))
    approve_proposal(proposal=proposal, by=world.user("finance"))
    assert policy(world.a, FIN) == Decimal("0.001")


def test_a_decided_proposal_cannot_be_decided_again(world):
    proposal = _propose(world)
    approve_proposal(proposal=proposal, by=world.user("director"))
    with pytest.raises(ValidationError) as caught:
        reject_proposal(proposal=proposal, by=world.user("director"), note="no")
    assert caught.value.code == "already_decided"
    assert caught.value.messages == ["This has already been decided."]
    assert PolicyValue.objects.count() == 1


def test_a_rejection_needs_a_note_and_changes_nothing(world):
    proposal = _propose(world)
    errors = _errors(
        lambda: reject_proposal(proposal=proposal, by=world.user("director"), note=" ")
    )
    assert errors == {"note": ["Say why the proposal is rejected."]}
    reject_proposal(proposal=proposal, by=world.user("director"), note="理由不足")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.REJECTED
    assert proposal.decision_note == "理由不足"
    assert not PolicyValue.objects.exists()
    assert policy(world.a, OPS) == 24


def test_a_proposal_approved_after_its_date_takes_effect_on_the_day_of_approval(world):
    with time_machine.travel(dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC), tick=False):
        proposal = _propose(world)
    with time_machine.travel(dt.datetime(2026, 3, 5, 9, tzinfo=dt.UTC), tick=False):
        row = approve_proposal(proposal=proposal, by=world.user("director"))
    assert row.effective_from == dt.date(2026, 3, 5)


def test_a_proposal_for_a_later_date_keeps_its_date(world):
    later = timezone.localdate() + dt.timedelta(days=10)
    proposal = propose_policy(
        key=OPS,
        value=12,
        community=world.a,
        effective_from=later,
        reason="x",
        by=world.user("supervisor"),
    )
    row = approve_proposal(proposal=proposal, by=world.user("director"))
    assert row.effective_from == later
    assert policy(world.a, OPS) == 24


def test_a_proposal_to_override_a_company_wide_key_is_refused(world):
    errors = _errors(lambda: _propose(world, key=HR, value=15))
    assert errors == {
        "community": ["This policy is set for the whole company; a community cannot override it."]
    }


def test_a_proposal_notifies_those_who_may_approve_it(world):
    from guanjia.core.notifications.models import Notification

    director_b = staff("director", world.b, username="director-b", company=world.company)
    director_a = world.user("director")
    world.user("finance")
    _propose(world)
    notified = set(Notification.objects.values_list("recipient__username", flat=True))
    assert notified == {director_a.username}
    assert director_b.username not in notified
    notice = Notification.objects.get()
    assert notice.event == "policy.proposal_submitted"
    assert "complaint.first_reply_hours" in notice.link


def test_a_financial_proposal_notifies_finance_not_the_director(world):
    from guanjia.core.notifications.models import Notification

    world.user("director")
    finance = world.user("finance")
    _propose(world, key=FIN, value="0.001")
    assert list(Notification.objects.values_list("recipient", flat=True)) == [finance.pk]

"""The workflow mechanism on a real workflow of core (policy proposals): moves, refusals,
events and the approval rules. Variants of the table are swapped in with monkeypatch."""

import dataclasses
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanjia.core import workflows
from guanjia.core.api import exception_handler
from guanjia.core.policies.models import (
    PolicyProposal,
    PolicyProposalEvent,
    PolicyValue,
    ProposalStatus,
)
from guanjia.core.policies.registry import Kind, PolicySpec, register, unregister
from guanjia.core.policies.services import propose_policy
from guanjia.core.workflows import registry
from guanjia.core.workflows.services import _check_limit

P = ProposalStatus


def _propose(world) -> PolicyProposal:
    return propose_policy(
        key="complaint.first_reply_hours",
        value=12,
        community=world.a,
        reason="住户反映",
        by=world.user("supervisor"),
    )


def _swap(monkeypatch, **changes) -> workflows.Transitions:
    flow = dataclasses.replace(workflows.workflow_for(PolicyProposal), **changes)
    monkeypatch.setitem(registry._REGISTRY, (PolicyProposal, flow.field), flow)
    return flow


def _decided(by, note: str = "x") -> dict:
    return {"decided_by": by, "decided_at": timezone.now(), "decision_note": note}


def _events(proposal: PolicyProposal) -> list[tuple[str, str, str]]:
    return list(proposal.events.values_list("action", "from_status", "to_status"))


def test_creating_records_the_first_event_from_no_state(world):
    proposal = _propose(world)
    event = proposal.events.get()
    assert (event.action, event.from_status, event.to_status) == ("requested", "", P.PROPOSED)
    assert event.actor == world.user("supervisor")
    assert event.note == "住户反映"


def test_a_transition_saves_the_state_and_fields_and_appends_an_event(world, monkeypatch):
    _swap(monkeypatch, actor=workflows.anyone, approval=None)
    proposal = _propose(world)
    director = world.user("director")
    event = workflows.transition(
        proposal, P.REJECTED, by=director, note="不需要", **_decided(director, "不需要")
    )
    assert proposal.status == P.REJECTED
    stored = PolicyProposal.objects.get(pk=proposal.pk)
    assert (stored.status, stored.decision_note) == (P.REJECTED, "不需要")
    assert isinstance(event, PolicyProposalEvent)
    assert (event.from_status, event.to_status, event.note) == (P.PROPOSED, P.REJECTED, "不需要")
    assert event.actor == world.user("director")
    assert event.from_label == str(P.PROPOSED.label)


def test_a_move_the_table_does_not_list_is_refused_and_changes_nothing(world, monkeypatch):
    _swap(monkeypatch, actor=workflows.anyone)
    proposal = _propose(world)
    workflows.transition(
        proposal, P.REJECTED, by=world.user("director"), **_decided(world.user("director"))
    )
    with pytest.raises(workflows.WorkflowError) as caught:
        workflows.transition(proposal, P.APPROVED, by=world.user("director"))
    assert caught.value.code == "move_not_allowed"
    assert "cannot move to" in caught.value.messages[0]
    assert PolicyProposal.objects.get(pk=proposal.pk).status == P.REJECTED
    assert len(_events(proposal)) == 2


def test_an_actor_the_rule_refuses_gets_not_permitted_as_a_permission_error(world):
    proposal = _propose(world)
    with pytest.raises(PermissionDenied) as caught:
        workflows.transition(proposal, P.APPROVED, by=world.user("receptionist"))
    assert caught.value.code == "not_permitted"
    assert PolicyProposal.objects.get(pk=proposal.pk).status == P.PROPOSED
    assert len(_events(proposal)) == 1


def test_a_guard_that_fails_refuses_the_move_with_its_message(world, monkeypatch):
    _swap(monkeypatch, guards={P.APPROVED: lambda proposal: "还没到时候"})
    proposal = _propose(world)
    with pytest.raises(workflows.WorkflowError) as caught:
        workflows.transition(proposal, P.APPROVED, by=world.user("director"))
    assert (caught.value.code, caught.value.messages) == ("condition", ["还没到时候"])
    assert PolicyProposal.objects.get(pk=proposal.pk).status == P.PROPOSED


def test_a_move_from_a_state_the_user_did_not_see_is_stale(world, monkeypatch):
    _swap(monkeypatch, actor=workflows.anyone)
    proposal = _propose(world)
    workflows.transition(
        proposal, P.REJECTED, by=world.user("director"), **_decided(world.user("director"))
    )
    with pytest.raises(workflows.WorkflowError) as caught:
        workflows.transition(proposal, P.APPROVED, by=world.user("director"), expected=P.PROPOSED)
    assert caught.value.code == "stale"


def test_lock_outside_a_transaction_is_a_programming_error(world, monkeypatch):
    proposal = _propose(world)
    outside = SimpleNamespace(in_atomic_block=False)
    with monkeypatch.context() as patch:
        patch.setattr("django.db.transaction.get_connection", lambda using=None: outside)
        with pytest.raises(RuntimeError):
            workflows.lock(proposal)


def test_can_transition_says_whether_the_button_may_show(world):
    proposal = _propose(world)
    assert workflows.can_transition(proposal, P.APPROVED, by=world.user("director"))
    assert not workflows.can_transition(proposal, P.APPROVED, by=world.user("supervisor"))
    assert not workflows.can_transition(proposal, P.PROPOSED, by=world.user("director"))


# --- approvals ------------------------------------------------------------------------------
def test_a_decision_records_decider_time_reason_and_an_event(world):
    proposal = _propose(world)
    event = workflows.decide(proposal, True, by=world.user("director"), reason="同意")
    stored = PolicyProposal.objects.get(pk=proposal.pk)
    assert (stored.status, stored.decided_by, stored.decision_note) == (
        P.APPROVED,
        world.user("director"),
        "同意",
    )
    assert stored.decided_at is not None
    assert (event.action, event.data["decision"]) == ("approved", "approved")


def test_the_requester_never_decides(world, monkeypatch):
    _swap(
        monkeypatch,
        approval=dataclasses.replace(
            workflows.workflow_for(PolicyProposal).approval, may_decide=workflows.anyone
        ),
    )
    proposal = _propose(world)
    with pytest.raises(PermissionDenied) as caught:
        workflows.decide(proposal, True, by=world.user("supervisor"))
    assert caught.value.code == "own_request"
    assert PolicyProposal.objects.get(pk=proposal.pk).status == P.PROPOSED


def test_a_decider_without_authority_is_refused(world):
    proposal = _propose(world)
    with pytest.raises(PermissionDenied) as caught:
        workflows.decide(proposal, True, by=world.user("cashier"))
    assert caught.value.code == "not_permitted"


def test_a_second_decision_is_already_decided(world):
    proposal = _propose(world)
    workflows.decide(proposal, False, by=world.user("director"), reason="不行")
    with pytest.raises(ValidationError) as caught:
        workflows.decide(proposal, True, by=world.user("director"))
    assert caught.value.code == "already_decided"
    assert PolicyValue.objects.count() == 0


def test_a_rejection_without_a_reason_is_refused(world):
    proposal = _propose(world)
    with pytest.raises(ValidationError) as caught:
        workflows.decide(proposal, False, by=world.user("director"), reason="  ")
    assert caught.value.code == "reason_required"
    assert PolicyProposal.objects.get(pk=proposal.pk).status == P.PROPOSED


def test_an_approval_without_a_required_reference_is_refused(world, monkeypatch):
    approval = workflows.workflow_for(PolicyProposal).approval
    _swap(monkeypatch, approval=dataclasses.replace(approval, reference_required=True))
    proposal = _propose(world)
    with pytest.raises(ValidationError) as caught:
        workflows.decide(proposal, True, by=world.user("director"))
    assert caught.value.code == "reference_required"


def test_a_reason_longer_than_its_column_is_refused(world):
    proposal = _propose(world)
    with pytest.raises(ValidationError) as caught:
        workflows.decide(proposal, False, by=world.user("director"), reason="长" * 501)
    assert caught.value.code == "too_long"


def test_a_new_request_keeps_the_earlier_decision_in_the_history(world, monkeypatch):
    moves = {P.PROPOSED: frozenset({P.APPROVED, P.REJECTED}), P.APPROVED: frozenset()}
    _swap(monkeypatch, moves={**moves, P.REJECTED: frozenset({P.PROPOSED})})
    proposal = _propose(world)
    workflows.decide(proposal, False, by=world.user("director"), reason="先别改")
    workflows.request_approval(proposal, by=world.user("supervisor"), note="再提一次")
    stored = PolicyProposal.objects.get(pk=proposal.pk)
    assert (stored.status, stored.decided_by, stored.decision_note) == (P.PROPOSED, None, "")
    assert _events(proposal) == [
        ("requested", "", P.PROPOSED),
        ("rejected", P.PROPOSED, P.REJECTED),
        ("requested", P.REJECTED, P.PROPOSED),
    ]
    assert proposal.events.get(action="rejected").note == "先别改"


@pytest.fixture
def limit_key():
    register(PolicySpec("test.approve_limit", Kind.MONEY, Decimal("500.00"), _("Test"), "99"))
    yield "test.approve_limit"
    unregister("test.approve_limit")


def _limited(limit_key: str, may_exceed=None) -> workflows.Approvals:
    return workflows.Approvals(
        requested="requested",
        approved="approved",
        rejected="rejected",
        may_decide=workflows.anyone,
        limit_policy=limit_key,
        may_exceed_limit=may_exceed,
    )


def test_an_amount_above_the_policy_limit_needs_the_higher_authority(db, limit_key):
    item = SimpleNamespace(amount=Decimal("500.01"), community=None)
    with pytest.raises(PermissionDenied) as caught:
        _check_limit(_limited(limit_key), item, by=None)
    assert caught.value.code == "over_limit"
    assert "500.00" in str(caught.value)
    _check_limit(_limited(limit_key, may_exceed=workflows.anyone), item, by=None)


def test_an_amount_at_the_policy_limit_is_approved(db, limit_key):
    item = SimpleNamespace(amount=Decimal("500.00"), community=None)
    _check_limit(_limited(limit_key), item, by=None)


# --- declaring and rendering ----------------------------------------------------------------
def test_a_table_with_a_state_the_model_does_not_know_is_refused_at_start_up():
    flow = workflows.workflow_for(PolicyProposal)
    with pytest.raises(ImproperlyConfigured, match="unknown states"):
        workflows.register(
            PolicyProposal, dataclasses.replace(flow, moves={**flow.moves, "lost": frozenset()})
        )


def test_an_event_table_without_a_key_to_the_model_is_refused_at_start_up():
    flow = workflows.workflow_for(PolicyProposal)
    with pytest.raises(ImproperlyConfigured):
        workflows.register(PolicyProposal, dataclasses.replace(flow, event_object="actor"))


def test_a_model_without_a_workflow_has_none():
    class Plain(models.Model):
        class Meta:
            app_label = "core"
            abstract = True

    with pytest.raises(LookupError):
        workflows.workflow_for(Plain)


def test_the_api_answers_a_refused_move_400_with_its_code_and_a_denied_one_403():
    refused = exception_handler(workflows.WorkflowError("already_decided"), {})
    denied = exception_handler(workflows.WorkflowDenied("own_request"), {})
    assert refused is not None
    assert denied is not None
    assert (refused.status_code, refused.data["code"]) == (400, "already_decided")
    assert denied.status_code == 403

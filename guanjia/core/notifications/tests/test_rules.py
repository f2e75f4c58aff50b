"""Notification rules declared per workflow (core.notifications.rules), end to end through a
real service: a policy proposal decided through core.workflows tells its proposer, after
commit, once, in the proposer's language, on the channels the proposer accepts."""

import pytest
from django.db import transaction
from django.urls import reverse

from guanjia.core.notifications.models import (
    Channel,
    Notification,
    NotificationPreference,
    OutboundMessage,
    OutboundStatus,
)
from guanjia.core.notifications.rules import Happening, announce, notice
from guanjia.core.notifications.services import set_preference
from guanjia.core.policies.models import PolicyProposal
from guanjia.core.policies.services import approve_proposal, propose_policy, reject_proposal

pytestmark = pytest.mark.django_db

OPS_KEY = "complaint.first_reply_hours"  # an operations key: the director decides


@pytest.fixture
def proposal(world):
    proposer = world.user("supervisor")
    proposer.phone, proposer.email = "13800138000", "sup@example.com"
    proposer.save()
    return propose_policy(
        key=OPS_KEY, value=36, community=world.a, reason="夜班人手不足", by=proposer
    )


def _decided(world, proposal, capture, *, approve=True):
    with capture(execute=True):
        if approve:
            approve_proposal(proposal=proposal, by=world.user("director"), note="同意")
        else:
            reject_proposal(proposal=proposal, by=world.user("director"), note="人手够用")
    return Notification.objects.filter(event__startswith="policy.proposal_").exclude(
        event="policy.proposal_submitted"
    )


def test_the_proposer_is_told_of_the_approval_in_chinese_by_default(
    world, proposal, django_capture_on_commit_callbacks
):
    told = _decided(world, proposal, django_capture_on_commit_callbacks)
    note = told.get()
    assert note.recipient == world.user("supervisor")
    assert note.event == "policy.proposal_approved"
    assert note.subject.startswith("已批准")
    assert note.link == reverse("policies:proposals") + "?status=approved"
    assert note.community == world.a


def test_a_rejection_reaches_the_proposer_in_their_own_language_with_the_reason(
    world, proposal, django_capture_on_commit_callbacks
):
    proposer = world.user("supervisor")
    proposer.language = "en"
    proposer.save()
    note = _decided(world, proposal, django_capture_on_commit_callbacks, approve=False).get()
    assert note.subject.startswith("Rejected:")
    assert "人手够用" in note.body


def test_the_channels_follow_the_event_and_the_person_s_preference(
    world, proposal, django_capture_on_commit_callbacks
):
    set_preference(by=world.user("supervisor"), sms=True, wechat=True, email=False)
    note = _decided(world, proposal, django_capture_on_commit_callbacks).get()
    assert note.in_inbox
    # The event goes to the inbox and by e-mail; e-mail is turned off: the inbox alone.
    assert not OutboundMessage.objects.filter(notification=note).exists()


def test_without_a_preference_the_event_s_outside_channels_are_used(
    world, proposal, django_capture_on_commit_callbacks
):
    note = _decided(world, proposal, django_capture_on_commit_callbacks).get()
    sent = OutboundMessage.objects.get(notification=note)
    assert (sent.channel, sent.status) == (Channel.EMAIL, OutboundStatus.SENT)


def test_nothing_is_sent_when_the_decision_rolls_back(
    world, proposal, django_capture_on_commit_callbacks
):
    def approve_then_fail():
        with transaction.atomic():
            approve_proposal(proposal=proposal, by=world.user("director"), note="同意")
            raise RuntimeError("the caller failed after the decision")

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
    ):
        approve_then_fail()
    assert callbacks == []
    assert not Notification.objects.filter(event="policy.proposal_approved").exists()
    assert PolicyProposal.objects.get(pk=proposal.pk).status == "proposed"


def test_each_person_is_told_once_per_event_and_never_of_their_own_act(world, proposal):
    supervisor, director = world.user("supervisor"), world.user("director")
    extra = notice(
        PolicyProposal,
        on={"approved"},
        event="policy.proposal_approved",
        recipients=lambda p, h: [p.proposed_by, director],
        context=lambda p, h: {"policy": p.key, "value": p.value, "by": "", "note": ""},
    )
    try:
        proposal.status = "approved"  # the object as the rule sees it after the move
        written = announce(
            proposal, Happening(action="approved", to_status="approved", actor=director)
        )
    finally:
        from guanjia.core.notifications import rules

        rules._NOTICES[PolicyProposal].remove(extra)
    assert [n.recipient for n in written] == [supervisor]  # the first rule told them; once


def test_an_inactive_account_is_told_nothing(world, proposal, django_capture_on_commit_callbacks):
    proposer = world.user("supervisor")
    proposer.is_active = False
    proposer.save()
    assert not _decided(world, proposal, django_capture_on_commit_callbacks).exists()


def test_a_rule_for_an_unregistered_event_is_refused():
    with pytest.raises(ValueError, match="unknown notification event"):
        notice(PolicyProposal, on={"approved"}, event="no.such", recipients=list, context=dict)


def test_a_rule_without_triggers_is_refused():
    with pytest.raises(ValueError, match="at least one"):
        notice(
            PolicyProposal,
            on=set(),
            event="policy.proposal_approved",
            recipients=list,
            context=dict,
        )


def test_the_preference_page_saves_the_channels_and_keeps_the_inbox(world):
    client = world.client("receptionist")
    page = client.get(reverse("notifications:preferences"))
    assert page.status_code == 200
    response = client.post(reverse("notifications:preferences"), {"wechat": "on"})
    assert response.status_code == 302
    saved = NotificationPreference.objects.get(user=world.user("receptionist"))
    assert (saved.sms, saved.wechat, saved.email) == (False, True, False)
    assert saved.allows(Channel.INBOX)


def test_a_nonsense_preference_value_is_read_as_unchecked_and_nothing_breaks(world):
    client = world.client("receptionist")
    response = client.post(reverse("notifications:preferences"), {"sms": "maybe", "bogus": "1"})
    assert response.status_code == 302
    saved = NotificationPreference.objects.get(user=world.user("receptionist"))
    assert saved.sms is True  # a checkbox is on whenever it is sent, whatever its value

"""The data migration that fills a proposal event's new `at` and `action` columns."""

import importlib

from django.apps import apps

from guanjia.core.policies.models import PolicyProposalEvent
from guanjia.core.policies.services import approve_proposal, propose_policy

migration = importlib.import_module(
    "guanjia.core.policies.migrations.0002_proposal_events_are_workflow_events"
)


def test_old_events_get_their_time_and_action_from_what_they_recorded(world):
    proposal = propose_policy(
        key="complaint.first_reply_hours",
        value=12,
        community=world.a,
        reason="x",
        by=world.user("supervisor"),
    )
    approve_proposal(proposal=proposal, by=world.user("director"))
    PolicyProposalEvent.objects.update(action="")
    migration.fill_at_and_action(apps, None)
    events = list(proposal.events.order_by("pk"))
    assert [event.action for event in events] == ["requested", "approved"]
    assert all(event.at == event.created_at for event in events)

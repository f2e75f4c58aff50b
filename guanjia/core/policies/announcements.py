"""Who is told about a policy proposal's decision (declared next to its workflow).

The deciders of a new proposal are told by `services.propose_change` (its message needs the
value in force when it was proposed)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guanjia.core.notifications.models import Channel
from guanjia.core.notifications.registry import register_event
from guanjia.core.notifications.rules import Happening, notice

from .models import PolicyProposal
from .registry import get_spec, is_registered


def _context(proposal: PolicyProposal, happened: Happening) -> dict[str, Any]:
    label = get_spec(proposal.key).label if is_registered(proposal.key) else proposal.key
    return {
        "policy": label,
        "value": proposal.value,
        "by": happened.actor_name,
        "note": happened.note,
    }


def _link(proposal: PolicyProposal) -> str:
    return reverse("policies:proposals") + f"?status={proposal.status}"


def register() -> None:
    register_event(
        "policy.proposal_approved",
        label=_("Your policy change was approved"),
        subject=_("Approved: {{ policy }}"),
        body=_("{{ by }} approved your change of {{ policy }} to {{ value }}. {{ note }}"),
        default_channels=(Channel.INBOX, Channel.EMAIL),
    )
    register_event(
        "policy.proposal_rejected",
        label=_("Your policy change was rejected"),
        subject=_("Rejected: {{ policy }}"),
        body=_("{{ by }} rejected your change of {{ policy }} to {{ value }}: {{ note }}"),
        default_channels=(Channel.INBOX, Channel.EMAIL),
    )
    for decision in ("approved", "rejected"):
        notice(
            PolicyProposal,
            on={decision},
            event=f"policy.proposal_{decision}",
            recipients=lambda proposal, happened: [proposal.proposed_by],
            context=_context,
            link=_link,
        )

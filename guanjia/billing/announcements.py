"""Who is told about a billing run's reversal (declared next to its workflow, docs/workbench.md).

Fee standards and rates are approved outside `core.workflows` still
(`services/approvals.py` tells their approvers and proposer itself)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guanjia.core.access import staff_holding
from guanjia.core.notifications.models import Channel
from guanjia.core.notifications.registry import register_event
from guanjia.core.notifications.rules import Happening, notice

from .models import BillingRun


def _approvers(run: BillingRun, happened: Happening) -> Any:
    """Who may approve: the permission in the run's community, not the poster (the rule
    `billing_run_reversal`); the requester is left out as the actor."""
    holders = staff_holding(
        ["billing.approve_run_reversal"],
        company_id=run.community.company_id,
        community_id=run.community_id,
    )
    return holders.exclude(pk=run.posted_by_id).order_by("pk")


def _requester(run: BillingRun, happened: Happening) -> list[Any]:
    return [run.reversal_requested_by]


def _context(run: BillingRun, happened: Happening) -> dict[str, Any]:
    return {
        "run": f"{run.fee_item} {run.period:%Y-%m}",
        "community": run.community.name,
        "by": happened.actor_name,
        "note": happened.note,
    }


def _link(run: BillingRun) -> str:
    return reverse("billing:run-detail", args=[run.pk])


def register() -> None:
    register_event(
        "billing.run_reversal_requested",
        label=_("A billing run's reversal waits for approval"),
        subject=_("Reversal to approve: {{ run }}"),
        body=_("{{ by }} asks to reverse the billing run {{ run }} in {{ community }}: {{ note }}"),
        default_channels=(Channel.INBOX, Channel.SMS, Channel.WECHAT),
    )
    register_event(
        "billing.run_reversal_approved",
        label=_("A billing run's reversal was approved"),
        subject=_("Reversal approved: {{ run }}"),
        body=_("{{ by }} approved the reversal of {{ run }} in {{ community }}."),
    )
    register_event(
        "billing.run_reversal_rejected",
        label=_("A billing run's reversal was rejected"),
        subject=_("Reversal rejected: {{ run }}"),
        body=_("{{ by }} rejected the reversal of {{ run }} in {{ community }}: {{ note }}"),
    )
    notice(
        BillingRun,
        on={"requested"},
        event="billing.run_reversal_requested",
        recipients=_approvers,
        context=_context,
        link=_link,
    )
    for decision in ("approved", "rejected"):
        notice(
            BillingRun,
            on={decision},
            event=f"billing.run_reversal_{decision}",
            recipients=_requester,
            context=_context,
            link=_link,
        )

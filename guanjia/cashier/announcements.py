"""Who is told about a deposit's settlement (docs/workbench.md, "Declaring who is told"): the
deciders when it is asked for, the cashiers when it is approved, the requester when it is
rejected."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guanjia.core.access import staff_holding
from guanjia.core.notifications.models import Channel
from guanjia.core.notifications.registry import register_event
from guanjia.core.notifications.rules import Happening, notice

from .models import Deposit, PaymentReversal
from .models.reversals import may_approve_reversal


def _holders(perm: str) -> Any:
    def recipients(deposit: Deposit, happened: Happening) -> Any:
        return staff_holding(
            [perm], company_id=deposit.community.company_id, community_id=deposit.community_id
        ).order_by("pk")

    return recipients


def _deciders(deposit: Deposit, happened: Happening) -> Any:
    return _holders("cashier.approve_deposit_settlement")(deposit, happened).exclude(
        pk=deposit.requested_by_id
    )


def _requester(deposit: Deposit, happened: Happening) -> list[Any]:
    return [deposit.requested_by] if deposit.requested_by else []


def _context(deposit: Deposit, happened: Happening) -> dict[str, Any]:
    return {
        "deposit": f"{deposit.unit.room_code} {deposit.get_kind_display()}",
        "amount": str(deposit.amount),
        "deductions": str(deposit.deduction_total or "0.00"),
        "community": deposit.community.name,
        "by": happened.actor_name,
        "note": happened.note,
    }


def _link(deposit: Deposit) -> str:
    return reverse("cashier:deposit-detail", args=[deposit.pk])


def register() -> None:
    register_event(
        "cashier.deposit_settlement_requested",
        label=_("A deposit's settlement waits for a decision"),
        subject=_("Deposit to settle: {{ deposit }}"),
        body=_(
            "{{ by }} asks to settle the deposit {{ deposit }} ({{ amount }}, deductions "
            "{{ deductions }}) in {{ community }}: {{ note }}"
        ),
        default_channels=(Channel.INBOX, Channel.SMS, Channel.WECHAT),
    )
    register_event(
        "cashier.deposit_settlement_approved",
        label=_("A deposit's refund is approved: pay it out"),
        subject=_("Deposit refund to pay out: {{ deposit }}"),
        body=_("{{ by }} approved the settlement of {{ deposit }} in {{ community }}."),
    )
    register_event(
        "cashier.deposit_settlement_rejected",
        label=_("A deposit's settlement was rejected"),
        subject=_("Deposit settlement rejected: {{ deposit }}"),
        body=_("{{ by }} rejected the settlement of {{ deposit }} in {{ community }}: {{ note }}"),
    )
    notice(
        Deposit,
        on={"requested"},
        event="cashier.deposit_settlement_requested",
        recipients=_deciders,
        context=_context,
        link=_link,
    )
    notice(
        Deposit,
        on={"approved"},
        event="cashier.deposit_settlement_approved",
        recipients=_holders("cashier.add_deposit"),
        context=_context,
        link=_link,
    )
    notice(
        Deposit,
        on={"rejected"},
        event="cashier.deposit_settlement_rejected",
        recipients=_requester,
        context=_context,
        link=_link,
    )


def _reversal_deciders(reversal: PaymentReversal, happened: Happening) -> list[Any]:
    """Who may decide: the director and finance, the supervisor for a payment of today;
    never the cashier who took it."""
    holders = staff_holding(
        ["cashier.approve_payment_reversal", "cashier.approve_payment_reversal_same_day"],
        company_id=reversal.community.company_id,
        community_id=reversal.community_id,
    ).order_by("pk")
    return [user for user in holders if may_approve_reversal(user, reversal.payment)]


def _reversal_requester(reversal: PaymentReversal, happened: Happening) -> list[Any]:
    return [reversal.requested_by]


def _reversal_context(reversal: PaymentReversal, happened: Happening) -> dict[str, Any]:
    payment = reversal.payment
    return {
        "receipt": payment.receipt.number,
        "unit": payment.unit.room_code,
        "amount": str(payment.amount),
        "community": reversal.community.name,
        "by": happened.actor_name,
        "note": happened.note,
    }


def _reversal_link(reversal: PaymentReversal) -> str:
    return reverse("cashier:receipt-detail", args=[reversal.payment.receipt.pk])


def register_reversals() -> None:
    register_event(
        "cashier.reversal_requested",
        label=_("A payment's reversal (冲红) waits for a decision"),
        subject=_("Reversal to decide: receipt {{ receipt }}"),
        body=_(
            "{{ by }} asks to reverse receipt {{ receipt }} ({{ unit }}, {{ amount }}) in "
            "{{ community }}: {{ note }}"
        ),
        default_channels=(Channel.INBOX, Channel.SMS, Channel.WECHAT),
    )
    register_event(
        "cashier.reversal_decided",
        label=_("A payment's reversal was decided"),
        subject=_("Reversal of receipt {{ receipt }} decided"),
        body=_("{{ by }} decided the reversal of receipt {{ receipt }} in {{ community }}."),
    )
    notice(
        PaymentReversal,
        on={"requested"},
        event="cashier.reversal_requested",
        recipients=_reversal_deciders,
        context=_reversal_context,
        link=_reversal_link,
    )
    notice(
        PaymentReversal,
        on={"approved", "rejected"},
        event="cashier.reversal_decided",
        recipients=_reversal_requester,
        context=_reversal_context,
        link=_reversal_link,
    )

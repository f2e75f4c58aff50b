"""Who is told about a deposit's settlement (docs/workbench.md, "Declaring who is told"): the
deciders when it is asked for, the cashiers when it is approved, the requester when it is
rejected."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanjia.core.access import staff_holding
from guanjia.core.notifications.models import Channel
from guanjia.core.notifications.registry import register_event
from guanjia.core.notifications.rules import Happening, notice

from .models import ArrearsCase, Deposit, PaymentReversal
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


# --- Dunning -------------------------------------------------------------------------------------


def _zone_managers(case: ArrearsCase) -> list[Any]:
    """The unit's area manager (and the one acting for them today), who delivers notices."""
    from django.contrib.auth import get_user_model

    ids = case.unit.building.zone.managers_on(timezone.localdate())
    users = get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("pk")
    return list(users)


def _case_holders(*perms: str) -> Any:
    def recipients(case: ArrearsCase, happened: Happening) -> Any:
        return staff_holding(
            list(perms), company_id=case.community.company_id, community_id=case.community_id
        ).order_by("pk")

    return recipients


def _notice_delivery(case: ArrearsCase, happened: Happening) -> list[Any]:
    return _zone_managers(case)


def _final_notice(case: ArrearsCase, happened: Happening) -> list[Any]:
    """The directors (the visit is theirs next) and the zone's area manager (delivers it)."""
    from guanjia.core.access import has_perm_in

    holders = _case_holders("cashier.propose_legal_action")(case, happened)
    directors = [
        u for u in holders if has_perm_in(u, "cashier.change_arrearscase", case.community_id)
    ]
    return directors + [u for u in _zone_managers(case) if u not in directors]


def _case_context(case: ArrearsCase, happened: Happening) -> dict[str, Any]:
    return {
        "unit": case.unit.room_code,
        "stage": case.get_status_display(),
        "amount": str(case.opened_amount),
        "deadline": case.deadline.isoformat() if case.deadline else "—",
        "community": case.community.name,
        "by": happened.actor_name or str(_("the daily dunning job")),
        "note": happened.note,
    }


def _case_link(case: ArrearsCase) -> str:
    return reverse("cashier:case-detail", args=[case.pk])


def register_dunning() -> None:
    register_event(
        "cashier.case_notice_to_deliver",
        label=_("An arrears notice is to be delivered"),
        subject=_("Notice to deliver: {{ unit }} ({{ stage }})"),
        body=_(
            "The arrears case of {{ unit }} in {{ community }} is now at “{{ stage }}”: print "
            "and deliver its notice and have it signed for. Pay by {{ deadline }}. {{ note }}"
        ),
    )
    register_event(
        "cashier.case_final_notice",
        label=_("An arrears case reached the final notice"),
        subject=_("Final notice: {{ unit }}"),
        body=_(
            "{{ unit }} in {{ community }} has the final notice (pay by {{ deadline }}); "
            "unpaid, the director visits with the arrears statement (欠费明细表)."
        ),
        default_channels=(Channel.INBOX, Channel.WECHAT),
    )
    register_event(
        "cashier.case_disputed",
        label=_("An owner disputes a bill"),
        subject=_("Disputed arrears: {{ unit }}"),
        body=_(
            "{{ by }} recorded that {{ unit }} in {{ community }} disputes the bill: "
            "{{ note }}. The case is paused until the service is put right."
        ),
    )
    register_event(
        "cashier.case_legal",
        label=_("An arrears case moved to legal action"),
        subject=_("Legal action: {{ unit }}"),
        body=_("{{ by }} moved the arrears case of {{ unit }} in {{ community }} to legal action."),
        default_channels=(Channel.INBOX, Channel.WECHAT),
    )
    register_event(
        "cashier.case_instalment",
        label=_("An instalment plan was agreed"),
        subject=_("Instalment plan: {{ unit }}"),
        body=_("{{ by }} agreed an instalment plan for {{ unit }} in {{ community }}: {{ note }}"),
    )
    notice(
        ArrearsCase,
        on={"notice", "second_notice", "director_visit"},
        event="cashier.case_notice_to_deliver",
        recipients=_notice_delivery,
        context=_case_context,
        link=_case_link,
    )
    notice(
        ArrearsCase,
        on={"final_notice"},
        event="cashier.case_final_notice",
        recipients=_final_notice,
        context=_case_context,
        link=_case_link,
    )
    notice(
        ArrearsCase,
        on={"disputed"},
        event="cashier.case_disputed",
        recipients=_case_holders("cashier.approve_instalment_plan"),
        context=_case_context,
        link=_case_link,
    )
    notice(
        ArrearsCase,
        on={"legal"},
        event="cashier.case_legal",
        recipients=_case_holders("cashier.write_off_case"),
        context=_case_context,
        link=_case_link,
    )
    notice(
        ArrearsCase,
        on={"instalment"},
        event="cashier.case_instalment",
        recipients=_case_holders("cashier.add_arrearscase"),
        context=_case_context,
        link=_case_link,
    )

"""Who is told about a renovation (docs/workbench.md): the reviewers and engineering when an
application comes up for review, engineering when the owner asks for acceptance, the approvers
when a deposit refund is requested and the cashiers when it is approved and waits to be paid."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from guanjia.core.access import staff_holding
from guanjia.core.notifications.models import Channel
from guanjia.core.notifications.registry import register_event
from guanjia.core.notifications.rules import Happening, notice

from .models import DepositRefund, RenoStatus, Renovation

BOTH = (Channel.INBOX, Channel.SMS)


def _holding(*perms: str) -> Any:
    def recipients(obj: Any, happened: Happening) -> Any:
        community = obj.community
        return staff_holding(
            perms, company_id=community.company_id, community_id=community.pk
        ).order_by("pk")

    return recipients


def _renovation_context(renovation: Renovation, happened: Happening) -> dict[str, Any]:
    return {
        "number": renovation.number,
        "room": renovation.unit.room_code,
        "applicant": renovation.applicant_name,
        "by": happened.actor_name,
        "note": happened.note,
    }


def _refund_context(refund: DepositRefund, happened: Happening) -> dict[str, Any]:
    renovation = refund.renovation
    return {
        "number": renovation.number,
        "room": renovation.unit.room_code,
        "contractor": f"{refund.refund_contractor}",
        "owner": f"{refund.refund_owner}",
        "by": happened.actor_name,
    }


def _events() -> None:
    register_event(
        "renovation.to_review",
        label=_("A renovation application waits for review"),
        subject=_("Renovation {{ number }} ({{ room }}): to review"),
        body=_("{{ applicant }}'s application {{ number }} for {{ room }} waits for your opinion."),
        default_channels=BOTH,
    )
    register_event(
        "renovation.acceptance_requested",
        label=_("A renovation waits for acceptance"),
        subject=_("Renovation {{ number }} ({{ room }}): acceptance requested"),
        body=_("The works of {{ number }} ({{ room }}) are finished: arrange the acceptance."),
        default_channels=BOTH,
    )
    register_event(
        "renovation.refund_to_decide",
        label=_("A renovation deposit refund waits for approval"),
        subject=_("Deposit refund of {{ number }} ({{ room }}): to approve"),
        body=_(
            "{{ by }} asks to refund {{ contractor }} yuan to the contractor and {{ owner }} "
            "yuan to the owner for {{ number }} ({{ room }})."
        ),
        default_channels=BOTH,
    )
    register_event(
        "renovation.refund_to_pay",
        label=_("An approved renovation deposit refund waits to be paid"),
        subject=_("Deposit refund of {{ number }} ({{ room }}): to pay"),
        body=_(
            "{{ by }} approved the refund of {{ number }}: {{ contractor }} yuan to the "
            "contractor, {{ owner }} yuan to the owner."
        ),
        default_channels=(Channel.INBOX,),
    )


def register() -> None:
    _events()
    notice(
        Renovation,
        on={RenoStatus.UNDER_REVIEW.value},
        event="renovation.to_review",
        recipients=_holding("renovation.review_renovation", "renovation.engineering_review"),
        context=_renovation_context,
        link=lambda renovation: renovation.get_absolute_url(),
    )
    notice(
        Renovation,
        on={RenoStatus.COMPLETION_REQUESTED.value},
        event="renovation.acceptance_requested",
        recipients=_holding("renovation.engineering_review"),
        context=_renovation_context,
        link=lambda renovation: renovation.get_absolute_url(),
    )
    notice(
        DepositRefund,
        on={"requested"},
        event="renovation.refund_to_decide",
        recipients=_holding("renovation.decide_refund"),
        context=_refund_context,
        link=lambda refund: refund.renovation.get_absolute_url(),
    )
    notice(
        DepositRefund,
        on={"approved"},
        event="renovation.refund_to_pay",
        recipients=_holding("renovation.pay_refund"),
        context=_refund_context,
        link=lambda refund: refund.renovation.get_absolute_url(),
    )

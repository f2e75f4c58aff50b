"""Who is told about a handover or a notice (docs/workbench.md): the incoming person when a
handover is signed over to them, the supervisors when it is refused; those who may approve a
notice when it is sent, its author when it is decided."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from guanjia.core.access import staff_holding
from guanjia.core.notifications.models import Channel
from guanjia.core.notifications.registry import register_event
from guanjia.core.notifications.rules import Happening, notice

from .models import Handover, Notice

BOTH = (Channel.INBOX, Channel.SMS)


def _name(user: Any) -> str:
    return str(user.get_full_name() or user.username)


def _incoming(handover: Handover, happened: Happening) -> list[Any]:
    return [handover.incoming]


def _supervisors(handover: Handover, happened: Happening) -> Any:
    return staff_holding(
        ["desk.view_handover_reports"],
        company_id=handover.community.company_id,
        community_id=handover.community_id,
    ).order_by("pk")


def _handover_context(handover: Handover, happened: Happening) -> dict[str, Any]:
    return {
        "handover": str(handover),
        "incoming": _name(handover.incoming),
        "outgoing": _name(handover.outgoing),
        "post": handover.post.name,
        "reason": handover.refusal_reason,
    }


def _approvers(item: Notice, happened: Happening) -> Any:
    holders = staff_holding(
        ["desk.approve_notice"],
        company_id=item.community.company_id,
        community_id=item.community_id,
    )
    return holders.exclude(pk=item.drafted_by_id).order_by("pk")


def _author(item: Notice, happened: Happening) -> list[Any]:
    return [item.drafted_by]


def _notice_context(item: Notice, happened: Happening) -> dict[str, Any]:
    return {
        "title": item.title,
        "author": _name(item.drafted_by),
        "by": happened.actor_name,
        "decision": str(_("approved and posted"))
        if happened.action == "approved"
        else str(_("sent back")),
        "note": happened.note,
    }


def register() -> None:
    register_event(
        "desk.handover_offered",
        label=_("A handover was signed over to the incoming person"),
        subject=_("Handover of {{ post }} from {{ outgoing }}: please check and take over"),
        body=_("{{ outgoing }} signed over {{ handover }}: check the items and accept or refuse."),
        default_channels=BOTH,
    )
    register_event(
        "desk.notice_to_approve",
        label=_("A notice waits for approval"),
        subject=_("Notice to approve: {{ title }}"),
        body=_("{{ author }} sent the notice “{{ title }}” for approval."),
        default_channels=(Channel.INBOX,),
    )
    register_event(
        "desk.notice_decided",
        label=_("A notice was approved or sent back"),
        subject=_("Your notice “{{ title }}”: {{ decision }}"),
        body=_("{{ by }}: {{ decision }}. {{ note }}"),
        default_channels=(Channel.INBOX,),
    )
    notice(
        Handover,
        on={"offered"},
        event="desk.handover_offered",
        recipients=_incoming,
        context=_handover_context,
        link=lambda handover: handover.get_absolute_url(),
    )
    notice(
        Handover,
        on={"refused"},
        event="desk.handover_refused",
        recipients=_supervisors,
        context=_handover_context,
        link=lambda handover: handover.get_absolute_url(),
    )
    notice(
        Notice,
        on={"pending"},
        event="desk.notice_to_approve",
        recipients=_approvers,
        context=_notice_context,
        link=lambda item: item.get_absolute_url(),
    )
    notice(
        Notice,
        on={"approved", "rejected"},
        event="desk.notice_decided",
        recipients=_author,
        context=_notice_context,
        link=lambda item: item.get_absolute_url(),
    )

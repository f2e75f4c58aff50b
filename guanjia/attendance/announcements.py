"""Who is told about leave, a shift swap or a missing punch (docs/workbench.md): those who may
decide it when it is asked, the substitute when a swap names them, the employee (and the
substitute) when it is decided."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from guanjia.core.access import staff_holding
from guanjia.core.notifications.models import Channel
from guanjia.core.notifications.registry import register_event
from guanjia.core.notifications.rules import Happening, notice

from .models import Leave, MissingPunch, ShiftSwap
from .models.leave import approval_perm

BOTH = (Channel.INBOX, Channel.SMS, Channel.WECHAT)


def _holding(obj: Any, perm: str) -> Any:
    """Active staff who may decide it in its community, never the employee themself."""
    holders = staff_holding(
        [perm], company_id=obj.community.company_id, community_id=obj.community_id
    )
    return holders.exclude(pk=obj.employee_id).order_by("pk")


def _leave_deciders(leave: Leave, happened: Happening) -> Any:
    return _holding(leave, approval_perm(leave))


def _swap_deciders(swap: ShiftSwap, happened: Happening) -> Any:
    return _holding(swap, "attendance.approve_shiftswap").exclude(pk=swap.substitute_id)


def _missing_deciders(missing: MissingPunch, happened: Happening) -> Any:
    return _holding(missing, "attendance.approve_missingpunch")


def _employee(obj: Any, happened: Happening) -> list[Any]:
    return [obj.employee]


def _substitute(swap: ShiftSwap, happened: Happening) -> list[Any]:
    return [swap.substitute]


def _both(swap: ShiftSwap, happened: Happening) -> list[Any]:
    return [swap.employee, swap.substitute]


def _decision(happened: Happening) -> str:
    return str(_("approved")) if happened.to_status == "approved" else str(_("rejected"))


def _leave_context(leave: Leave, happened: Happening) -> dict[str, Any]:
    return {
        "employee": str(leave.employee),
        "kind": leave.get_kind_display(),
        "first": f"{leave.starts_on:%Y-%m-%d}",
        "last": f"{leave.ends_on:%Y-%m-%d}",
        "days": leave.days,
        "by": happened.actor_name,
        "decision": _decision(happened),
        "note": happened.note,
    }


def _swap_context(swap: ShiftSwap, happened: Happening) -> dict[str, Any]:
    return {
        "employee": str(swap.employee),
        "substitute": str(swap.substitute),
        "kind": swap.get_kind_display(),
        "day": f"{swap.entry.day:%Y-%m-%d}",
        "by": happened.actor_name,
        "decision": _decision(happened),
        "note": happened.note,
    }


def _missing_context(missing: MissingPunch, happened: Happening) -> dict[str, Any]:
    return {
        "employee": str(missing.employee),
        "at": f"{missing.at:%Y-%m-%d %H:%M}",
        "by": happened.actor_name,
        "decision": _decision(happened),
        "note": happened.note,
    }


def _events() -> None:
    register_event(
        "attendance.leave_to_decide",
        label=_("Leave waits for approval"),
        subject=_("Leave of {{ employee }}: {{ first }} to {{ last }}"),
        body=_("{{ employee }} asks {{ days }} days of {{ kind }} from {{ first }}: {{ note }}"),
        default_channels=BOTH,
    )
    register_event(
        "attendance.leave_decided",
        label=_("Leave was decided"),
        subject=_("Your leave from {{ first }}: {{ decision }}"),
        body=_(
            "{{ by }} {{ decision }} your {{ kind }} from {{ first }} to {{ last }}. {{ note }}"
        ),
        default_channels=BOTH,
    )
    register_event(
        "attendance.swap_to_decide",
        label=_("A shift swap waits for approval"),
        subject=_("Shift swap on {{ day }}: {{ employee }} and {{ substitute }}"),
        body=_("{{ kind }} on {{ day }}: {{ employee }} asks {{ substitute }}. {{ note }}"),
        default_channels=BOTH,
    )
    register_event(
        "attendance.swap_names_you",
        label=_("A shift swap names you as the substitute"),
        subject=_("{{ employee }} named you for the shift of {{ day }}"),
        body=_(
            "{{ employee }} asked the supervisor that you take the shift of {{ day }} "
            "({{ kind }}). You will be told the decision."
        ),
        default_channels=BOTH,
    )
    register_event(
        "attendance.swap_decided",
        label=_("A shift swap was decided"),
        subject=_("Shift swap on {{ day }}: {{ decision }}"),
        body=_(
            "{{ by }} {{ decision }} the swap of {{ day }} between {{ employee }} and "
            "{{ substitute }}. {{ note }}"
        ),
        default_channels=BOTH,
    )
    register_event(
        "attendance.missing_to_decide",
        label=_("A missing punch waits for approval"),
        subject=_("Missing punch of {{ employee }} at {{ at }}"),
        body=_("{{ employee }} explains a missing punch at {{ at }}: {{ note }}"),
        default_channels=(Channel.INBOX,),
    )
    register_event(
        "attendance.missing_decided",
        label=_("A missing punch was decided"),
        subject=_("Your missing punch at {{ at }}: {{ decision }}"),
        body=_("{{ by }} {{ decision }} your missing punch at {{ at }}. {{ note }}"),
        default_channels=(Channel.INBOX,),
    )


def register() -> None:
    _events()
    notice(
        Leave,
        on={"requested"},
        event="attendance.leave_to_decide",
        recipients=_leave_deciders,
        context=_leave_context,
        link=lambda leave: leave.get_absolute_url(),
    )
    notice(
        Leave,
        on={"approved", "rejected"},
        event="attendance.leave_decided",
        recipients=_employee,
        context=_leave_context,
        link=lambda leave: leave.get_absolute_url(),
    )
    for on, event, recipients in (
        ({"requested"}, "attendance.swap_to_decide", _swap_deciders),
        ({"requested"}, "attendance.swap_names_you", _substitute),
        ({"approved", "rejected"}, "attendance.swap_decided", _both),
    ):
        notice(
            ShiftSwap,
            on=on,
            event=event,
            recipients=recipients,
            context=_swap_context,
            link=lambda swap: swap.get_absolute_url(),
        )
    notice(
        MissingPunch,
        on={"requested"},
        event="attendance.missing_to_decide",
        recipients=_missing_deciders,
        context=_missing_context,
        link=lambda missing: missing.get_absolute_url(),
    )
    notice(
        MissingPunch,
        on={"approved", "rejected"},
        event="attendance.missing_decided",
        recipients=_employee,
        context=_missing_context,
        link=lambda missing: missing.get_absolute_url(),
    )

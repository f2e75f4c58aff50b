"""Who is told what about non-resident violations (docs/workbench.md), declared in `ready()`.

A breach reported reaches the staff who verify (security, area managers, the supervisor);
a verified one the supervisors who decide (and the director for a large one); a decision
the staff who notify the parties; a notified one those who execute; an appeal the director;
an executed one the supervisor who closes it. Never the actor (the rules' mechanism)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guanjia.core.access import staff_holding
from guanjia.core.notifications.models import Channel
from guanjia.core.notifications.registry import register_event
from guanjia.core.notifications.rules import Happening, notice

from .models import Breach, BreachStatus

S = BreachStatus


def _holding(perm: str) -> Any:
    def recipients(breach: Breach, happened: Happening) -> Any:
        return staff_holding(
            [perm], company_id=breach.community.company_id, community_id=breach.community_id
        ).order_by("pk")

    return recipients


def _context(breach: Breach, happened: Happening) -> dict[str, Any]:
    return {
        "number": breach.number,
        "kind": breach.kind.name,
        "person": breach.person_name or breach.get_person_kind_display(),
        "place": breach.place,
        "by": happened.actor_name,
        "note": happened.note,
    }


def _link(breach: Breach) -> str:
    return reverse("sanctions:breach-detail", args=[breach.pk])


EVENTS = [
    (
        "sanction.reported",
        _("A non-resident violation was reported"),
        _("Violation {{ number }} by {{ person }}: {{ kind }}"),
        _("{{ by }} reported at {{ place }}: {{ note }}"),
        S.REPORTED,
        "sanctions.change_breach",
    ),
    (
        "sanction.verified",
        _("A non-resident violation awaits its sanction"),
        _("Decide the sanction of {{ number }}: {{ kind }}"),
        _("{{ by }} verified it: {{ note }}"),
        S.VERIFIED,
        "sanctions.decide_breach",
    ),
    (
        "sanction.decided",
        _("A sanction is to be notified to the contractor and the owner"),
        _("Notify the sanction of {{ number }}"),
        _("{{ by }} decided: {{ note }}"),
        S.DECIDED,
        "sanctions.change_breach",
    ),
    (
        "sanction.notified",
        _("A sanction is to be executed"),
        _("Execute the sanction of {{ number }}"),
        _("The parties were told ({{ note }})."),
        S.NOTIFIED,
        "sanctions.execute_breach",
    ),
    (
        "sanction.appealed",
        _("A sanction was appealed to the director"),
        _("Appeal of {{ number }} to decide"),
        _("{{ note }}"),
        S.APPEALED,
        "sanctions.decide_breach_appeal",
    ),
    (
        "sanction.executed",
        _("A sanction was executed"),
        _("Sanction of {{ number }} executed"),
        _("{{ by }}: {{ note }}"),
        S.EXECUTED,
        "sanctions.decide_breach",
    ),
]


def register() -> None:
    for code, label, subject, body, state, perm in EVENTS:
        register_event(
            code,
            label=label,
            subject=subject,
            body=body,
            default_channels=(Channel.INBOX,),
        )
        notice(
            Breach,
            on={state},
            event=code,
            recipients=_holding(perm),
            context=_context,
            link=_link,
        )

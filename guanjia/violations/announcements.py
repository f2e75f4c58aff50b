"""Who is told what about violations (docs/workbench.md), declared in `ready()`.

Staff: a violation found reaches the zone's area manager (and acting one) and the supervisor;
an appeal reaches the director; a violation not corrected at its re-check reaches the
supervisor, who escalates. Residents: a tenant's violation and its notices are told to the
unit's owners by SMS (`notifications.tell_owners`, events registered here)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanjia.core.access import staff_holding
from guanjia.core.notifications.models import Channel
from guanjia.core.notifications.registry import register_event
from guanjia.core.notifications.rules import Happening, notice

from .models import Violation

BOTH = (Channel.INBOX, Channel.SMS)


def _holding(violation: Violation, perm: str) -> Any:
    return staff_holding(
        [perm], company_id=violation.community.company_id, community_id=violation.community_id
    ).order_by("pk")


def zone_managers(violation: Violation, happened: Happening | None = None) -> list[Any]:
    """The zone's area manager and, while the cover lasts, the acting manager."""
    zone = violation.unit.building.zone
    people = [zone.area_manager]
    day = timezone.localdate()
    if zone.acting_from and zone.acting_to and zone.acting_from <= day <= zone.acting_to:
        people.append(zone.acting_manager)
    return [person for person in people if person is not None]


def _found(violation: Violation, happened: Happening) -> list[Any]:
    return [*zone_managers(violation), *_holding(violation, "violations.escalate_violation")]


def _context(violation: Violation, happened: Happening) -> dict[str, Any]:
    return {
        "number": violation.number,
        "unit": violation.unit.room_code,
        "kind": violation.kind.name,
        "summary": violation.description[:80],
        "by": happened.actor_name,
        "note": happened.note,
    }


def _link(violation: Violation) -> str:
    return reverse("violations:violation-detail", args=[violation.pk])


def _events() -> None:
    register_event(
        "violation.found",
        label=_("A resident violation was found"),
        subject=_("Violation {{ number }} at {{ unit }}: {{ kind }}"),
        body=_("{{ by }} found a violation: {{ summary }}"),
        default_channels=BOTH,
    )
    register_event(
        "violation.not_corrected",
        label=_("A violation was not corrected by its deadline"),
        subject=_("Violation {{ number }} at {{ unit }} not corrected"),
        body=_("{{ by }} re-checked: {{ note }}"),
        default_channels=BOTH,
    )
    register_event(
        "violation.appealed",
        label=_("A resident appealed a violation notice"),
        subject=_("Appeal of violation {{ number }} to decide"),
        body=_("{{ unit }}: {{ note }}"),
        default_channels=BOTH,
    )
    register_event(
        "violation.tenant_found",
        label=_("The owner is told of a tenant's violation"),
        subject=_("{{ community }}: a violation at your unit {{ unit }}"),
        body=_(
            "Dear owner: a violation was found at your unit {{ unit }} ({{ kind }}: "
            "{{ description }}), caused by your tenant. Under the covenant please help us "
            "have it corrected. Record {{ number }}."
        ),
        default_channels=(Channel.SMS,),
    )
    register_event(
        "violation.tenant_notice",
        label=_("The owner is told of a notice served on a tenant"),
        subject=_("{{ community }}: rectification notice for your unit {{ unit }}"),
        body=_(
            "Dear owner: rectification notice {{ notice }} was served on your tenant at unit "
            "{{ unit }} ({{ kind }}), to be corrected by {{ deadline }}. Please help us have "
            "it corrected."
        ),
        default_channels=(Channel.SMS,),
    )


def register() -> None:
    _events()
    notice(
        Violation,
        on={"found"},
        event="violation.found",
        recipients=_found,
        context=_context,
        link=_link,
    )
    notice(
        Violation,
        on={"not_corrected"},
        event="violation.not_corrected",
        recipients=lambda v, h: _holding(v, "violations.escalate_violation"),
        context=_context,
        link=_link,
    )
    notice(
        Violation,
        on={"appealed"},
        event="violation.appealed",
        recipients=lambda v, h: _holding(v, "violations.decide_violation_appeal"),
        context=_context,
        link=_link,
    )

"""Who is told about a spot check or a reward or penalty (docs/workbench.md): the employee
when it is theirs to sign, the approvers when a signed record waits, the employee when it takes
effect, HR when a deduction is above the cap, the reviewers when an appeal waits."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from guanjia.core.access import staff_holding
from guanjia.core.notifications.models import Channel
from guanjia.core.notifications.registry import register_event
from guanjia.core.notifications.rules import Happening, notice

from .models import ConductRecord, SpotCheck
from .models.records import AUTHORITY_PERMS, REVIEW_APPEALS

BOTH = (Channel.INBOX, Channel.SMS)


def _employee(obj: Any, happened: Happening) -> list[Any]:
    return [obj.employee]


def _approvers(record: ConductRecord, happened: Happening) -> Any:
    """Those whose authority reaches the level, never the employee nor the proposer."""
    perms = [p for a, p in AUTHORITY_PERMS.items() if a >= record.level.authority]
    holders = staff_holding(
        perms, company_id=record.community.company_id, community_id=record.community_id
    )
    return holders.exclude(pk__in=[record.employee_id, record.proposed_by_id or 0]).order_by("pk")


def _reviewers(record: ConductRecord, happened: Happening) -> Any:
    holders = staff_holding(
        [REVIEW_APPEALS], company_id=record.community.company_id, community_id=record.community_id
    )
    return holders.exclude(pk__in=[record.employee_id, record.decided_by_id or 0]).order_by("pk")


def _hr(record: ConductRecord, happened: Happening) -> Any:
    return (
        staff_holding(
            ["conduct.confirm_conductrecord"],
            company_id=record.community.company_id,
            community_id=None,
        )
        .exclude(pk=record.employee_id)
        .order_by("pk")
    )


def _record_context(record: ConductRecord, happened: Happening) -> dict[str, Any]:
    return {
        "number": record.number,
        "level": record.level.name,
        "employee": str(record.employee),
        "by": happened.actor_name,
        "note": happened.note,
        "until": f"{record.appeal_until:%Y-%m-%d}" if record.appeal_until else "",
        "amount": f"{record.amount}" if record.amount is not None else "",
    }


def _check_context(check: SpotCheck, happened: Happening) -> dict[str, Any]:
    return {"number": check.number, "by": happened.actor_name, "failures": check.failures}


def register() -> None:
    register_event(
        "conduct.check_to_sign",
        label=_("A spot check waits for the employee's signature"),
        subject=_("Spot check {{ number }}: please sign"),
        body=_("{{ by }} checked you: {{ failures }} items failed. Acknowledge or refuse it."),
        default_channels=BOTH,
    )
    register_event(
        "conduct.record_to_sign",
        label=_("A reward or penalty waits for the employee's signature"),
        subject=_("{{ number }} {{ level }}: please sign"),
        body=_("The facts of {{ number }} ({{ level }}) were confirmed by {{ by }}: sign it."),
        default_channels=BOTH,
    )
    register_event(
        "conduct.record_to_approve",
        label=_("A reward or penalty waits for approval"),
        subject=_("{{ number }} {{ level }} of {{ employee }}: to approve"),
        body=_("{{ number }} ({{ level }}, {{ employee }}) waits for your decision."),
        default_channels=BOTH,
    )
    register_event(
        "conduct.record_effective",
        label=_("A reward or penalty took effect"),
        subject=_("{{ number }} {{ level }}: effective"),
        body=_(
            "{{ number }} ({{ level }}) took effect. A penalty may be appealed until {{ until }}."
        ),
        default_channels=BOTH,
    )
    register_event(
        "conduct.over_cap",
        label=_("A deduction above the cap took effect"),
        subject=_("{{ number }}: deduction above the cap"),
        body=_(
            "{{ number }} of {{ employee }} deducts {{ amount }} yuan, above the cap: check it."
        ),
    )
    register_event(
        "conduct.appeal_to_decide",
        label=_("An appeal against a penalty waits for a decision"),
        subject=_("{{ number }}: appeal of {{ employee }}"),
        body=_("{{ employee }} appealed {{ number }} ({{ level }}): {{ note }}"),
        default_channels=BOTH,
    )
    notice(
        SpotCheck,
        on={"submitted"},
        event="conduct.check_to_sign",
        recipients=_employee,
        context=_check_context,
        link=lambda check: check.get_absolute_url(),
    )
    rules = [
        ("confirmed", "conduct.record_to_sign", _employee, None),
        ("requested", "conduct.record_to_approve", _approvers, None),
        ("effective", "conduct.record_effective", _employee, None),
        ("effective", "conduct.over_cap", _hr, lambda r, h: r.over_cap),
        ("appealed", "conduct.appeal_to_decide", _reviewers, None),
    ]
    for on, event, recipients, when in rules:
        notice(
            ConductRecord,
            on={on},
            event=event,
            recipients=recipients,
            context=_record_context,
            link=lambda record: record.get_absolute_url(),
            when=when,
        )

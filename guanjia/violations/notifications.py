"""The violations app's messages to residents: a tenant's violation is told to the unit's
owners too (spec §11 edge cases: the owner is liable under the covenant). Staff are told
through the rules of `announcements.py`."""

from __future__ import annotations

from typing import Any

from guanjia.core.notifications.services import Channel, notify_address
from guanjia.estates.models import Ownership, Person

from .models import Violation


def owner_mobiles(violation: Violation) -> list[str]:
    """The mobiles of the unit's current owners ("" for an owner without one: kept as
    skipped in the outbox, so the office sees who could not be told)."""
    person_ids = (
        Ownership.objects.filter(unit_id=violation.unit_id)
        .current()
        .values_list("person_id", flat=True)
    )
    return list(Person.objects.filter(pk__in=person_ids).values_list("mobile", flat=True))


def tell_owners(violation: Violation, event: str, **extra: Any) -> int:
    """Tell the unit's owners by SMS (written in the caller's transaction, sent after it
    commits); the number of messages written."""
    notice = extra.get("notice")
    context = {
        "number": violation.number,
        "unit": violation.unit.room_code,
        "kind": violation.kind.name,
        "description": violation.description[:80],
        "community": violation.community.name,
        "notice": getattr(notice, "number", ""),
        "deadline": notice.deadline.isoformat() if notice is not None else "",
    }
    mobiles = owner_mobiles(violation)
    for mobile in mobiles:
        notify_address(mobile, event, context, channel=Channel.SMS, community=violation.community)
    return len(mobiles)

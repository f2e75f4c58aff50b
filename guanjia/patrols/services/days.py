"""The end of a patrol's day (missed), and special patrols after a storm alert."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.core import workflows
from guanjia.core.access import User, require_perm
from guanjia.core.models import Community
from guanjia.estates.models import Zone

from ..models import OPEN_PATROL_STATUSES, Patrol, PatrolKind, PatrolStatus
from .plans import assignee

REVIEW = "patrols.review_patrol"


def mark_missed(*, today: dt.date | None = None) -> int:
    """The scheduled job: a patrol not submitted by the end of its day becomes missed, with
    the reason it was left in. Returns how many."""
    day = today or timezone.localdate()
    count = 0
    for patrol in Patrol.objects.filter(status__in=OPEN_PATROL_STATUSES, day__lt=day).iterator():
        with transaction.atomic():
            locked: Patrol = workflows.lock(patrol)
            if locked.status not in OPEN_PATROL_STATUSES:
                continue
            reason = (
                _("Started but not submitted by the end of its day.")
                if locked.status == PatrolStatus.IN_PROGRESS
                else _("Not walked by the end of its day.")
            )
            workflows.transition(
                locked,
                PatrolStatus.MISSED,
                by=None,
                action="missed",
                note=reason,
                missed_reason=reason,
            )
            count += 1
    return count


@transaction.atomic
def explain_missed(*, patrol: Patrol, reason: str, by: User) -> Patrol:
    """The supervisor writes the real reason a patrol was missed (leave, typhoon...)."""
    require_perm(by, REVIEW, patrol.community)
    locked: Patrol = workflows.lock(patrol)
    if locked.status != PatrolStatus.MISSED:
        raise ValidationError(_("Only a missed patrol has a reason."), code="state")
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason.")})
    if len(reason) > 300:
        raise ValidationError({"reason": _("The reason is too long.")})
    locked.missed_reason = reason.strip()
    locked.save(update_fields=["missed_reason", "updated_at"])
    workflows.record_event(locked, by=by, action="reason", note=reason.strip())
    return locked


@transaction.atomic
def storm_patrols(
    *, community: Community, reason: str, by: User, day: dt.date | None = None
) -> list[Patrol]:
    """After a storm or typhoon alert: a special patrol of every zone (roofs and drains,
    buildings, meters of vacant units), assigned like the routine ones."""
    require_perm(by, REVIEW, community)
    when = day or timezone.localdate()
    errors: dict[str, str] = {}
    if not reason.strip():
        errors["reason"] = _("Say which alert the patrols follow.")
    elif len(reason) > 300:
        errors["reason"] = _("The reason is too long.")
    if when < timezone.localdate():
        errors["day"] = _("A special patrol is for today or a day to come.")
    if errors:
        raise ValidationError(errors)
    made = []
    for zone in Zone.objects.filter(community=community):
        patrol = Patrol.objects.create(
            community=community,
            zone=zone,
            kind=PatrolKind.SPECIAL,
            day=when,
            patroller_id=assignee(zone, when),
            reason=reason.strip(),
        )
        workflows.record_creation(patrol, by=by, action="storm", note=reason.strip())
        made.append(patrol)
    return made

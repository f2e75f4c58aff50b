"""The supervisor's weekly review and the spot checks of supervisor and director."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from guanjia.core import workflows
from guanjia.core.access import User, require_perm
from guanjia.core.models import Community

from ..models import Finding, FindingStatus, Patrol, PatrolStatus, SpotCheck, WeeklyReview

REVIEW = "patrols.review_patrol"


@transaction.atomic
def spot_check(*, patrol: Patrol, agrees: bool, note: str, by: User) -> SpotCheck:
    require_perm(by, REVIEW, patrol.community)
    if patrol.status != PatrolStatus.DONE:
        raise ValidationError(_("Only a submitted patrol is spot checked."), code="state")
    if patrol.patroller_id == by.pk:
        raise ValidationError(_("Nobody spot checks their own patrol."), code="own_patrol")
    if not agrees and not note.strip():
        raise ValidationError({"note": _("Say what did not match.")})
    if len(note) > 1000:
        raise ValidationError({"note": _("The note is too long.")})
    check = SpotCheck.objects.create(patrol=patrol, by=by, agrees=agrees, note=note.strip())
    workflows.record_event(
        patrol, by=by, action="spot_check", note=note.strip()[:500], data={"agrees": agrees}
    )
    return check


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


@transaction.atomic
def weekly_review(*, community: Community, week: dt.date, note: str, by: User) -> WeeklyReview:
    """The week's figures are frozen with the supervisor's words."""
    require_perm(by, REVIEW, community)
    start = week_start(week)
    if not note.strip():
        raise ValidationError({"note": _("Write the review.")})
    if len(note) > 2000:
        raise ValidationError({"note": _("The review is too long.")})
    if WeeklyReview.objects.filter(community=community, week=start).exists():
        raise ValidationError({"week": _("This week is already reviewed.")})
    patrols = Patrol.objects.filter(
        community=community, day__gte=start, day__lt=start + dt.timedelta(days=7)
    )
    return WeeklyReview.objects.create(
        community=community,
        week=start,
        by=by,
        planned=patrols.count(),
        done=patrols.filter(status=PatrolStatus.DONE).count(),
        open_findings=Finding.objects.filter(community=community)
        .exclude(status=FindingStatus.CLOSED)
        .count(),
        note=note.strip(),
    )

"""Writes on monthly scores: start the month's computation (a job), and the rater's
adjustment, never silent: a reason, an adjustment row, the score before and after."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from guanjia.core.access import User, require_perm
from guanjia.core.jobs.models import JobRun
from guanjia.core.jobs.services import enqueue
from guanjia.core.models import Community

from ..models import MonthlyScore, ScoreAdjustment
from .compute import grade_for

ADJUST = "appraisal.adjust_monthlyscore"
COMPUTE = "appraisal.compute_monthlyscore"
MAX_ADJUSTMENT = Decimal(100)


def start_month(*, community: Community, month: dt.date, by: User) -> JobRun:
    """Enqueue the month's computation for the community (one run a minute at most)."""
    require_perm(by, COMPUTE, community)
    if month.replace(day=1) > timezone.localdate().replace(day=1):
        raise ValidationError(
            {"month": _("A month still to come cannot be scored.")}, code="future"
        )
    month = month.replace(day=1)
    return enqueue(
        "guanjia.appraisal.services.compute.run_month",
        key=f"appraisal.month:{community.pk}:{month:%Y-%m}:{timezone.now():%Y%m%d%H%M}",
        label=gettext("Monthly scores of %(month)s") % {"month": f"{month:%Y-%m}"},
        kwargs={"community_id": community.pk, "month": month.isoformat()},
        by=by,
        community=community,
    )


def _points(raw: object) -> Decimal:
    try:
        points = Decimal(str(raw)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError({"points": _("Enter a number of points.")}, code="invalid") from exc
    if points == 0 or abs(points) > MAX_ADJUSTMENT:
        raise ValidationError(
            {"points": _("Give a change between −100 and 100 points, not 0.")}, code="range"
        )
    return points


@transaction.atomic
def adjust_score(*, score: MonthlyScore, points: object, reason: str, by: User) -> ScoreAdjustment:
    """The rater moves the score by `points` with a reason; the adjustment is kept."""
    require_perm(by, ADJUST, score.community_id)
    if by.pk == score.employee_id:
        raise PermissionDenied(_("Nobody adjusts their own score."))
    change = _points(points)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the score changes.")}, code="reason_required")
    locked = MonthlyScore.objects.select_for_update().get(pk=score.pk)
    after = locked.total + change
    if after < 0 or after > 100:
        raise ValidationError(
            {
                "points": _("The score would be %(after)s: it must stay between 0 and 100.")
                % {"after": after}
            },
            code="out_of_range",
        )
    adjustment = ScoreAdjustment.objects.create(
        score=locked,
        by=by,
        points=change,
        reason=reason[:500],
        total_before=locked.total,
        total_after=after,
    )
    locked.adjustment += change
    locked.total = after
    locked.grade = grade_for(locked.community, after)
    locked.save(update_fields=["adjustment", "total", "grade", "updated_at"])
    score.refresh_from_db()
    return adjustment

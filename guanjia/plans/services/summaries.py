"""The monthly summary (spec §02): prepared with the month's figures from the other apps,
edited, sent to the director (who is told), read or returned with comments; the daily check
signed off."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.core import workflows
from guanjia.core.access import User, require_perm
from guanjia.core.models import Community

from ..models import DailyCheck, MonthlySummary, SummaryStatus
from ..selectors import daily_check, missing_count, month_figures
from ._common import copy_back, field_error, refusal, required

ADD = "plans.add_monthlysummary"
WRITE = "plans.change_monthlysummary"


@transaction.atomic
def prepare_summary(*, community: Community, month: dt.date | None, by: User) -> MonthlySummary:
    """A draft for a month already begun, with its figures computed now."""
    require_perm(by, ADD, community)
    if month is None:
        raise field_error("month", _("Choose the month."), "required")
    first = month.replace(day=1)
    if first > timezone.localdate():
        raise field_error("month", _("A month not yet begun cannot be summarised."), "future")
    duplicate = field_error("month", _("This month already has a summary."), "duplicate")
    if MonthlySummary.objects.filter(community=community, month=first).exists():
        raise duplicate
    try:
        with transaction.atomic():
            summary = MonthlySummary.objects.create(
                community=community,
                month=first,
                prepared_by=by,
                figures=month_figures(community, first),
            )
    except IntegrityError as exc:
        raise duplicate from exc
    workflows.record_creation(summary, by=by)
    return summary


def _draft(summary: MonthlySummary, by: User) -> MonthlySummary:
    locked = workflows.lock(summary)
    require_perm(by, WRITE, locked.community)
    if locked.status != SummaryStatus.DRAFT:
        raise refusal(
            _("Only a draft summary can be changed; this one is %(status)s.")
            % {"status": locked.get_status_display()},
            "not_draft",
        )
    return locked


@transaction.atomic
def edit_summary(
    *, summary: MonthlySummary, highlights: str, problems: str, next_steps: str, by: User
) -> MonthlySummary:
    locked = _draft(summary, by)
    locked.highlights = (highlights or "").strip()
    locked.problems = (problems or "").strip()
    locked.next_steps = (next_steps or "").strip()
    locked.save(update_fields=["highlights", "problems", "next_steps", "updated_at"])
    return copy_back(summary, locked)


@transaction.atomic
def refresh_figures(*, summary: MonthlySummary, by: User) -> MonthlySummary:
    """The figures computed again (late entries of the month) while it is a draft."""
    locked = _draft(summary, by)
    locked.figures = month_figures(locked.community, locked.month)
    locked.save(update_fields=["figures", "updated_at"])
    return copy_back(summary, locked)


@transaction.atomic
def send_summary(*, summary: MonthlySummary, by: User) -> MonthlySummary:
    """To the director: refused twice, or without the supervisor's words on the work done."""
    locked = workflows.lock(summary)
    if locked.status == SummaryStatus.SENT:
        raise refusal(_("This summary has already been sent to the director."), "sent")
    required(locked.highlights, "highlights", _("Write the work done before sending."))
    workflows.transition(locked, SummaryStatus.SENT, by=by, action="sent", sent_at=timezone.now())
    return copy_back(summary, locked)


@transaction.atomic
def acknowledge_summary(*, summary: MonthlySummary, note: str = "", by: User) -> MonthlySummary:
    text = (note or "").strip()
    workflows.transition(
        summary,
        SummaryStatus.ACKNOWLEDGED,
        by=by,
        action="acknowledged",
        note=text,
        director_note=text,
    )
    return summary


@transaction.atomic
def return_summary(*, summary: MonthlySummary, note: str, by: User) -> MonthlySummary:
    text = required(note, "note", _("Say what must change."))
    workflows.transition(
        summary, SummaryStatus.DRAFT, by=by, action="returned", note=text, director_note=text
    )
    return summary


@transaction.atomic
def sign_off_check(*, community: Community, note: str = "", by: User) -> DailyCheck:
    """Today's check done, with what was still missing then (once a day)."""
    require_perm(by, "plans.add_dailycheck", community)
    today = timezone.localdate()
    done = refusal(_("Today's check is already signed off."), "duplicate")
    if DailyCheck.objects.filter(community=community, day=today).exists():
        raise done
    missing = missing_count(daily_check(community))
    try:
        with transaction.atomic():
            return DailyCheck.objects.create(
                community=community,
                day=today,
                checked_by=by,
                missing=missing,
                note=(note or "").strip()[:500],
            )
    except IntegrityError as exc:
        raise done from exc

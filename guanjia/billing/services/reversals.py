"""Undoing a posted run (a whole reversal, approved by someone other than the poster, before
any payment touches it) and closing a month."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guanjia.accounts.models import User
from guanjia.accounts.services import ensure_different_people, register_separation_rule
from guanjia.core import workflows
from guanjia.core.models import Community

from ..models import BillingRun, EntryKind, MonthClose
from .calculation import month_end
from .ledger import check_period, lock_month, reverse_entries

register_separation_rule(
    "billing_run_reversal",
    gettext_lazy("The person who posted a billing run cannot approve its reversal."),
)


@transaction.atomic
def request_run_reversal(*, run: BillingRun, by: User, reason: str) -> BillingRun:
    """Ask for a whole run to be undone (core.workflows); the director approves."""
    if not reason.strip():
        raise ValidationError(_("Give a reason for the reversal."), code="reason_required")
    workflows.request_approval(
        run, by=by, note=reason.strip()[:200], reversal_reason=reason.strip()[:200]
    )
    return run


@transaction.atomic
def approve_run_reversal(*, run: BillingRun, by: User) -> BillingRun:
    """Reverse every entry of the run (neither who posted it nor who asked may approve)."""
    locked = workflows.lock(run)
    ensure_different_people(actor=by, other=locked.posted_by, rule="billing_run_reversal")
    workflows.decide(locked, True, by=by, reversed_by=by, reversed_at=timezone.now())
    entries = list(
        locked.entries.filter(reverses__isnull=True, reversed_by_entry__isnull=True)
        .exclude(kind=EntryKind.REVERSAL)
        .select_related("community")
    )
    reverse_entries(
        entries=entries, by=by, memo=_("Reversal of billing run %(pk)s") % {"pk": locked.pk}
    )
    result: BillingRun = locked
    return result


@transaction.atomic
def reject_run_reversal(*, run: BillingRun, by: User, reason: str) -> BillingRun:
    """The director refuses the reversal, saying why: the run stays posted."""
    workflows.decide(run, False, by=by, reason=reason)
    return run


@transaction.atomic
@transaction.atomic
def close_month(*, community: Community, period: dt.date, by: User) -> MonthClose:
    """Close a month of a community: nothing more posts into it. Waits for the postings
    already running into the month to commit; a second close at the same moment is told
    the month is closed."""
    if period.day == 1:
        lock_month(community, period, exclusive=True)
    check_period(community, period)
    if month_end(period) >= timezone.localdate():
        raise ValidationError(_("A month can be closed only after it ends."), code="month_open")
    return MonthClose.objects.create(community=community, period=period, closed_by=by)

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
from guanjia.core.models import Community

from ..models import BillingRun, Bucket, EntryKind, LedgerEntry, MonthClose, RunStatus
from .calculation import month_end
from .ledger import check_period, lock_month, reverse_entries

register_separation_rule(
    "billing_run_reversal",
    gettext_lazy("The person who posted a billing run cannot approve its reversal."),
)


def _touched_by_payments(run: BillingRun) -> bool:
    units = run.entries.values("unit_id")
    return (
        LedgerEntry.objects.filter(
            unit_id__in=units, fee_item_id=run.fee_item_id, period__gte=run.period
        )
        .exclude(bucket=Bucket.BILLED)
        .exists()
    )


@transaction.atomic
def request_run_reversal(*, run: BillingRun, by: User, reason: str) -> BillingRun:
    """Ask for a whole run to be undone; the director approves."""
    run = BillingRun.objects.select_for_update().get(pk=run.pk)
    if run.status != RunStatus.POSTED:
        raise ValidationError(_("Only a posted run can be reversed."), code="not_posted")
    if not reason.strip():
        raise ValidationError(_("Give a reason for the reversal."), code="reason_required")
    if _touched_by_payments(run):
        raise ValidationError(
            _("Payments, waivers or write-offs touch this run: it cannot be reversed."),
            code="run_paid",
        )
    run.status = RunStatus.REVERSAL_REQUESTED
    run.reversal_requested_by, run.reversal_reason = by, reason.strip()[:200]
    run.save(update_fields=["status", "reversal_requested_by", "reversal_reason", "updated_at"])
    return run


@transaction.atomic
def approve_run_reversal(*, run: BillingRun, by: User) -> BillingRun:
    """Reverse every entry of the run (the person who posted it cannot approve)."""
    run = BillingRun.objects.select_for_update().get(pk=run.pk)
    ensure_different_people(actor=by, other=run.posted_by, rule="billing_run_reversal")
    if run.status != RunStatus.REVERSAL_REQUESTED:
        raise ValidationError(_("No reversal was requested for this run."), code="not_requested")
    if _touched_by_payments(run):
        raise ValidationError(
            _("Payments, waivers or write-offs touch this run: it cannot be reversed."),
            code="run_paid",
        )
    entries = list(
        run.entries.filter(reverses__isnull=True, reversed_by_entry__isnull=True)
        .exclude(kind=EntryKind.REVERSAL)
        .select_related("community")
    )
    reverse_entries(
        entries=entries, by=by, memo=_("Reversal of billing run %(pk)s") % {"pk": run.pk}
    )
    run.status, run.reversed_by, run.reversed_at = RunStatus.REVERSED, by, timezone.now()
    run.save(update_fields=["status", "reversed_by", "reversed_at", "updated_at"])
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

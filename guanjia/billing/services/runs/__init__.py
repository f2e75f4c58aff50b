"""Billing runs: preview a community's bills for a month and fee item, post them once
(idempotent per community, period and fee item), extend them to units added later, and undo
a run only as a whole reversal approved by someone other than the poster.

A run is posted inside its one transaction: on PostgreSQL a simple standard's units in one
statement first (`simple.py`), then page by page (`plan.PAGE` units at a time) the units
that need Python: each page's lines are computed, checked and appended
(`post_entries_bulk`), so memory stays bounded and an error anywhere leaves nothing behind."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.accounts.models import User
from guanjia.core import workflows
from guanjia.core.db import advisory_lock
from guanjia.core.models import Community
from guanjia.estates.models import Unit

from ...models import (
    ApprovalStatus,
    BillingRun,
    EntryKind,
    FeeItem,
    FeeStandard,
    LedgerEntry,
    RunStatus,
)
from ..approvals import note_unapproved
from ..calculation import Line, covered_months
from ..ledger import Posting, check_period, month_start, post_entries_bulk
from .plan import Preview, standard_lines, standard_units
from .simple import post_simple_lines, remainder, simple_plan

__all__ = [
    "JOB_THRESHOLD_UNITS",
    "Preview",
    "RunResult",
    "check_run_period",
    "is_large_run",
    "post_entries_bulk",
    "post_run",
    "post_simple_lines",
    "preview_run",
    "run_job",
    "start_run",
]


@dataclass(frozen=True)
class RunResult:
    run: BillingRun
    added: int
    message: str


def check_run_period(community: Community, period: dt.date) -> None:
    check_period(community, period)
    if period > month_start(timezone.localdate()):
        raise ValidationError(_("A future month cannot be billed yet."), code="future_period")


def _standards(preview: Preview) -> list[FeeStandard]:
    """The approved active standards of the fee item; an error when there are none."""
    note_unapproved(preview)  # a standard awaiting approval: an error; a proposed rate: a warning
    standards = list(
        FeeStandard.objects.filter(
            community=preview.community,
            fee_item=preview.fee_item,
            is_active=True,
            approval_status=ApprovalStatus.APPROVED,
        ).select_related("community")
    )
    if not standards and not preview.errors:
        preview.errors.append(_("This fee item has no standard in this community."))
    return standards


def _pages(
    preview: Preview, standards: list[FeeStandard], billed: Any, only: Q | None = None
) -> Iterator[list[Line]]:
    """Every standard's lines, a page at a time (`only`: the units left to Python)."""
    next_line: dict[int, int] = defaultdict(lambda: 1)
    for standard in standards:
        yield from standard_lines(preview, standard, next_line, billed, only)


def preview_run(*, community: Community, period: dt.date, fee_item: FeeItem) -> Preview:
    """Every line the run would post, with the units already billed left out; when the month
    bills nothing at all, why (`nothing_to_bill`)."""
    check_run_period(community, period)
    preview = Preview(community, period, fee_item)
    standards = _standards(preview)
    if not standards:
        return preview
    billed = _billed_charges(community, period, fee_item)
    for lines in _pages(preview, standards, billed):
        preview.lines += lines
    if billed is not None:
        preview.already_billed = billed.values("unit_id").distinct().count()
    if not preview.lines and not preview.errors and not preview.already_billed:
        preview.nothing_to_bill = _why_nothing(preview, standards)
    return preview


def _why_nothing(preview: Preview, standards: list[FeeStandard]) -> list[str]:
    """Why no standard of the fee item bills anything this month, one reason a standard."""
    month = f"{preview.period:%Y-%m}"
    reasons = []
    for standard in standards:
        names = {"standard": standard.name, "month": month}
        if not covered_months(preview.period, standard.cycle, standard.billed_in):
            reasons.append(
                _("“%(standard)s” does not bill in %(month)s: it bills %(cycle)s.")
                % {**names, "cycle": standard.get_cycle_display()}
            )
            continue
        count = standard_units(standard).count()
        if not count:
            reasons.append(
                _(
                    "“%(standard)s” applies to no unit of this community (its unit kinds and "
                    "statuses match none)."
                )
                % names
            )
        else:
            reasons.append(
                _(
                    "“%(standard)s” applies to %(count)s units, but none has a fee for "
                    "%(month)s: their fees start later (delivery dates and the fee start rule), "
                    "or their meters have no reading for the month."
                )
                % {**names, "count": count}
            )
    return reasons


def _check_fingerprint(preview: Preview, fingerprint: str) -> None:
    if preview.fingerprint != fingerprint:
        raise ValidationError(
            _(
                "The bills changed since your preview (standards, rates, units or owners were "
                "changed, or someone posted): preview again and check before posting."
            ),
            code="preview_changed",
        )


def _serialise(community: Community, period: dt.date, fee_item: FeeItem) -> None:
    """Wait for any other posting of the same community, month and fee item to finish: two
    cashiers, or a cashier and a retried job, posting at once would otherwise both find no
    run and the second would fail on the run's unique constraint."""
    advisory_lock(f"billing.run:{community.pk}:{period:%Y-%m}:{fee_item.pk}")


def _open_run(community: Community, period: dt.date, fee_item: FeeItem) -> BillingRun | None:
    return (
        BillingRun.objects.select_for_update()
        .filter(community=community, period=period, fee_item=fee_item)
        .exclude(status=RunStatus.REVERSED)
        .first()
    )


def _billed_charges(community: Community, period: dt.date, fee_item: FeeItem) -> Any:
    """The charges of the month's live run of this fee item (a queryset), or None when
    there is no such run (the first run of a month reads the units without the anti-join)."""
    run = (
        BillingRun.objects.filter(community=community, period=period, fee_item=fee_item)
        .exclude(status=RunStatus.REVERSED)
        .values("pk")
    )
    if not run.exists():
        return None
    return LedgerEntry.objects.filter(billing_run__in=run, kind=EntryKind.CHARGE)


def _postings(fee_item: FeeItem, period: dt.date, lines: Sequence[Line]) -> list[Posting]:
    """A charge per line and a discount entry per discounted line. Lines that share their
    inputs share one explanation dict, so the ledger serialises it once."""
    explained: dict[tuple[int, str], dict[str, Any]] = {}
    memo = _("Vacant-unit discount")
    postings = []
    for line in lines:
        key = (id(line.inputs), line.formula)
        explanation = explained.get(key)
        if explanation is None:
            explanation = explained[key] = {"formula": line.formula, **line.inputs}
        postings.append(
            Posting(
                line.unit_id,
                fee_item.pk,
                period,
                EntryKind.CHARGE,
                line.amount,
                line.payer_id,
                line.line_no,
                explanation,
            )
        )
        if line.discount:
            postings.append(
                Posting(
                    line.unit_id,
                    fee_item.pk,
                    period,
                    EntryKind.DISCOUNT,
                    -line.discount,
                    line.payer_id,
                    line.line_no,
                    memo=memo,
                )
            )
    return postings


ProgressHook = Callable[[int, int], None]


def _new_run(community: Community, period: dt.date, fee_item: FeeItem, by: User) -> BillingRun:
    run = BillingRun.objects.create(
        community=community, period=period, fee_item=fee_item, posted_by=by
    )
    workflows.record_creation(run, by=by, action="posted")
    return run


@transaction.atomic
def post_run(
    *,
    community: Community,
    period: dt.date,
    fee_item: FeeItem,
    by: User,
    progress: ProgressHook | None = None,
    fingerprint: str | None = None,
) -> RunResult:
    """Post the month's bills of one fee item; a second call adds only units not yet billed
    (none: says so). One transaction: a run stopped half-way leaves nothing behind, and
    an error on any unit posts nothing (every error is reported). A month that bills
    nothing is refused with the reasons (no empty run). With `fingerprint` (of the preview
    the cashier confirmed), nothing is posted unless the bills are still those."""
    _serialise(community, period, fee_item)
    run = _open_run(community, period, fee_item)
    if run is not None and run.status != RunStatus.POSTED:
        raise ValidationError(_("This run is awaiting reversal."), code="run_reversing")
    check_run_period(community, period)
    if fingerprint is not None:
        current = preview_run(community=community, period=period, fee_item=fee_item)
        if run is not None and not current.lines and not current.errors:
            return RunResult(run, 0, _("Already billed: nothing was added."))  # a double submit
        _check_fingerprint(current, fingerprint)
    existed = run is not None
    preview = Preview(community, period, fee_item)
    standards = _standards(preview)
    # Units billed before this call (the lines posted below must not hide units from a
    # later standard of the same fee item).
    billed = None
    if run is not None:
        last = LedgerEntry.objects.aggregate(last=Max("pk"))["last"] or 0
        billed = _billed_charges(community, period, fee_item)
        billed = None if billed is None else billed.filter(pk__lte=last)
    expected = len(standards) * Unit.objects.filter(community=community).count()
    added, total, only = 0, Decimal("0.00"), None
    plan = None if preview.errors else simple_plan(standards, period)
    if plan is not None:  # PostgreSQL, simple standard: one INSERT ... SELECT, then the rest
        extend = run is not None
        if run is None:
            run = _new_run(community, period, fee_item, by)
        added, total = post_simple_lines(plan, run=run, by_id=by.pk, period=period, extend=extend)
        only = remainder(plan)
        if progress:
            progress(added, max(added, expected))
    for lines in _pages(preview, standards, billed, only):
        if preview.errors or not lines:
            continue  # keep going: the error message lists every unit that cannot be billed
        if run is None:
            run = _new_run(community, period, fee_item, by)
        post_entries_bulk(
            community=community,
            postings=_postings(fee_item, period, lines),
            by=by,
            billing_run=run,
        )
        added += len(lines)
        total += sum((line.amount - line.discount for line in lines), Decimal("0.00"))
        if progress:
            progress(added, max(added, expected))
    if preview.errors:
        raise ValidationError(preview.errors, code="run_errors")
    if not added and existed and run is not None:
        return RunResult(run, 0, _("Already billed: nothing was added."))
    if not added or run is None:
        why = _why_nothing(preview, standards) if standards else []
        raise ValidationError(
            [_("There is nothing to bill for this month and fee item."), *why],
            code="nothing_to_bill",
        )
    if progress:
        progress(added, added)
    run.line_count += added
    run.total += total
    run.save(update_fields=["line_count", "total", "updated_at"])
    return RunResult(run, added, _("%(count)s lines posted.") % {"count": added})


# Runs with more units than this post as a background job with a progress page.
JOB_THRESHOLD_UNITS = 2000


def run_job(
    job: Any,
    *,
    community_id: int,
    period: str,
    fee_item_id: int,
    user_id: int,
    fingerprint: str | None = None,
) -> dict[str, Any]:
    """The background task of a large run: `post_run` with progress (one transaction)."""
    from guanjia.core.jobs.services import report_progress

    result = post_run(
        community=Community.objects.get(pk=community_id),
        period=dt.date.fromisoformat(period),
        fee_item=FeeItem.objects.get(pk=fee_item_id),
        by=User.objects.get(pk=user_id),
        progress=lambda done, total: report_progress(job, done=done, total=total),
        fingerprint=fingerprint,
    )
    return {"run": result.run.pk, "added": result.added, "message": result.message}


def start_run(
    *,
    community: Community,
    period: dt.date,
    fee_item: FeeItem,
    by: User,
    fingerprint: str | None = None,
) -> Any:
    """Enqueue a run as a job (its JobRun shows progress); posting stays idempotent."""
    from guanjia.core.jobs.services import enqueue

    check_run_period(community, period)
    return enqueue(
        "guanjia.billing.services.runs.run_job",
        key=f"billing.run:{community.pk}:{period:%Y-%m}:{fee_item.pk}:{timezone.now():%Y%m%d%H%M%S%f}",
        label=_("Billing run %(month)s %(item)s") % {"month": f"{period:%Y-%m}", "item": fee_item},
        kwargs={
            "community_id": community.pk,
            "period": period.isoformat(),
            "fee_item_id": fee_item.pk,
            "user_id": by.pk,
            "fingerprint": fingerprint,
        },
        by=by,
        community=community,
    )


def is_large_run(community: Community) -> bool:
    return Unit.objects.filter(community=community).count() > JOB_THRESHOLD_UNITS

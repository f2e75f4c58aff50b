"""Billing runs: preview a community's bills for a month and fee item, post them once
(idempotent per community, period and fee item), extend them to units added later, and undo
a run only as a whole reversal approved by someone other than the poster."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from guanjia.accounts.models import User
from guanjia.core.models import Community
from guanjia.core.money import round_money
from guanjia.core.policies.selectors import policy
from guanjia.estates.models import Ownership, Unit, UnitEvent, UnitStatus

from ..models import (
    BillingRun,
    EntryKind,
    FeeItem,
    FeeStandard,
    LedgerEntry,
    Method,
    PayerRule,
    RunStatus,
)
from .calculation import (
    Line,
    LineError,
    RateSpan,
    UnitFacts,
    compute_lines,
    covered_months,
    fee_start,
    month_end,
    with_exceptions,
)
from .ledger import Posting, check_period, month_start, post_entries_bulk
from .metered import SHARED, metered_lines, shared_lines

DELIVERED = (UnitStatus.DELIVERED, UnitStatus.DEEMED_DELIVERED)


@dataclass
class Preview:
    """A run before posting: every line, totals, warnings (postable) and errors (not)."""

    community: Community
    period: dt.date
    fee_item: FeeItem
    lines: list[Line] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    already_billed: int = 0

    @property
    def total(self) -> Decimal:
        return sum((line.amount - line.discount for line in self.lines), Decimal("0.00"))

    @property
    def discount_total(self) -> Decimal:
        return sum((line.discount for line in self.lines), Decimal("0.00"))


@dataclass(frozen=True)
class RunResult:
    run: BillingRun
    added: int
    message: str


def check_run_period(community: Community, period: dt.date) -> None:
    check_period(community, period)
    if period > month_start(timezone.localdate()):
        raise ValidationError(_("A future month cannot be billed yet."), code="future_period")


def _delivery_dates(community_id: int) -> dict[int, dt.date]:
    """First delivery (or deemed delivery) of each unit of the community that has one."""
    dates: dict[int, dt.date] = {}
    events = UnitEvent.objects.filter(community_id=community_id, to_status__in=DELIVERED)
    for unit_id, at in events.order_by("at").values_list("unit_id", "at"):
        dates.setdefault(unit_id, timezone.localtime(at).date())
    return dates


def _owners(community_id: int, day: dt.date) -> dict[int, int]:
    """The main owner (largest share) of each unit of the community on `day`."""
    owners: dict[int, int] = {}
    rows = Ownership.objects.filter(unit__community_id=community_id, starts_on__lte=day).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=day)
    )
    for unit_id, person_id in rows.order_by("-share", "pk").values_list("unit_id", "person_id"):
        owners.setdefault(unit_id, person_id)
    return owners


def _unit_facts(standard: FeeStandard, period: dt.date, billed: Any = None) -> list[UnitFacts]:
    """What the lines need of each unit the standard applies to (`billed`: a queryset of
    charges whose units are left out)."""
    units = Unit.objects.filter(community_id=standard.community_id)
    if billed is not None:
        units = units.exclude(Exists(billed.filter(unit_id=OuterRef("pk"))))
    if standard.unit_kinds:
        units = units.filter(kind__in=standard.unit_kinds)
    if standard.unit_statuses:
        units = units.filter(status__in=standard.unit_statuses)
    rows = list(
        units.annotate(spaces=Count("parking_spaces"))
        .order_by("pk")
        .values_list("pk", "room_code", "status", "building_area", "inner_area", "spaces")
    )
    delivered = _delivery_dates(standard.community_id)
    owners = _owners(standard.community_id, period)
    rule = policy(standard.community, "movein.fee_start_rule", on=period)
    default_start = standard.community.delivered_on
    facts = []
    for pk, room, status, area, inner, spaces in rows:
        start = fee_start(delivered[pk], rule) if pk in delivered else default_start
        unsold = status == UnitStatus.UNSOLD
        payer = (
            standard.developer_id
            if unsold and standard.payer_rule == PayerRule.DEVELOPER_IF_UNSOLD
            else owners.get(pk)
        )
        facts.append(UnitFacts(pk, room, status, area, inner, spaces, start, payer))
    return facts


def _tiers(raw: list[list[str | None]]) -> tuple[tuple[Decimal | None, Decimal], ...]:
    return tuple(
        (None if limit is None else Decimal(str(limit)), Decimal(str(rate))) for limit, rate in raw
    )


def _spans(standard: FeeStandard) -> list[RateSpan]:
    return [
        RateSpan(v.pk, v.rate, v.effective_from, v.effective_to, _tiers(v.tiers or []))
        for v in standard.versions.order_by("effective_from")
    ]


def _meter_lines(
    preview: Preview,
    standard: FeeStandard,
    spans: list[RateSpan],
    next_line: dict[int, int],
    billed: Any,
) -> None:
    facts = _unit_facts(standard, preview.period)  # every unit: shares depend on all of them
    try:
        if standard.method == Method.METERED:
            lines = metered_lines(standard, facts, preview.period, spans, preview.warnings)
        else:
            lines = shared_lines(standard, facts, preview.period, spans)
    except ValueError as exc:
        preview.errors.append(f"{standard.name}: {exc}")
        return
    done = set(billed.values_list("unit_id", flat=True))
    lines = [line for line in lines if line.unit_id not in done]
    for line in lines:
        line.inputs["standard"] = standard.name
        line.line_no = next_line[line.unit_id]
        next_line[line.unit_id] += 1
    preview.lines += lines


def _exceptions(
    standard: FeeStandard, months: list[dt.date]
) -> dict[int, list[tuple[int, Decimal | None, dt.date, dt.date | None]]]:
    """The standard's unit exceptions that touch the months billed, by unit."""
    rows = standard.exceptions.filter(starts_on__lte=month_end(months[-1])).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=months[0])
    )
    found: dict[int, list[tuple[int, Decimal | None, dt.date, dt.date | None]]] = {}
    for pk, unit_id, rate, starts, ends in rows.values_list(
        "pk", "unit_id", "rate", "starts_on", "ends_on"
    ):
        found.setdefault(unit_id, []).append((pk, rate, starts, ends))
    return found


def _preview_standard(
    preview: Preview, standard: FeeStandard, next_line: dict[int, int], billed: Any
) -> None:
    months = covered_months(preview.period, standard.cycle, standard.billed_in)
    spans = _spans(standard)
    if not months:
        return
    if not spans:
        preview.errors.append(_("Standard “%(name)s” has no rate.") % {"name": standard.name})
        return
    if standard.method in (Method.METERED, *SHARED):
        _meter_lines(preview, standard, spans, next_line, billed)
        return
    vacant_rate = policy(preview.community, "billing.vacant_discount_rate", on=preview.period)
    exceptions = _exceptions(standard, months)
    language = get_language()
    for facts in _unit_facts(standard, month_start(months[0]), billed):
        try:
            lines = compute_lines(
                method=standard.method,
                rounding=standard.rounding,
                facts=facts,
                months=months,
                spans=with_exceptions(spans, exceptions[facts.unit_id])
                if facts.unit_id in exceptions
                else spans,
                first_line_no=next_line[facts.unit_id],
                language=language,
            )
        except LineError as exc:
            preview.errors.append(f"{facts.room_code}: {exc}")
            continue
        for line in lines:
            line.inputs["standard"] = standard.name
            if standard.vacant_discount and facts.status == UnitStatus.VACANT and vacant_rate:
                line.discount = round_money(line.amount * vacant_rate, standard.rounding)
                line.inputs["vacant_discount_rate"] = str(vacant_rate)
        next_line[facts.unit_id] += len(lines)
        preview.lines += lines
        if lines and facts.payer_id is None:
            preview.warnings.append(_("%(room)s has no payer.") % {"room": facts.room_code})


def preview_run(*, community: Community, period: dt.date, fee_item: FeeItem) -> Preview:
    """Every line the run would post, with the units already billed left out."""
    check_run_period(community, period)
    preview = Preview(community, period, fee_item)
    standards = FeeStandard.objects.filter(
        community=community, fee_item=fee_item, is_active=True
    ).select_related("community")
    if not standards:
        preview.errors.append(_("This fee item has no standard in this community."))
        return preview
    next_line: dict[int, int] = defaultdict(lambda: 1)
    billed = _billed_charges(community, period, fee_item)
    for standard in standards:
        _preview_standard(preview, standard, next_line, billed)
    preview.already_billed = billed.values("unit_id").distinct().count()
    return preview


def _open_run(community: Community, period: dt.date, fee_item: FeeItem) -> BillingRun | None:
    return (
        BillingRun.objects.select_for_update()
        .filter(community=community, period=period, fee_item=fee_item)
        .exclude(status=RunStatus.REVERSED)
        .first()
    )


def _billed_charges(community: Community, period: dt.date, fee_item: FeeItem) -> Any:
    """The charges of the month's live run of this fee item (a queryset)."""
    run = (
        BillingRun.objects.filter(community=community, period=period, fee_item=fee_item)
        .exclude(status=RunStatus.REVERSED)
        .values("pk")
    )
    return LedgerEntry.objects.filter(billing_run__in=run, kind=EntryKind.CHARGE)


def _postings(preview: Preview) -> list[Posting]:
    postings = []
    for line in preview.lines:
        common: dict[str, Any] = {
            "unit_id": line.unit_id,
            "fee_item_id": preview.fee_item.pk,
            "period": preview.period,
            "payer_id": line.payer_id,
            "line_no": line.line_no,
        }
        explanation = {"formula": line.formula, **line.inputs}
        postings.append(
            Posting(kind=EntryKind.CHARGE, amount=line.amount, explanation=explanation, **common)
        )
        if line.discount:
            postings.append(
                Posting(
                    kind=EntryKind.DISCOUNT,
                    amount=-line.discount,
                    memo=_("Vacant-unit discount"),
                    **common,
                )
            )
    return postings


ProgressHook = Callable[[int, int], None]


@transaction.atomic
def post_run(
    *,
    community: Community,
    period: dt.date,
    fee_item: FeeItem,
    by: User,
    progress: ProgressHook | None = None,
) -> RunResult:
    """Post the month's bills of one fee item; a second call adds only units not yet billed
    (none: says so). One transaction: a run stopped half-way leaves nothing behind."""
    run = _open_run(community, period, fee_item)
    if run is not None and run.status != RunStatus.POSTED:
        raise ValidationError(_("This run is awaiting reversal."), code="run_reversing")
    preview = preview_run(community=community, period=period, fee_item=fee_item)
    if preview.errors:
        raise ValidationError(preview.errors, code="run_errors")
    if run is None:
        run = BillingRun.objects.create(
            community=community, period=period, fee_item=fee_item, posted_by=by
        )
    if not preview.lines:
        return RunResult(run, 0, _("Already billed: nothing was added."))
    postings = _postings(preview)
    for start in range(0, len(postings), 5000):
        post_entries_bulk(
            community=community, postings=postings[start : start + 5000], by=by, billing_run=run
        )
        if progress:
            progress(min(start + 5000, len(postings)), len(postings))
    run.line_count += len(preview.lines)
    run.total += preview.total
    run.save(update_fields=["line_count", "total", "updated_at"])
    return RunResult(
        run, len(preview.lines), _("%(count)s lines posted.") % {"count": len(preview.lines)}
    )


# Runs with more units than this post as a background job with a progress page.
JOB_THRESHOLD_UNITS = 2000


def run_job(
    job: Any, *, community_id: int, period: str, fee_item_id: int, user_id: int
) -> dict[str, Any]:
    """The background task of a large run: `post_run` with progress (one transaction)."""
    from guanjia.core.jobs.services import report_progress

    result = post_run(
        community=Community.objects.get(pk=community_id),
        period=dt.date.fromisoformat(period),
        fee_item=FeeItem.objects.get(pk=fee_item_id),
        by=User.objects.get(pk=user_id),
        progress=lambda done, total: report_progress(job, done=done, total=total),
    )
    return {"run": result.run.pk, "added": result.added, "message": result.message}


def start_run(*, community: Community, period: dt.date, fee_item: FeeItem, by: User) -> Any:
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
        },
        by=by,
        community=community,
    )


def is_large_run(community: Community) -> bool:
    return Unit.objects.filter(community=community).count() > JOB_THRESHOLD_UNITS

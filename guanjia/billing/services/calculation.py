"""The arithmetic of a bill line: which months a period's bill covers, the days billed in
each, rate versions splitting a line, fee start dates, rounding. Pure functions, no queries.

Proration is by calendar days: a month's charge × days billed / days in that month, in exact
`Decimal`, rounded once per line by the standard's rounding rule.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from guanjia.core.money import round_money

from ..models import CYCLE_MONTHS, BilledIn, Method


class FeeStartRule:
    HALF_MONTH = "half_month"
    DAILY = "daily"
    NEXT_MONTH = "next_month"


def add_months(day: dt.date, months: int) -> dt.date:
    """The first of the month `months` after (or before) the month of `day`."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def month_end(first: dt.date) -> dt.date:
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


def days_in_month(first: dt.date) -> int:
    return calendar.monthrange(first.year, first.month)[1]


def fee_start(delivered_on: dt.date, rule: str) -> dt.date:
    """The first day fees are due after delivery (spec §09, policy movein.fee_start_rule)."""
    if rule == FeeStartRule.DAILY:
        return delivered_on
    if rule == FeeStartRule.HALF_MONTH and delivered_on.day <= 15:
        return delivered_on.replace(day=15)
    return add_months(delivered_on, 1)


def covered_months(period: dt.date, cycle: str, billed_in: str) -> list[dt.date]:
    """The months (their first days) a bill of `period` covers; empty when the cycle does
    not bill in that month (a quarterly standard bills in January, April, July, October)."""
    months = CYCLE_MONTHS[cycle]
    if (period.month - 1) % months:
        return []
    first = period if billed_in == BilledIn.ADVANCE else add_months(period, -months)
    return [add_months(first, i) for i in range(months)]


@dataclass(frozen=True)
class RateSpan:
    """A rate version as the calculation sees it."""

    version_id: int
    rate: Decimal
    starts: dt.date
    ends: dt.date | None
    tiers: tuple[tuple[Decimal | None, Decimal], ...] = ()


@dataclass(frozen=True)
class UnitFacts:
    """What a bill line needs to know about a unit."""

    unit_id: int
    room_code: str
    status: str
    building_area: Decimal | None
    inner_area: Decimal | None
    parking_spaces: int = 0
    fee_start: dt.date | None = None
    payer_id: int | None = None


@dataclass
class Line:
    """One bill line and how it was reached."""

    unit_id: int
    room_code: str
    line_no: int
    amount: Decimal
    formula: str
    inputs: dict[str, Any] = field(default_factory=dict)
    payer_id: int | None = None
    discount: Decimal = Decimal("0.00")


class LineError(Exception):
    """A unit cannot be billed by this standard (say why)."""


@functools.lru_cache(maxsize=64)
def quantity_label(method: str, language: str | None) -> str:
    """The quantity's name in the formula text (cached: a run asks once per unit)."""
    labels: dict[str, str] = {
        Method.BUILDING_AREA: _("building area"),
        Method.INNER_AREA: _("inner area"),
        Method.FIXED: _("unit"),
        Method.PER_PARKING_SPACE: _("parking spaces"),
    }
    return labels[method]


def base_quantity(
    method: str, facts: UnitFacts, language: str | None = None
) -> tuple[Decimal, str]:
    """The quantity the rate multiplies, and its name for the formula text (`language`: the
    active one, passed in by a caller that asks for many units)."""
    language = language or get_language()
    if method == Method.BUILDING_AREA:
        if not facts.building_area:
            raise LineError(_("The unit has no building area."))
        return facts.building_area, quantity_label(method, language)
    if method == Method.INNER_AREA:
        if not facts.inner_area:
            raise LineError(_("The unit has no inner area: an inner-area fee cannot be billed."))
        return facts.inner_area, quantity_label(method, language)
    if method == Method.FIXED:
        return Decimal(1), quantity_label(method, language)
    if method == Method.PER_PARKING_SPACE:
        return Decimal(facts.parking_spaces), quantity_label(method, language)
    raise LineError(
        _("Method “%(method)s” is billed from readings or by hand, not by a billing run.")
        % {"method": Method(method).label}
    )


def _segments(
    months: Sequence[dt.date], spans: Sequence[RateSpan], start: dt.date | None
) -> list[tuple[RateSpan, dt.date, int, int]]:
    """(rate span, month, days billed, days in month) for every piece of every month."""
    pieces = []
    for month in months:
        first, last = month, month_end(month)
        if start is not None:
            first = max(first, start)
        for span in spans:
            lo = max(first, span.starts)
            hi = min(last, span.ends) if span.ends else last
            if lo <= hi:
                pieces.append((span, month, (hi - lo).days + 1, days_in_month(month)))
    return pieces


def compute_lines(
    *,
    method: str,
    rounding: str,
    facts: UnitFacts,
    months: Sequence[dt.date],
    spans: Sequence[RateSpan],
    first_line_no: int = 1,
    language: str | None = None,
) -> list[Line]:
    """The unit's lines: one per rate version met in the months billed."""
    quantity, label = base_quantity(method, facts, language)
    by_version: dict[int, list[tuple[dt.date, int, int]]] = {}
    rates: dict[int, RateSpan] = {}
    for span, month, days, dim in _segments(months, spans, facts.fee_start):
        by_version.setdefault(span.version_id, []).append((month, days, dim))
        rates[span.version_id] = span
    lines = []
    for offset, (version_id, pieces) in enumerate(by_version.items()):
        rate = rates[version_id].rate
        exact = sum((quantity * rate * days / dim for _m, days, dim in pieces), Decimal(0))
        parts = " + ".join(f"{days}/{dim}" for _m, days, dim in pieces)
        lines.append(
            Line(
                unit_id=facts.unit_id,
                room_code=facts.room_code,
                line_no=first_line_no + offset,
                amount=round_money(exact, rounding),
                formula=f"{quantity} ({label}) × {rate} × ({parts})",
                inputs={
                    "quantity": str(quantity),
                    "rate": str(rate),
                    "rate_version": version_id,
                    "days": [[f"{m:%Y-%m}", d, n] for m, d, n in pieces],
                    "fee_start": facts.fee_start.isoformat() if facts.fee_start else None,
                    "rounding": rounding,
                },
                payer_id=facts.payer_id,
            )
        )
    return [line for line in lines if line.amount > 0]


def tiered_amount(quantity: Decimal, span: RateSpan) -> tuple[Decimal, str]:
    """Use × rate, or by tiers (阶梯): each tier's rate on the use within it; the use beyond
    the last limit at the last tier's rate."""
    if not span.tiers:
        return quantity * span.rate, f"{quantity} × {span.rate}"
    total, lower, parts = Decimal(0), Decimal(0), []
    for index, (limit, rate) in enumerate(span.tiers):
        last = index == len(span.tiers) - 1
        upper = quantity if limit is None or last else min(quantity, limit)
        if upper > lower:
            total += (upper - lower) * rate
            parts.append(f"{upper - lower} × {rate}")
        if limit is None or last or quantity <= limit:
            break
        lower = limit
    return total, " + ".join(parts) or "0"


def span_on(spans: Sequence[RateSpan], day: dt.date) -> RateSpan | None:
    return next((s for s in spans if s.starts <= day and (s.ends is None or day <= s.ends)), None)


def shares(weights: dict[int, Decimal], total: Decimal, rounding: str) -> dict[int, Decimal]:
    """Split `total` by weight (area, or 1 per household), each share rounded by the rule."""
    whole = sum(weights.values(), Decimal(0))
    if not whole:
        return {}
    return {key: round_money(total * weight / whole, rounding) for key, weight in weights.items()}


def _cut(span: RateSpan, start: dt.date, end: dt.date | None) -> list[RateSpan]:
    """The parts of `span` outside [start, end]."""
    parts = []
    if span.starts < start:
        before_end = start - dt.timedelta(days=1)
        parts.append(
            RateSpan(
                span.version_id,
                span.rate,
                span.starts,
                before_end if span.ends is None else min(span.ends, before_end),
                span.tiers,
            )
        )
    if end is not None and (span.ends is None or span.ends > end):
        after = end + dt.timedelta(days=1)
        parts.append(
            RateSpan(span.version_id, span.rate, max(span.starts, after), span.ends, span.tiers)
        )
    return [p for p in parts if p.ends is None or p.starts <= p.ends]


def with_exceptions(
    spans: Sequence[RateSpan],
    exceptions: Sequence[tuple[int, Decimal | None, dt.date, dt.date | None]],
) -> list[RateSpan]:
    """The standard's rates with a unit's exceptions (id, own rate or None = exempt, from,
    until) taking their dates over."""
    result = list(spans)
    for pk, rate, start, end in exceptions:
        result = [part for span in result for part in _cut(span, start, end)]
        if rate is not None:
            result.append(RateSpan(-pk, rate, start, end))
    return sorted(result, key=lambda s: s.starts)

"""What a billing run bills: the units a standard applies to, read in pages of PAGE units by
primary key, and their lines. A line depends on a few inputs only (the quantity the rate
multiplies, the fee start, the vacant discount, a unit exception), so each distinct set is
computed once per standard and its lines are copied to every unit that shares it: the
amount, formula and explanation (the same `inputs` dict) are those `compute_lines` gives."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from guanjia.core.models import Community
from guanjia.core.money import round_money
from guanjia.core.policies.selectors import policy
from guanjia.estates.models import Ownership, Unit, UnitEvent, UnitStatus

from ...models import ApprovalStatus, FeeItem, FeeStandard, Method, PayerRule
from ..calculation import (
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
from ..ledger import month_start
from ..metered import SHARED, metered_lines, shared_lines

DELIVERED = (UnitStatus.DELIVERED, UnitStatus.DEEMED_DELIVERED)
PAGE = 5000  # units read, computed and posted at a time: bounds a run's memory


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
    nothing_to_bill: list[str] = field(default_factory=list)  # why there are no lines

    @property
    def fingerprint(self) -> str:
        """What the cashier saw, in a form the post can compare: the lines (unit, line, amount,
        discount, payer), how many units were already billed and the errors, independent
        of the language the preview was read in."""
        digest = hashlib.sha256(
            f"{self.community.pk}|{self.period:%Y-%m}|{self.fee_item.pk}|{self.already_billed}|"
            f"{len(self.errors)}".encode()
        )
        for line in sorted(self.lines, key=lambda line: (line.unit_id, line.line_no)):
            digest.update(
                f"\n{line.unit_id}|{line.line_no}|{line.amount}|{line.discount}|"
                f"{line.payer_id}".encode()
            )
        return digest.hexdigest()

    @property
    def total(self) -> Decimal:
        return sum((line.amount - line.discount for line in self.lines), Decimal("0.00"))

    @property
    def discount_total(self) -> Decimal:
        return sum((line.discount for line in self.lines), Decimal("0.00"))


def delivery_dates(community_id: int) -> dict[int, dt.date]:
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


def standard_units(standard: FeeStandard) -> QuerySet[Unit]:
    """The units of the community the standard applies to (its unit kinds and statuses)."""
    units = Unit.objects.filter(community_id=standard.community_id)
    if standard.unit_kinds:
        units = units.filter(kind__in=standard.unit_kinds)
    if standard.unit_statuses:
        units = units.filter(status__in=standard.unit_statuses)
    return units


def unit_pages(
    standard: FeeStandard, period: dt.date, billed: Any = None, only: Q | None = None
) -> Iterator[list[UnitFacts]]:
    """What the lines need of each unit the standard applies to, PAGE units at a time in
    primary-key order (`billed`: a queryset of charges whose units are left out; `only`:
    the units left to this path by the one-statement path, simple.py)."""
    units = standard_units(standard)
    if only is not None:
        units = units.filter(only)
    if billed is not None:
        units = units.exclude(Exists(billed.filter(unit_id=OuterRef("pk"))))
    columns = ["pk", "room_code", "status", "building_area", "inner_area"]
    if standard.method == Method.PER_PARKING_SPACE:  # the only method that counts spaces
        units, columns = units.annotate(spaces=Count("parking_spaces")), [*columns, "spaces"]
    delivered = delivery_dates(standard.community_id)
    owners = _owners(standard.community_id, period)
    rule = policy(standard.community, "movein.fee_start_rule", on=period)
    default_start = standard.community.delivered_on
    developer = standard.developer_id if standard.payer_rule == PayerRule.DEVELOPER_IF_UNSOLD else 0
    last = 0
    while True:
        rows = list(units.filter(pk__gt=last).order_by("pk").values_list(*columns)[:PAGE])
        if not rows:
            return
        last = rows[-1][0]
        facts = []
        for pk, room, status, area, inner, *spaces in rows:
            start = fee_start(delivered[pk], rule) if pk in delivered else default_start
            payer = developer if developer != 0 and status == UnitStatus.UNSOLD else owners.get(pk)
            facts.append(
                UnitFacts(pk, room, status, area, inner, spaces[0] if spaces else 0, start, payer)
            )
        yield facts


def _tiers(raw: list[list[str | None]]) -> tuple[tuple[Decimal | None, Decimal], ...]:
    return tuple(
        (None if limit is None else Decimal(str(limit)), Decimal(str(rate))) for limit, rate in raw
    )


def rate_spans(standard: FeeStandard) -> list[RateSpan]:
    return [
        RateSpan(v.pk, v.rate, v.effective_from, v.effective_to, _tiers(v.tiers or []))
        for v in standard.versions.filter(approval_status=ApprovalStatus.APPROVED).order_by(
            "effective_from"
        )
    ]


def _meter_lines(
    preview: Preview,
    standard: FeeStandard,
    spans: list[RateSpan],
    next_line: dict[int, int],
    billed: Any,
) -> list[Line]:
    # every unit: shares depend on all of them
    facts = [f for page in unit_pages(standard, preview.period) for f in page]
    try:
        if standard.method == Method.METERED:
            lines = metered_lines(standard, facts, preview.period, spans, preview.warnings)
        else:
            lines = shared_lines(standard, facts, preview.period, spans)
    except ValueError as exc:
        preview.errors.append(f"{standard.name}: {exc}")
        return []
    done = set() if billed is None else set(billed.values_list("unit_id", flat=True))
    lines = [line for line in lines if line.unit_id not in done]
    for line in lines:
        line.inputs["standard"] = standard.name
        line.line_no = next_line[line.unit_id]
        next_line[line.unit_id] += 1
    return lines


Exception_ = tuple[int, Decimal | None, dt.date, dt.date | None]


def unit_exceptions(standard: FeeStandard, months: list[dt.date]) -> dict[int, list[Exception_]]:
    """The standard's unit exceptions that touch the months billed, by unit."""
    rows = standard.exceptions.filter(starts_on__lte=month_end(months[-1])).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=months[0])
    )
    found: dict[int, list[Exception_]] = {}
    for pk, unit_id, rate, starts, ends in rows.values_list(
        "pk", "unit_id", "rate", "starts_on", "ends_on"
    ):
        found.setdefault(unit_id, []).append((pk, rate, starts, ends))
    return found


def _quantity_key(method: str, facts: UnitFacts) -> Any:
    """The one fact of the unit the method's amount depends on (as text: 89.5 and 89.50
    are equal Decimals but read differently in the formula)."""
    if method == Method.BUILDING_AREA:
        return str(facts.building_area)
    if method == Method.INNER_AREA:
        return str(facts.inner_area)
    if method == Method.PER_PARKING_SPACE:
        return facts.parking_spaces
    return None


class _Patterns:
    """The lines of one standard per distinct set of inputs (offsets from the unit's first
    line number), or the LineError those inputs give."""

    def __init__(
        self, standard: FeeStandard, period: dt.date, months: list[dt.date], spans: list[RateSpan]
    ):
        self.standard, self.months, self.spans = standard, months, spans
        self.vacant_rate = policy(standard.community, "billing.vacant_discount_rate", on=period)
        self.exceptions = unit_exceptions(standard, months)
        self.language = get_language()
        self.cache: dict[tuple[Any, ...], list[Line] | LineError] = {}

    def vacant(self, facts: UnitFacts) -> bool:
        return bool(
            self.standard.vacant_discount and facts.status == UnitStatus.VACANT and self.vacant_rate
        )

    def lines(self, facts: UnitFacts) -> list[Line] | LineError:
        own = facts.unit_id in self.exceptions
        key = (
            _quantity_key(self.standard.method, facts),
            facts.fee_start,
            self.vacant(facts),
            facts.unit_id if own else 0,
        )
        found = self.cache.get(key)
        if found is None:
            found = self.cache[key] = self._compute(facts, own)
        return found

    def _compute(self, facts: UnitFacts, own: bool) -> list[Line] | LineError:
        standard = self.standard
        try:
            lines = compute_lines(
                method=standard.method,
                rounding=standard.rounding,
                facts=facts,
                months=self.months,
                spans=with_exceptions(self.spans, self.exceptions[facts.unit_id])
                if own
                else self.spans,
                first_line_no=0,
                language=self.language,
            )
        except LineError as exc:
            return exc
        for line in lines:
            line.inputs["standard"] = standard.name
            if self.vacant(facts):
                line.discount = round_money(line.amount * self.vacant_rate, standard.rounding)
                line.inputs["vacant_discount_rate"] = str(self.vacant_rate)
        return lines


def standard_lines(
    preview: Preview,
    standard: FeeStandard,
    next_line: dict[int, int],
    billed: Any,
    only: Q | None = None,
) -> Iterator[list[Line]]:
    """The standard's lines, one list per page of units; errors and warnings go to
    `preview`. Lines of units sharing inputs share their `inputs` dict: read, don't change."""
    months = covered_months(preview.period, standard.cycle, standard.billed_in)
    spans = rate_spans(standard)
    if not months:
        return
    if not spans:
        preview.errors.append(_("Standard “%(name)s” has no rate.") % {"name": standard.name})
        return
    if standard.method in (Method.METERED, *SHARED):
        yield _meter_lines(preview, standard, spans, next_line, billed)
        return
    patterns = _Patterns(standard, preview.period, months, spans)
    no_payer = _("%(room)s has no payer.")
    for page in unit_pages(standard, month_start(months[0]), billed, only):
        lines: list[Line] = []
        for facts in page:
            found = patterns.lines(facts)
            if isinstance(found, LineError):
                preview.errors.append(f"{facts.room_code}: {found}")
                continue
            first = next_line[facts.unit_id]
            lines += [
                Line(
                    facts.unit_id,
                    facts.room_code,
                    first + p.line_no,
                    p.amount,
                    p.formula,
                    p.inputs,
                    facts.payer_id,
                    p.discount,
                )
                for p in found
            ]
            next_line[facts.unit_id] = first + len(found)
            if found and facts.payer_id is None:
                preview.warnings.append(no_payer % {"room": facts.room_code})
        yield lines

"""The measures of the monthly score (spec §24): a registry, one function per measure.

Each measure declares the roles it scores, where its data come from (`source`, an app), the
evidence its lines link to, and whether it is weighted (its weight is a share of 100 in the
role's weights policy `appraisal.weights.<role>`) or a bonus (added outside the weights: the
reward and penalty points of §23). A measure's function reads a whole community's month in a
few bulk queries and returns one `Outcome` per employee it scores.

To add a measure (plan completion and training hours once `plans` and `training` are merged):
write a function in a module of this package, decorate it with `@measure(...)`, import the
module at the bottom of this file, and add its code to the roles' default weights in
`policies.py` (the defaults must still add up to 100). See docs/appraisal.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise

WEIGHTED = "weighted"
BONUS = "bonus"
EVIDENCE_KEPT = 30  # evidence items stored per line (the rest are counted)


@dataclass(frozen=True)
class Evidence:
    """One fact behind a deduction: what it is and where it is shown."""

    label: str
    url: str = ""

    def as_json(self) -> dict[str, str]:
        return {"label": self.label, "url": self.url}


@dataclass
class Outcome:
    """One employee's result on one measure: the raw numerator and denominator (spec §27:
    store them, not only the rate), the achievement from 0 to 1 (or points off, for a
    deduction measure; or bonus points) and the evidence of what cost points."""

    numerator: int = 0
    denominator: int = 0
    achievement: Decimal = Decimal(1)
    deduction: Decimal | None = None  # points off the weight instead of an achievement
    bonus: Decimal = Decimal(0)  # a bonus measure's points (+ or −)
    formula: str = ""
    evidence: list[Evidence] = field(default_factory=list)


@dataclass(frozen=True)
class MonthContext:
    """What a measure needs: the community, the month (first and last day) and the staff
    scored there with their role and, for area managers, their zones."""

    community: Any
    start: dt.date
    end: dt.date
    roles: dict[int, str]  # employee id -> role code
    zones: dict[int, list[int]]  # employee id -> zone ids

    def with_role(self, *roles: str) -> list[int]:
        return [pk for pk, role in self.roles.items() if role in roles]

    @property
    def start_at(self) -> dt.datetime:
        return midnight(self.start)

    @property
    def end_at(self) -> dt.datetime:
        """The first moment after the month."""
        return midnight(self.end + dt.timedelta(days=1))


def midnight(day: dt.date) -> dt.datetime:
    """The start of `day` in the office's time zone."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


Compute = Callable[[MonthContext], dict[int, Outcome]]


@dataclass(frozen=True)
class Measure:
    code: str
    label: Promise
    roles: tuple[str, ...]
    source: str  # the app whose data it reads
    evidence: Promise  # what its evidence links show
    compute: Compute
    kind: str = WEIGHTED

    def weight_key(self, role: str) -> str | None:
        return f"appraisal.weights.{role}" if self.kind == WEIGHTED else None


MEASURES: dict[str, Measure] = {}


def measure(
    code: str,
    *,
    label: Promise,
    roles: tuple[str, ...],
    source: str,
    evidence: Promise,
    kind: str = WEIGHTED,
) -> Callable[[Compute], Compute]:
    """Register the decorated function as the measure `code`."""

    def register(func: Compute) -> Compute:
        if code in MEASURES:
            raise ValueError(f"measure {code!r} registered twice")
        MEASURES[code] = Measure(code, label, roles, source, evidence, func, kind)
        return func

    return register


def measures_for(role: str) -> list[Measure]:
    """The measures that score `role`, weighted and bonus."""
    return [m for m in MEASURES.values() if role in m.roles]


def rate(numerator: int, denominator: int, target: Decimal = Decimal(1)) -> Decimal:
    """numerator ÷ denominator against `target` (1 when met or nothing to count)."""
    if denominator <= 0:
        return Decimal(1)
    value = Decimal(numerator) / Decimal(denominator)
    return min(Decimal(1), value / target) if target > 0 else Decimal(1)


def keep(evidence: dict[int, list[Evidence]], employee: int, item: Evidence) -> None:
    """Add an evidence item, keeping at most EVIDENCE_KEPT per employee."""
    items = evidence.setdefault(employee, [])
    if len(items) < EVIDENCE_KEPT:
        items.append(item)


from . import common, desk, money, supervisor, zone  # noqa: E402,F401  # registers the measures

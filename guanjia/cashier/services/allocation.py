"""Where a payment goes (spec §10 "Payment allocation rules"): the community's
`billing.allocation_order` ranks what is owed, the payment fills the lines in that order, and
what is left over is a prepayment (or refused, by the `cashier.prepayment` policy).

The order is a list of rules:

- `late_fee_last`: when listed (wherever), every late fee after every charge (先本后息);
- `oldest_period`: the oldest bill month first (先欠后新);
- `item_priority`: fee items by their allocation priority (lower first);

the last two rank in the order the list gives them. Rules left out do not rank; ties end in
bill month, fee item, charge before late fee, so the same account always splits the same
way."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ..models import LineKind
from ..selectors.account import OwedLine

ZERO = Decimal("0.00")
RULES = ("oldest_period", "item_priority", "late_fee_last")


@dataclass(frozen=True)
class Allocated:
    """One owed line and the part of the payment it takes."""

    line: OwedLine
    amount: Decimal

    @property
    def settles(self) -> bool:
        return self.amount == self.line.amount

    @property
    def left(self) -> Decimal:
        """What the line still owes after this payment."""
        return self.line.amount - self.amount


@dataclass(frozen=True)
class Allocation:
    """A payment cut into the lines it pays, and the rest (a prepayment)."""

    parts: list[Allocated]
    rest: Decimal

    @property
    def applied(self) -> Decimal:
        return sum((part.amount for part in self.parts), ZERO)


def _rank(line: OwedLine, order: Sequence[str]) -> tuple[object, ...]:
    keys: list[object] = [line.kind == LineKind.LATE_FEE] if "late_fee_last" in order else []
    for rule in order:
        if rule == "oldest_period":
            keys.append(line.bill_month)
        elif rule == "item_priority":
            keys.append(line.priority)
    return (*keys, line.bill_month, line.fee_item_id, line.kind == LineKind.LATE_FEE)


def allocate(lines: Sequence[OwedLine], amount: Decimal, order: Sequence[str]) -> Allocation:
    """Fill `lines` with `amount` in the policy's order; never more than a line owes."""
    unknown = set(order) - set(RULES)
    if unknown:
        raise ValueError(f"unknown allocation rules {sorted(unknown)}")
    left = amount
    parts: list[Allocated] = []
    for line in sorted(lines, key=lambda line: _rank(line, order)):
        if left <= 0:
            break
        take = min(left, line.amount)
        if take > 0:
            parts.append(Allocated(line, take))
            left -= take
    return Allocation(parts=parts, rest=left)

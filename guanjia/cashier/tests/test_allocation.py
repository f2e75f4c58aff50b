"""Allocation as a pure function: whatever the account, the order and the amount, every fen
goes somewhere once, no line takes more than it owes, and lines are filled in rank order."""

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from guanjia.cashier.selectors import OwedLine
from guanjia.cashier.services import allocate
from guanjia.cashier.services.allocation import RULES

fen = st.integers(min_value=1, max_value=10_000_00).map(lambda n: Decimal(n) / 100)
line = st.builds(
    OwedLine,
    fee_item_id=st.integers(1, 4),
    fee_item_name=st.just("费"),
    priority=st.integers(1, 3),
    bill_month=st.sampled_from([dt.date(2024, m, 1) for m in (1, 2, 3)]),
    kind=st.sampled_from(["charge", "late_fee"]),
    amount=fen,
)
orders = st.permutations(RULES).flatmap(lambda p: st.integers(0, 3).map(lambda n: p[:n]))


@given(lines=st.lists(line, max_size=8), amount=fen, order=orders)
def test_every_fen_goes_somewhere_once_and_no_line_is_overpaid(lines, amount, order):
    result = allocate(lines, amount, order)
    assert result.applied + result.rest == amount
    assert result.rest >= 0
    assert all(0 < part.amount <= part.line.amount for part in result.parts)
    assert result.rest == 0 or result.applied == sum((x.amount for x in lines), Decimal(0))
    # Only the last line taken may be paid in part.
    assert all(part.settles for part in result.parts[:-1])


@given(lines=st.lists(line, min_size=1, max_size=8), amount=fen)
def test_with_late_fee_last_no_late_fee_is_paid_while_a_charge_is_owed(lines, amount):
    result = allocate(lines, amount, list(RULES))
    charges = sum((x.amount for x in lines if x.kind == "charge"), Decimal(0))
    paid_charges = sum((p.amount for p in result.parts if p.line.kind == "charge"), Decimal(0))
    if any(p.line.kind == "late_fee" for p in result.parts):
        assert paid_charges == charges


def test_an_unknown_rule_is_a_programming_error():
    import pytest

    with pytest.raises(ValueError, match="unknown allocation rules"):
        allocate([], Decimal("1.00"), ["newest_first"])

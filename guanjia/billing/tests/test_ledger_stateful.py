"""Random sequences of postings and reversals keep every ledger invariant (on whichever
database the suite runs on)."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    invariant,
    rule,
    run_state_machine_as_test,
)

from guanjia.accounts.tests.factories import UserFactory
from guanjia.billing.models import EntryKind, UnitBalance
from guanjia.billing.selectors import ledger_problems
from guanjia.billing.services import Posting, post_entries, reverse_entries
from guanjia.core.money import to_fen
from guanjia.core.tests.factories import CommunityFactory
from guanjia.estates.tests.factories import UnitFactory

from .factories import FeeItemFactory

KINDS = {  # kind -> sign
    EntryKind.CHARGE: 1,
    EntryKind.LATE_FEE: 1,
    EntryKind.DISCOUNT: -1,
    EntryKind.PAYMENT: -1,
    EntryKind.WAIVER: -1,
    EntryKind.WRITE_OFF: -1,
    EntryKind.PREPAYMENT: -1,
    EntryKind.REFUND: 1,
}
PERIODS = [dt.date(2024, m, 1) for m in (1, 2, 3)]


class LedgerMachine(RuleBasedStateMachine):
    entries = Bundle("entries")

    def __init__(self) -> None:
        super().__init__()
        self.community = CommunityFactory()
        self.user = UserFactory()
        self.units = UnitFactory.create_batch(2, community=self.community)
        self.items = [FeeItemFactory(company=self.community.company) for _ in range(2)]
        self.outstanding = 0  # fen, the model of the whole community's outstanding
        self.reversed: set[int] = set()

    @rule(
        target=entries,
        unit=st.integers(0, 1),
        item=st.integers(0, 1),
        period=st.sampled_from(PERIODS),
        kind=st.sampled_from(sorted(KINDS)),
        fen=st.integers(1, 10**7),
    )
    def post(self, unit, item, period, kind, fen):
        amount = Decimal(KINDS[kind] * fen) / 100
        [entry] = post_entries(
            community=self.community,
            by=self.user,
            postings=[
                Posting(
                    unit_id=self.units[unit].pk,
                    fee_item_id=self.items[item].pk,
                    period=period,
                    kind=kind,
                    amount=amount,
                )
            ],
        )
        if kind not in (EntryKind.PREPAYMENT, EntryKind.REFUND):
            self.outstanding += KINDS[kind] * fen
        return entry

    @rule(entry=entries)
    def reverse(self, entry):
        if entry.pk in self.reversed:
            return
        entry.community = self.community
        reverse_entries(entries=[entry], by=self.user)
        self.reversed.add(entry.pk)
        if entry.kind not in (EntryKind.PREPAYMENT, EntryKind.REFUND):
            self.outstanding -= to_fen(entry.amount)

    @invariant()
    def ledger_is_consistent(self):
        assert ledger_problems(self.community) == []

    @invariant()
    def outstanding_matches_the_model(self):
        total = sum(
            to_fen(b.outstanding) for b in UnitBalance.objects.filter(community=self.community)
        )
        assert total == self.outstanding


@pytest.mark.django_db
def test_random_postings_and_reversals_keep_the_ledger_consistent():
    run_state_machine_as_test(
        LedgerMachine,
        settings=settings(
            max_examples=10,
            stateful_step_count=10,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )

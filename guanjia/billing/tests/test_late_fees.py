"""Late fees: exact per bill and day, after the grace days, up to the cap, once a day."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from guanjia.billing.models import EntryKind, LedgerEntry
from guanjia.billing.selectors import ledger_problems
from guanjia.billing.services import Posting, accrue_late_fees, late_fee_for_day, post_entries
from guanjia.core.policies.services import set_policy

JAN = dt.date(2024, 1, 1)


def contract(world, **values):
    with time_machine.travel(dt.datetime(2023, 12, 31, 10, tzinfo=dt.UTC), tick=False):
        for key, value in values.items():
            set_policy(
                key=f"billing.{key}",
                value=value,
                community=world.a,
                reason="合同",
                by=world.user("finance"),
                effective_from=JAN,
            )


@pytest.fixture
def bill(world, unit, item, cashier):
    post_entries(
        community=world.a,
        by=cashier,
        postings=[
            Posting(
                unit_id=unit.pk,
                fee_item_id=item.pk,
                period=JAN,
                kind=EntryKind.CHARGE,
                amount=Decimal("223.75"),
            )
        ],
    )


def late_fees():
    return list(
        LedgerEntry.objects.filter(kind=EntryKind.LATE_FEE).values_list("amount", flat=True)
    )


def test_one_day_of_late_fee_is_the_daily_rate_on_the_principal():
    fee = late_fee_for_day(
        principal=Decimal("223.75"),
        billed=Decimal("223.75"),
        accrued=Decimal("0"),
        rate=Decimal("0.003"),
        cap_ratio=Decimal("1"),
    )
    assert fee == Decimal("0.67")


def test_the_cap_stops_late_fees_at_the_ratio_of_the_principal():
    fee = late_fee_for_day(
        principal=Decimal("100.00"),
        billed=Decimal("100.00"),
        accrued=Decimal("9.90"),
        rate=Decimal("0.003"),
        cap_ratio=Decimal("0.1"),
    )
    assert fee == Decimal("0.10")


def test_no_late_fee_on_or_before_the_due_date_and_grace_days(world, bill, clock):
    contract(world, late_fee_grace_days="3")
    assert accrue_late_fees(community=world.a, day=dt.date(2024, 2, 3)) == 0
    assert accrue_late_fees(community=world.a, day=dt.date(2024, 2, 4)) == 1
    assert late_fees() == [Decimal("0.67")]


def test_a_day_accrues_once(world, bill, clock):
    day = dt.date(2024, 2, 10)
    accrue_late_fees(community=world.a, day=day)
    assert accrue_late_fees(community=world.a, day=day) == 0
    assert len(late_fees()) == 1
    assert ledger_problems() == []


def test_a_paid_bill_accrues_nothing(world, unit, item, bill, cashier, clock):
    post_entries(
        community=world.a,
        by=cashier,
        postings=[
            Posting(
                unit_id=unit.pk,
                fee_item_id=item.pk,
                period=JAN,
                kind=EntryKind.PAYMENT,
                amount=Decimal("-223.75"),
            )
        ],
    )
    assert accrue_late_fees(community=world.a, day=dt.date(2024, 2, 10)) == 0


def test_late_fees_post_into_the_month_they_accrue_in(world, bill, clock):
    accrue_late_fees(community=world.a, day=dt.date(2024, 3, 5))
    entry = LedgerEntry.objects.get(kind=EntryKind.LATE_FEE)
    assert entry.period == dt.date(2024, 3, 1)
    assert entry.bill_ref == "late:2024-01:2024-03-05"
    assert entry.created_by is None


def test_a_zero_rate_contract_has_no_late_fees(world, bill, clock):
    contract(world, late_fee_daily_rate="0")
    assert accrue_late_fees(community=world.a, day=dt.date(2024, 2, 10)) == 0


def test_the_scheduled_job_accrues_yesterday_once(world, bill, clock):
    from guanjia.billing.services.late_fees import accrue_late_fees_daily

    assert accrue_late_fees_daily()["a"] == 1
    assert accrue_late_fees_daily()["a"] == 0
    assert late_fees() == [Decimal("0.67")]


def test_a_waiver_of_late_fees_is_requested_up_to_what_is_owed(world, unit, item, bill, clock):
    from django.core.exceptions import ValidationError

    from guanjia.billing.models import WaiverRequest
    from guanjia.billing.services import request_late_fee_waiver

    accrue_late_fees(community=world.a, day=dt.date(2024, 2, 10))
    cashier = world.user("cashier")
    request_late_fee_waiver(
        unit=unit, fee_item=item, amount=Decimal("0.50"), reason="困难户", by=cashier
    )
    with pytest.raises(ValidationError) as info:
        request_late_fee_waiver(
            unit=unit, fee_item=item, amount=Decimal("0.50"), reason="困难户", by=cashier
        )
    assert info.value.code == "waiver_too_large"
    assert WaiverRequest.objects.get().status == "requested"
    assert not LedgerEntry.objects.filter(kind=EntryKind.WAIVER).exists()

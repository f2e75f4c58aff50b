"""Billing runs: preview, post once, extend, survive a crash, reverse with approval."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from guanjia.billing.models import (
    BillingRun,
    EntryKind,
    LedgerEntry,
    MonthClose,
    RunStatus,
    UnitBalance,
)
from guanjia.billing.selectors import ledger_problems
from guanjia.billing.services import (
    Posting,
    approve_run_reversal,
    close_month,
    post_entries,
    post_run,
    preview_run,
    request_run_reversal,
)
from guanjia.billing.services import runs as runs_module
from guanjia.core.policies.services import set_policy
from guanjia.estates.models import UnitEvent, UnitStatus
from guanjia.estates.tests.factories import OwnershipFactory, UnitFactory

from .factories import FeeStandardFactory, FeeStandardVersionFactory

MARCH = dt.date(2024, 3, 1)


@pytest.fixture
def standard(world, item):
    standard = FeeStandardFactory(community=world.a, fee_item=item, name="住宅")
    FeeStandardVersionFactory(standard=standard, rate=Decimal("2.5"))
    return standard


@pytest.fixture
def units(world, standard):
    units = UnitFactory.create_batch(3, community=world.a)
    for unit in units:
        OwnershipFactory(unit=unit)
    return units


def contract_policy(world, key, value):
    """The community's contract sets `key` from 2024-01-01 (set on the last day of 2023)."""
    with time_machine.travel(dt.datetime(2023, 12, 31, 10, tzinfo=dt.UTC), tick=False):
        set_policy(
            key=key,
            value=value,
            community=world.a,
            reason="合同",
            by=world.user("finance"),
            effective_from=dt.date(2024, 1, 1),
        )


def run(world, item, by, period=MARCH, **kw):
    return post_run(community=world.a, period=period, fee_item=item, by=by, **kw)


def test_the_preview_explains_every_line_and_totals_them(world, item, units, clock):
    preview = preview_run(community=world.a, period=MARCH, fee_item=item)
    assert [line.amount for line in preview.lines] == [Decimal("223.75")] * 3
    assert preview.total == Decimal("671.25")
    assert "89.50" in preview.lines[0].formula
    assert preview.warnings == []
    assert preview.errors == []


def test_the_preview_warns_of_a_unit_without_a_payer(world, item, units, clock):
    orphan = UnitFactory(community=world.a)
    preview = preview_run(community=world.a, period=MARCH, fee_item=item)
    assert preview.warnings == [f"{orphan.room_code} has no payer."]


def test_posting_writes_one_charge_per_unit_and_the_balances(world, item, units, cashier, clock):
    result = run(world, item, cashier)
    assert result.added == 3
    assert LedgerEntry.objects.filter(kind=EntryKind.CHARGE).count() == 3
    assert result.run.total == Decimal("671.25")
    assert UnitBalance.objects.get(unit=units[0]).outstanding == Decimal("223.75")
    assert ledger_problems() == []


def test_a_second_run_of_the_same_month_adds_nothing_and_says_so(
    world, item, units, cashier, clock
):
    run(world, item, cashier)
    again = run(world, item, cashier)
    assert again.added == 0
    assert again.message == "Already billed: nothing was added."
    assert LedgerEntry.objects.count() == 3
    assert BillingRun.objects.count() == 1


def test_a_rerun_bills_units_added_later_only(world, item, units, cashier, clock):
    first = run(world, item, cashier)
    UnitFactory(community=world.a)
    again = run(world, item, cashier)
    assert again.added == 1
    assert again.run.pk == first.run.pk
    assert again.run.line_count == 4


def test_the_database_refuses_a_second_charge_for_a_unit_in_a_run(
    world, item, units, cashier, clock
):
    from django.db import IntegrityError, transaction

    result = run(world, item, cashier)
    entry = LedgerEntry.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(
            community=world.a,
            unit=entry.unit,
            fee_item=item,
            period=MARCH,
            kind=EntryKind.CHARGE,
            bucket="billed",
            amount=Decimal("1.00"),
            billing_run=result.run,
            created_by=cashier,
        )


def test_a_run_killed_half_way_leaves_nothing_and_a_rerun_completes(
    world, item, units, cashier, clock, monkeypatch
):
    # The first write of either path (page by page, or the one statement on PostgreSQL)
    # goes in, then the worker dies.
    real_bulk, real_simple = runs_module.post_entries_bulk, runs_module.post_simple_lines

    def crash_after(real):
        def crash(*args, **kwargs):
            real(*args, **kwargs)
            raise RuntimeError("worker killed")

        return crash

    monkeypatch.setattr(runs_module, "post_entries_bulk", crash_after(real_bulk))
    monkeypatch.setattr(runs_module, "post_simple_lines", crash_after(real_simple))
    with pytest.raises(RuntimeError):
        run(world, item, cashier)
    assert not LedgerEntry.objects.exists()
    assert not UnitBalance.objects.exists()
    assert not BillingRun.objects.exists()
    monkeypatch.setattr(runs_module, "post_entries_bulk", real_bulk)
    monkeypatch.setattr(runs_module, "post_simple_lines", real_simple)
    assert run(world, item, cashier).added == 3


def test_fees_start_by_the_policy_after_delivery(world, item, standard, cashier, clock):
    unit = UnitFactory(community=world.a, status=UnitStatus.DELIVERED)
    OwnershipFactory(unit=unit)
    UnitEvent.objects.create(
        community=world.a,
        unit=unit,
        kind="status",
        to_status=UnitStatus.DELIVERED,
        at=dt.datetime(2024, 2, 10, 9, tzinfo=dt.UTC),
    )
    contract_policy(world, "movein.fee_start_rule", "daily")
    preview = preview_run(community=world.a, period=dt.date(2024, 2, 1), fee_item=item)
    assert [line.amount for line in preview.lines] == [Decimal("154.31")]


def test_a_vacant_unit_gets_the_vacant_discount_as_its_own_entry(
    world, item, standard, cashier, clock
):
    standard.vacant_discount = True
    standard.save()
    unit = UnitFactory(community=world.a, status=UnitStatus.VACANT)
    OwnershipFactory(unit=unit)
    contract_policy(world, "billing.vacant_discount_rate", "0.3")
    run(world, item, cashier)
    discount = LedgerEntry.objects.get(kind=EntryKind.DISCOUNT)
    assert discount.amount == Decimal("-67.13")
    assert UnitBalance.objects.get(unit=unit).outstanding == Decimal("156.62")


def test_an_unsold_unit_is_billed_to_the_developer(world, item, standard, cashier, clock):
    from guanjia.estates.tests.factories import PersonFactory

    standard.developer = PersonFactory(community=world.a, name="某某地产")
    standard.save()
    UnitFactory(community=world.a, status=UnitStatus.UNSOLD)
    run(world, item, cashier)
    assert LedgerEntry.objects.get().payer_id == standard.developer_id


@pytest.mark.parametrize(
    ("period", "code"),
    [
        (dt.date(2024, 4, 1), "future_period"),
        (dt.date(2024, 3, 5), "bad_period"),
    ],
)
def test_a_run_for_a_bad_period_is_refused(world, item, units, cashier, clock, period, code):
    with pytest.raises(ValidationError) as info:
        run(world, item, cashier, period=period)
    assert info.value.code == code
    assert not LedgerEntry.objects.exists()


def test_a_run_into_a_closed_month_is_refused(world, item, units, cashier, clock):
    close_month(community=world.a, period=dt.date(2024, 2, 1), by=world.user("director"))
    with pytest.raises(ValidationError) as info:
        run(world, item, cashier, period=dt.date(2024, 2, 1))
    assert info.value.code == "period_closed"
    assert not LedgerEntry.objects.exists()


def test_a_month_cannot_be_closed_before_it_ends(world, cashier, clock):
    with pytest.raises(ValidationError) as info:
        close_month(community=world.a, period=MARCH, by=cashier)
    assert info.value.code == "month_open"
    assert not MonthClose.objects.exists()


def test_a_fee_item_without_a_standard_cannot_be_billed(world, item, cashier, clock):
    with pytest.raises(ValidationError, match="no standard"):
        run(world, item, cashier)


def test_an_inner_area_fee_on_a_unit_without_inner_area_posts_nothing(
    world, item, standard, cashier, clock
):
    standard.method = "inner_area"
    standard.save()
    UnitFactory(community=world.a)
    bare = UnitFactory(community=world.a, inner_area=None)
    with pytest.raises(ValidationError, match=bare.room_code):
        run(world, item, cashier)
    assert not LedgerEntry.objects.exists()


# The clock comes first: the staff's roles start before "today" (services check authority).
def test_a_run_is_reversed_whole_after_approval_by_another_person(
    clock, world, item, units, cashier
):
    result = run(world, item, cashier)
    request_run_reversal(run=result.run, by=cashier, reason="单价录错")
    approved = approve_run_reversal(run=result.run, by=world.user("director"))
    assert approved.status == RunStatus.REVERSED
    assert LedgerEntry.objects.filter(kind=EntryKind.REVERSAL).count() == 3
    assert sum(b.outstanding for b in UnitBalance.objects.all()) == Decimal("0.00")
    assert ledger_problems() == []
    assert run(world, item, cashier).added == 3  # the month can be billed again


def test_the_poster_cannot_approve_the_reversal_of_their_run(clock, world, item, units, cashier):
    result = run(world, item, cashier)
    request_run_reversal(run=result.run, by=cashier, reason="单价录错")
    with pytest.raises(PermissionDenied):
        approve_run_reversal(run=result.run, by=cashier)
    assert not LedgerEntry.objects.filter(kind=EntryKind.REVERSAL).exists()


def test_a_run_touched_by_a_payment_cannot_be_reversed(clock, world, item, units, cashier):
    result = run(world, item, cashier)
    post_entries(
        community=world.a,
        by=cashier,
        postings=[
            Posting(
                unit_id=units[0].pk,
                fee_item_id=item.pk,
                period=MARCH,
                kind=EntryKind.PAYMENT,
                amount=Decimal("-10.00"),
            )
        ],
    )
    with pytest.raises(ValidationError) as info:
        request_run_reversal(run=result.run, by=cashier, reason="单价录错")
    assert info.value.code == "condition"
    assert BillingRun.objects.get().status == RunStatus.POSTED


def test_a_reversal_needs_a_reason(clock, world, item, units, cashier):
    result = run(world, item, cashier)
    with pytest.raises(ValidationError) as info:
        request_run_reversal(run=result.run, by=cashier, reason="  ")
    assert info.value.code == "reason_required"


def test_a_large_run_posts_as_a_job_with_progress(
    world, item, units, cashier, clock, django_capture_on_commit_callbacks
):
    from guanjia.billing.services import start_run
    from guanjia.core.jobs.models import JobRun

    with django_capture_on_commit_callbacks(execute=True):
        job = start_run(community=world.a, period=MARCH, fee_item=item, by=cashier)
    job = JobRun.objects.get(pk=job.pk)  # tests run jobs inline, on commit
    assert job.status == "succeeded", job.error
    assert job.result["added"] == 3
    assert LedgerEntry.objects.filter(kind=EntryKind.CHARGE).count() == 3


def test_an_exempt_unit_is_not_billed_for_the_exempt_days(world, item, standard, cashier, clock):
    from guanjia.billing.services import add_unit_exception

    unit = UnitFactory(community=world.a)
    OwnershipFactory(unit=unit)
    add_unit_exception(
        unit=unit,
        standard=standard,
        starts_on=dt.date(2024, 3, 1),
        ends_on=dt.date(2024, 3, 15),
        reason="业委会决议",
        by=cashier,
    )
    preview = preview_run(community=world.a, period=MARCH, fee_item=item)
    assert [line.amount for line in preview.lines] == [Decimal("115.48")]  # 16/31 of 223.75


def test_a_unit_with_its_own_rate_is_billed_at_it(world, item, standard, cashier, clock):
    from guanjia.billing.services import add_unit_exception

    unit = UnitFactory(community=world.a)
    OwnershipFactory(unit=unit)
    add_unit_exception(
        unit=unit,
        standard=standard,
        starts_on=dt.date(2024, 1, 1),
        rate="1.2",
        reason="底商协议价",
        by=cashier,
    )
    preview = preview_run(community=world.a, period=MARCH, fee_item=item)
    assert [line.amount for line in preview.lines] == [Decimal("107.40")]  # 89.50 × 1.2


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"starts_on": None}, "no_start"),
        ({"reason": " "}, "reason_required"),
        ({"rate": "0"}, "rate_not_positive"),
    ],
)
def test_a_bad_exception_is_refused(world, item, standard, cashier, kwargs, code):
    from guanjia.billing.models import UnitFeeException
    from guanjia.billing.services import add_unit_exception

    unit = UnitFactory(community=world.a)
    fields = {"starts_on": dt.date(2024, 1, 1), "reason": "决议", **kwargs}
    with pytest.raises(ValidationError) as info:
        add_unit_exception(unit=unit, standard=standard, by=cashier, **fields)
    assert info.value.code == code
    assert not UnitFeeException.objects.exists()


def test_overlapping_exceptions_are_refused(world, item, standard, cashier):
    from guanjia.billing.services import add_unit_exception

    unit = UnitFactory(community=world.a)
    add_unit_exception(
        unit=unit, standard=standard, starts_on=dt.date(2024, 1, 1), reason="决议", by=cashier
    )
    with pytest.raises(ValidationError) as info:
        add_unit_exception(
            unit=unit, standard=standard, starts_on=dt.date(2024, 6, 1), reason="决议", by=cashier
        )
    assert info.value.code == "overlapping_exception"

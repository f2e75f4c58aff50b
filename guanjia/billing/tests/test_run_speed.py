"""The fast run path: lines reused across units that share their inputs, runs posted page by
page (COPY and one balance upsert per page on PostgreSQL) — same amounts, same
explanations, same all-or-nothing as computing and posting every unit on its own."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from guanjia.billing.models import BillingRun, EntryKind, LedgerEntry, Method, UnitBalance
from guanjia.billing.selectors import ledger_problems
from guanjia.billing.services import add_unit_exception, post_run, preview_run
from guanjia.billing.services import runs as runs_module
from guanjia.billing.services.calculation import (
    UnitFacts,
    compute_lines,
    covered_months,
    with_exceptions,
)
from guanjia.billing.services.runs import plan
from guanjia.core.policies.services import set_policy
from guanjia.estates.models import UnitStatus
from guanjia.estates.tests.factories import OwnershipFactory, PersonFactory, UnitFactory

from .factories import FeeStandardFactory, FeeStandardVersionFactory

MARCH = dt.date(2024, 3, 1)


@pytest.fixture
def small_pages(monkeypatch):
    """Pages of 2 units, so a handful of units spans several pages; the page-by-page path
    on PostgreSQL too (its one-statement path has tests of its own)."""
    monkeypatch.setattr(plan, "PAGE", 2)
    monkeypatch.setattr(runs_module, "simple_plan", lambda standards, period: None)


@pytest.fixture
def mixed(world, item, cashier):
    """Units that differ in every input a line depends on, and some that share them."""
    with time_machine.travel(dt.datetime(2023, 12, 31, 10, tzinfo=dt.UTC), tick=False):
        set_policy(
            key="billing.vacant_discount_rate",
            value="0.3",
            community=world.a,
            reason="合同",
            by=world.user("finance"),
            effective_from=dt.date(2024, 1, 1),
        )
    standard = FeeStandardFactory(
        community=world.a,
        fee_item=item,
        name="住宅",
        vacant_discount=True,
        developer=PersonFactory(community=world.a, name="某某地产"),
    )
    FeeStandardVersionFactory(
        standard=standard, rate=Decimal("2.5"), effective_to=dt.date(2024, 3, 15)
    )
    FeeStandardVersionFactory(  # a rate change inside March: two lines per unit
        standard=standard, rate=Decimal("2.8"), effective_from=dt.date(2024, 3, 16)
    )
    areas = ["89.50", "89.50", "120.33", "89.50", "65.07", "120.33", "89.50"]
    statuses = [UnitStatus.OCCUPIED] * 3 + [UnitStatus.VACANT, UnitStatus.UNSOLD]
    statuses += [UnitStatus.VACANT, UnitStatus.OCCUPIED]
    units = []
    for area, status in zip(areas, statuses, strict=True):
        unit = UnitFactory(
            community=world.a, building_area=Decimal(area), inner_area=None, status=status
        )
        if status != UnitStatus.UNSOLD:
            OwnershipFactory(unit=unit)
        units.append(unit)
    add_unit_exception(
        unit=units[6],
        standard=standard,
        starts_on=dt.date(2024, 1, 1),
        rate="1.2",
        reason="底商协议价",
        by=cashier,
    )
    return standard, units


def _one_by_one(standard, units):
    """Each unit's lines from `compute_lines` alone, without any reuse."""
    spans = plan.rate_spans(standard)
    exceptions = plan.unit_exceptions(standard, covered_months(MARCH, "monthly", "advance"))
    start = standard.community.delivered_on
    expected = {}
    for unit in units:
        own = exceptions.get(unit.pk)
        facts = UnitFacts(
            unit.pk, unit.room_code, unit.status, unit.building_area, None, fee_start=start
        )
        lines = compute_lines(
            method=standard.method,
            rounding=standard.rounding,
            facts=facts,
            months=[MARCH],
            spans=with_exceptions(spans, own) if own else spans,
        )
        expected[unit.pk] = [(line.line_no, line.amount, line.formula) for line in lines]
    return expected


def test_shared_lines_equal_lines_computed_unit_by_unit(world, item, mixed, clock, small_pages):
    standard, units = mixed
    preview = preview_run(community=world.a, period=MARCH, fee_item=item)
    assert preview.errors == []
    got: dict[int, list] = {}
    for line in preview.lines:
        got.setdefault(line.unit_id, []).append((line.line_no, line.amount, line.formula))
    assert got == _one_by_one(standard, units)
    amounts = {line.unit_id: line.amount for line in preview.lines if line.line_no == 1}
    assert amounts[units[0].pk] == Decimal("108.27")  # 89.50 × 2.5 × 15/31
    assert amounts[units[2].pk] == Decimal("145.56")  # 120.33 × 2.5 × 15/31
    assert amounts[units[6].pk] == Decimal("107.40")  # its own rate, the whole month
    discounts = {line.unit_id: line.discount for line in preview.lines if line.line_no == 1}
    assert discounts[units[3].pk] == Decimal("32.48")  # vacant: 30 % of 108.27
    assert discounts[units[0].pk] == Decimal("0.00")
    payers = {line.unit_id: line.payer_id for line in preview.lines}
    assert payers[units[4].pk] == standard.developer_id
    assert payers[units[0].pk] != payers[units[1].pk]  # each unit keeps its own owner


def test_every_posted_line_carries_the_explanation_of_its_preview_line(
    world, item, mixed, cashier, clock, small_pages
):
    preview = preview_run(community=world.a, period=MARCH, fee_item=item)
    result = post_run(community=world.a, period=MARCH, fee_item=item, by=cashier)
    assert result.added == len(preview.lines) == 13  # 6 units × 2 rates, 1 with its own rate
    charges = {(e.unit_id, e.line_no): e for e in LedgerEntry.objects.filter(kind=EntryKind.CHARGE)}
    for line in preview.lines:
        entry = charges[(line.unit_id, line.line_no)]
        assert entry.amount == line.amount
        assert entry.payer_id == line.payer_id
        assert entry.explanation == {"formula": line.formula, **line.inputs}
        assert entry.explanation["standard"] == "住宅"
    discounts = LedgerEntry.objects.filter(kind=EntryKind.DISCOUNT)
    assert sorted(d.amount for d in discounts) == sorted(
        -line.discount for line in preview.lines if line.discount
    )
    assert all(d.memo == "Vacant-unit discount" for d in discounts)
    assert result.run.total == preview.total
    assert result.run.line_count == 13
    assert ledger_problems() == []


def test_two_standards_of_one_item_bill_every_unit_across_pages(
    world, item, cashier, clock, small_pages
):
    area = FeeStandardFactory(community=world.a, fee_item=item, name="面积")
    FeeStandardVersionFactory(standard=area, rate=Decimal("2.5"))
    fixed = FeeStandardFactory(community=world.a, fee_item=item, name="定额", method=Method.FIXED)
    FeeStandardVersionFactory(standard=fixed, rate=Decimal("30"))
    units = UnitFactory.create_batch(5, community=world.a)
    result = post_run(community=world.a, period=MARCH, fee_item=item, by=cashier)
    assert result.added == 10
    for unit in units:
        lines = LedgerEntry.objects.filter(unit=unit, kind=EntryKind.CHARGE).order_by("line_no")
        assert [e.line_no for e in lines] == [1, 2]
        assert sorted(e.amount for e in lines) == [Decimal("30.00"), Decimal("223.75")]
        assert UnitBalance.objects.get(unit=unit).outstanding == Decimal("253.75")
    later = UnitFactory(community=world.a)
    again = post_run(community=world.a, period=MARCH, fee_item=item, by=cashier)
    assert again.added == 2
    assert again.run.pk == result.run.pk
    assert LedgerEntry.objects.filter(unit=later).count() == 2
    assert post_run(community=world.a, period=MARCH, fee_item=item, by=cashier).added == 0
    assert ledger_problems() == []


def test_an_error_on_a_later_page_posts_nothing_and_names_every_unit(
    world, item, cashier, clock, small_pages
):
    standard = FeeStandardFactory(
        community=world.a, fee_item=item, name="套内", method=Method.INNER_AREA
    )
    FeeStandardVersionFactory(standard=standard, rate=Decimal("3"))
    UnitFactory.create_batch(4, community=world.a)
    bad = [UnitFactory(community=world.a, inner_area=None) for _ in range(2)]
    with pytest.raises(ValidationError) as info:
        post_run(community=world.a, period=MARCH, fee_item=item, by=cashier)
    assert [m.split(":")[0] for m in info.value.messages] == [u.room_code for u in bad]
    assert not LedgerEntry.objects.exists()
    assert not UnitBalance.objects.exists()
    assert not BillingRun.objects.exists()


def test_a_run_killed_after_its_first_page_leaves_nothing(
    world, item, cashier, clock, small_pages, monkeypatch
):
    standard = FeeStandardFactory(community=world.a, fee_item=item)
    FeeStandardVersionFactory(standard=standard, rate=Decimal("2.5"))
    UnitFactory.create_batch(5, community=world.a)
    real = runs_module.post_entries_bulk
    calls = []

    def crash_on_second_page(**kwargs):
        calls.append(len(kwargs["postings"]))
        if len(calls) == 2:
            raise RuntimeError("worker killed")
        real(**kwargs)

    monkeypatch.setattr(runs_module, "post_entries_bulk", crash_on_second_page)
    with pytest.raises(RuntimeError):
        post_run(community=world.a, period=MARCH, fee_item=item, by=cashier)
    assert calls == [2, 2]
    assert not LedgerEntry.objects.exists()
    assert not UnitBalance.objects.exists()
    assert not BillingRun.objects.exists()
    monkeypatch.setattr(runs_module, "post_entries_bulk", real)
    assert post_run(community=world.a, period=MARCH, fee_item=item, by=cashier).added == 5
    assert ledger_problems() == []


def test_progress_reaches_the_total(world, item, cashier, clock, small_pages):
    standard = FeeStandardFactory(community=world.a, fee_item=item)
    FeeStandardVersionFactory(standard=standard, rate=Decimal("2.5"))
    UnitFactory.create_batch(5, community=world.a)
    seen: list[tuple[int, int]] = []
    post_run(
        community=world.a,
        period=MARCH,
        fee_item=item,
        by=cashier,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert [done for done, _total in seen] == [2, 4, 5, 5]
    assert seen[-1] == (5, 5)
    assert all(done <= total for done, total in seen)

"""Proration and periods: exact amounts for month ends, leap years, rate changes and fee
start dates (89.50 m² × 2.5 yuan/m²/month = 223.75 a full month)."""

import datetime as dt
from decimal import Decimal

import pytest

from guanjia.billing.models import BilledIn, Cycle, Method
from guanjia.billing.services.calculation import (
    LineError,
    RateSpan,
    UnitFacts,
    add_months,
    compute_lines,
    covered_months,
    fee_start,
)
from guanjia.core.money import RoundingRule

D = dt.date
AREA = Decimal("89.50")
RATE = [RateSpan(1, Decimal("2.5"), D(2020, 1, 1), None)]


def facts(start=None, inner=Decimal("72.30"), spaces=0):
    return UnitFacts(1, "1-1201", "occupied", AREA, inner, spaces, start, None)


def amounts(
    months, spans=RATE, method=Method.BUILDING_AREA, start=None, rounding=RoundingRule.HALF_UP, **kw
):
    lines = compute_lines(
        method=method, rounding=rounding, facts=facts(start, **kw), months=months, spans=spans
    )
    return [line.amount for line in lines]


def test_a_full_month_is_area_times_rate():
    assert amounts([D(2024, 3, 1)]) == [Decimal("223.75")]


def test_daily_proration_in_a_leap_february_divides_by_29():
    start = fee_start(D(2024, 2, 10), "daily")
    assert amounts([D(2024, 2, 1)], start=start) == [Decimal("154.31")]


def test_one_day_on_february_29_of_a_leap_year():
    assert amounts([D(2024, 2, 1)], start=D(2024, 2, 29)) == [Decimal("7.72")]


def test_one_day_at_the_end_of_a_common_february_divides_by_28():
    assert amounts([D(2023, 2, 1)], start=D(2023, 2, 28)) == [Decimal("7.99")]


def test_half_month_rule_delivered_by_the_15th_bills_from_the_15th():
    start = fee_start(D(2024, 3, 10), "half_month")
    assert start == D(2024, 3, 15)
    assert amounts([D(2024, 3, 1)], start=start) == [Decimal("122.70")]


def test_half_month_rule_delivered_after_the_15th_bills_from_next_month():
    start = fee_start(D(2024, 3, 16), "half_month")
    assert start == D(2024, 4, 1)
    assert amounts([D(2024, 3, 1)], start=start) == []


def test_next_month_rule_starts_on_the_first_of_the_next_month_across_a_year_end():
    assert fee_start(D(2023, 12, 31), "next_month") == D(2024, 1, 1)


def test_a_rate_change_inside_the_month_splits_the_line():
    spans = [
        RateSpan(1, Decimal("2.5"), D(2020, 1, 1), D(2024, 3, 15)),
        RateSpan(2, Decimal("3"), D(2024, 3, 16), None),
    ]
    assert amounts([D(2024, 3, 1)], spans=spans) == [Decimal("108.27"), Decimal("138.58")]


def test_a_quarterly_standard_in_advance_bills_three_months_in_its_first_month():
    months = covered_months(D(2024, 4, 1), Cycle.QUARTERLY, BilledIn.ADVANCE)
    assert months == [D(2024, 4, 1), D(2024, 5, 1), D(2024, 6, 1)]
    assert amounts(months) == [Decimal("671.25")]


def test_a_quarterly_standard_bills_nothing_in_the_middle_of_a_quarter():
    assert covered_months(D(2024, 5, 1), Cycle.QUARTERLY, BilledIn.ADVANCE) == []


def test_a_monthly_standard_in_arrears_bills_the_month_before_across_a_year_end():
    assert covered_months(D(2024, 1, 1), Cycle.MONTHLY, BilledIn.ARREARS) == [D(2023, 12, 1)]


def test_a_yearly_standard_bills_twelve_months_in_january():
    assert len(covered_months(D(2024, 1, 1), Cycle.YEARLY, BilledIn.ADVANCE)) == 12


def test_add_months_goes_back_across_a_year():
    assert add_months(D(2024, 1, 31), -1) == D(2023, 12, 1)


@pytest.mark.parametrize(
    ("rounding", "expected"),
    [
        (RoundingRule.HALF_UP, "154.31"),
        (RoundingRule.DOWN, "154.31"),
        (RoundingRule.UP, "154.32"),
        (RoundingRule.JIAO, "154.30"),
    ],
)
def test_the_standard_rounding_rule_applies_once_per_line(rounding, expected):
    assert amounts([D(2024, 2, 1)], start=D(2024, 2, 10), rounding=rounding) == [Decimal(expected)]


def test_inner_area_method_uses_the_inner_area():
    assert amounts([D(2024, 3, 1)], method=Method.INNER_AREA) == [Decimal("180.75")]


def test_an_inner_area_fee_on_a_unit_without_inner_area_is_an_error():
    with pytest.raises(LineError, match="no inner area"):
        amounts([D(2024, 3, 1)], method=Method.INNER_AREA, inner=None)


def test_a_fixed_fee_is_the_rate_per_unit():
    assert amounts([D(2024, 3, 1)], method=Method.FIXED) == [Decimal("2.50")]


def test_a_parking_fee_is_the_rate_per_space():
    assert amounts([D(2024, 3, 1)], method=Method.PER_PARKING_SPACE, spaces=2) == [Decimal("5.00")]


def test_a_metered_fee_is_not_billed_by_a_run():
    with pytest.raises(LineError):
        amounts([D(2024, 3, 1)], method=Method.METERED)


def test_every_line_explains_itself():
    [line] = compute_lines(
        method=Method.BUILDING_AREA,
        rounding=RoundingRule.HALF_UP,
        facts=facts(D(2024, 2, 10)),
        months=[D(2024, 2, 1)],
        spans=RATE,
    )
    assert line.formula == "89.50 (building area) × 2.5 × (20/29)"
    assert line.inputs["days"] == [["2024-02", 20, 29]]
    assert line.inputs["rate_version"] == 1

"""Money: Decimal yuan in Python, integer fen in the database."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from hypothesis import given
from hypothesis import strategies as st

from guanjia.core.money import MoneyField, RoundingRule, format_money, from_fen, round_money, to_fen

fen_values = st.integers(min_value=-(10**15), max_value=10**15)


@given(fen_values)
def test_fen_survive_a_round_trip_through_yuan(fen):
    assert to_fen(from_fen(fen)) == fen


@given(fen_values)
def test_the_field_stores_what_it_reads(fen):
    field = MoneyField()
    assert field.get_prep_value(field.from_db_value(fen, None, None)) == fen


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2))
def test_yuan_with_two_places_survive_a_round_trip(amount):
    assert from_fen(to_fen(amount)) == amount


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=6), st.sampled_from(RoundingRule))
def test_rounding_always_gives_money_within_one_step(amount, rule):
    rounded = round_money(amount, rule)
    assert rounded == rounded.quantize(Decimal("0.01"))
    step = Decimal("0.1") if rule == RoundingRule.JIAO else Decimal("0.01")
    assert abs(rounded - amount) <= step


def test_from_fen_gives_two_places():
    assert str(from_fen(123450)) == "1234.50"
    assert str(from_fen(-5)) == "-0.05"


@pytest.mark.parametrize(
    ("amount", "rule", "expected"),
    [
        ("1.005", RoundingRule.HALF_UP, "1.01"),
        ("1.004", RoundingRule.HALF_UP, "1.00"),
        ("1.009", RoundingRule.DOWN, "1.00"),
        ("1.001", RoundingRule.UP, "1.01"),
        ("1.05", RoundingRule.JIAO, "1.10"),
        ("1.04", RoundingRule.JIAO, "1.00"),
        ("-1.005", RoundingRule.HALF_UP, "-1.01"),
    ],
)
def test_each_rounding_rule_rounds_as_documented(amount, rule, expected):
    assert round_money(Decimal(amount), rule) == Decimal(expected)


def test_a_float_is_refused():
    with pytest.raises(ValidationError) as info:
        MoneyField().to_python(1.5)
    assert info.value.code == "money_float"


def test_more_than_two_decimals_is_refused():
    with pytest.raises(ValidationError) as info:
        to_fen(Decimal("1.005"))
    assert info.value.code == "money_too_precise"


def test_text_that_is_not_money_is_refused():
    with pytest.raises(ValidationError) as info:
        MoneyField().to_python("abc")
    assert info.value.code == "money_invalid"


def test_the_field_reads_strings_and_ints_as_yuan():
    assert MoneyField().to_python("12.3") == Decimal("12.30")
    assert MoneyField().to_python(7) == Decimal("7.00")


def test_money_is_formatted_with_the_yuan_sign_and_thousands():
    assert format_money(Decimal("1234.5")) == "¥1,234.50"
    assert format_money(Decimal("-12")) == "-¥12.00"


def test_the_template_filter_formats_money_and_ignores_junk():
    template = Template("{% load money %}{{ a|money }}|{{ b|money }}")
    assert template.render(Context({"a": Decimal("1234.5"), "b": "x"})) == "¥1,234.50|"

"""Each cell is normalised and checked by its column's type, with a clear message."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from guanjia.core.imports.base import Column, ColumnType, cell_text, normalise_text


def _clean(kind: ColumnType, value, **options):
    return Column("f", "字段", "Field", type=kind, **options).clean(value)


def _message(kind: ColumnType, value, **options) -> str:
    with pytest.raises(ValidationError) as exc:
        _clean(kind, value, **options)
    return exc.value.messages[0]


def test_full_width_digits_and_letters_become_half_width():
    assert normalise_text("１３８ＡＢｃ＠ｘ．ｃｎ") == "138ABc@x.cn"


def test_stray_spaces_including_ideographic_ones_are_stripped():
    assert normalise_text("\u3000 张三\u00a0\u3000") == "张三"


def test_invisible_characters_are_dropped():
    assert normalise_text("zhang\u200bsan\ufeff") == "zhangsan"


def test_chinese_punctuation_is_kept():
    assert normalise_text("一期（东区），3栋") == "一期（东区），3栋"


def test_numbers_typed_into_excel_read_as_text_without_a_decimal_point():
    assert cell_text(13800001234.0) == "13800001234"
    assert cell_text(2.5) == "2.5"


def test_a_required_empty_cell_is_an_error():
    assert _message(ColumnType.TEXT, "\u3000", required=True) == "This column is required."


def test_text_longer_than_the_limit_is_an_error_naming_both_lengths():
    assert _message(ColumnType.TEXT, "abcdef", max_length=5) == (
        "At most 5 characters (this cell has 6)."
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [("１２", 12), (12.0, 12), ("1,200", 1200), ("  7 ", 7)],
)
def test_integers_are_read_from_text_and_numbers(value, expected):
    assert _clean(ColumnType.INTEGER, value) == expected


@pytest.mark.parametrize("value", ["1.5", "abc", "NaN", "Infinity"])
def test_a_bad_integer_is_an_error(value):
    assert _message(ColumnType.INTEGER, value) in ("Enter a whole number.", "Enter a number.")


def test_decimals_keep_their_exact_digits():
    column = Column("f", "金额", "Amount", type=ColumnType.DECIMAL)
    stored = column.clean("12.30")
    assert stored == "12.30"
    assert str(column.from_json(stored)) == "12.30"


@pytest.mark.parametrize(
    "value",
    [
        "2026-03-01",
        "2026/3/1",
        "2026.03.01",
        "2026年3月1日",
        dt.datetime(2026, 3, 1),  # noqa: DTZ001  # what openpyxl gives for a date cell
        dt.date(2026, 3, 1),
    ],
)
def test_dates_are_read_in_the_usual_chinese_forms(value):
    assert _clean(ColumnType.DATE, value) == "2026-03-01"


@pytest.mark.parametrize("value", ["2026-02-30", "01/03/2026", "明天"])
def test_a_bad_date_is_an_error(value):
    assert _message(ColumnType.DATE, value) == "Enter a date such as 2026-03-01."


@pytest.mark.parametrize(
    ("value", "expected"), [("是", True), ("否", False), ("Y", True), (True, True)]
)
def test_booleans_accept_chinese_and_english(value, expected):
    assert _clean(ColumnType.BOOLEAN, value) is expected


def test_a_bad_boolean_is_an_error():
    assert _message(ColumnType.BOOLEAN, "maybe") == "Enter 是 or 否 (yes or no)."


@pytest.mark.parametrize(
    "value", ["138 0000 1234", "+86 138-0000-1234", "１３８００００１２３４", 13800001234]
)
def test_mobile_numbers_are_normalised(value):
    assert _clean(ColumnType.MOBILE, value) == "13800001234"


@pytest.mark.parametrize("value", ["12800001234", "1380000123", "020-88886666"])
def test_a_bad_mobile_number_is_an_error(value):
    assert "mainland China mobile number" in _message(ColumnType.MOBILE, value)


def test_a_bad_email_is_an_error():
    assert _message(ColumnType.EMAIL, "zhang@") == "Enter a valid email address."

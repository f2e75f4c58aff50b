"""Exports: bold Chinese headers, typed cells, formula escaping; templates; error reports."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest

from guanjia.core.imports.base import Column
from guanjia.core.imports.xlsx import escape_formula, export_xlsx, template_xlsx

from .factories import SampleImporter

COLUMNS = (
    Column("name", "姓名", "Name", max_length=50),
    Column("amount", "金额", "Amount"),
    Column("day", "日期", "Day"),
)


def _sheet(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]


@pytest.mark.parametrize("text", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx"])
def test_text_a_spreadsheet_would_run_as_a_formula_gets_an_apostrophe(text):
    assert escape_formula(text) == "'" + text


@pytest.mark.parametrize("text", ["张三", "a=b", "13800001234", ""])
def test_ordinary_text_is_left_alone(text):
    assert escape_formula(text) == text


def test_an_export_has_bold_chinese_headers_and_escaped_typed_cells():
    rows = [
        {
            "name": '=HYPERLINK("http://evil","x")',
            "amount": Decimal("12.50"),
            "day": dt.date(2026, 3, 1),
        },
        {"name": "李四", "amount": -3, "day": None},
    ]
    sheet = _sheet(export_xlsx(rows, COLUMNS, title="人员"))
    assert [cell.value for cell in sheet[1]] == ["姓名", "金额", "日期"]
    assert sheet["A1"].font.b
    assert sheet["A2"].value == '\'=HYPERLINK("http://evil","x")'
    assert sheet["A2"].data_type == "s"
    assert sheet["B2"].value == 12.5
    assert sheet["C2"].value == dt.datetime(2026, 3, 1)  # noqa: DTZ001  # Excel has no zones
    assert sheet["B3"].value == -3  # numbers are numbers, not escaped text
    assert sheet.title == "人员"
    assert sheet.freeze_panes == "A2"


def test_chinese_headers_get_wide_enough_columns():
    sheet = _sheet(export_xlsx([], COLUMNS, title="x"))
    assert sheet.column_dimensions["A"].width >= 12


def test_a_large_export_reports_progress_every_500_rows():
    seen = []
    content = export_xlsx(
        ({"name": f"n{i}", "amount": i} for i in range(1200)),
        COLUMNS,
        title="big",
        progress=seen.append,
    )
    assert seen == [500, 1000]
    assert _sheet(content).max_row == 1201


def test_the_template_has_the_headers_an_example_row_and_notes():
    workbook = openpyxl.load_workbook(io.BytesIO(template_xlsx(SampleImporter)))
    data, notes = workbook.worksheets
    assert [cell.value for cell in data[1]] == ["编号", "数量", "日期", "手机", "完成"]
    assert notes["A2"].value == "编号"
    assert notes["B2"].value == "Code"

"""Malformed files are refused with a clear message before anything is parsed or saved."""

import io
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError

from guanjia.core.imports.xlsx import read_sheet

from .factories import SampleImporter, upload, xlsx_bytes, xlsx_upload

HEADER = ["编号", "数量", "日期", "手机", "完成"]


def _codes(exc: pytest.ExceptionInfo) -> set[str]:
    return {error.code for error in exc.value.error_list}


def test_a_good_file_gives_its_rows_with_spreadsheet_line_numbers():
    sheet = read_sheet(
        xlsx_upload([HEADER, ["A1", 3, None, None, None], [], ["A2", 4]]), importer=SampleImporter
    )
    assert [(row.line, row.data["code"]) for row in sheet.rows] == [(2, "A1"), (4, "A2")]


def test_english_headers_in_any_case_and_with_a_required_star_are_matched():
    sheet = read_sheet(
        xlsx_upload([["code*", "COUNT", " Day "], ["A1", 1, "2026-01-02"]]), importer=SampleImporter
    )
    assert sheet.rows[0].data == {"code": "A1", "count": 1, "day": "2026-01-02"}


def test_a_csv_renamed_to_xlsx_is_refused():
    with pytest.raises(ValidationError) as exc:
        read_sheet(upload("编号,数量\nA1,1\n".encode()), importer=SampleImporter)
    assert _codes(exc) == {"not_xlsx"}
    assert "not an Excel workbook" in exc.value.messages[0]


def test_a_pdf_is_refused():
    with pytest.raises(ValidationError) as exc:
        read_sheet(
            upload(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "scan.pdf"), importer=SampleImporter
        )
    assert _codes(exc) == {"not_xlsx"}


def test_a_zip_that_is_not_a_workbook_is_refused():
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(ValidationError) as exc:
        read_sheet(upload(output.getvalue()), importer=SampleImporter)
    assert _codes(exc) == {"not_xlsx"}


def test_an_old_xls_name_is_refused_with_the_save_as_hint():
    with pytest.raises(ValidationError) as exc:
        read_sheet(upload(xlsx_bytes([HEADER]), "data.xls"), importer=SampleImporter)
    assert "save it as .xlsx" in exc.value.messages[0]


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError) as exc:
        read_sheet(upload(b""), importer=SampleImporter)
    assert _codes(exc) == {"empty_file"}
    assert exc.value.messages == ["The file is empty."]


def test_an_empty_sheet_is_refused():
    with pytest.raises(ValidationError) as exc:
        read_sheet(xlsx_upload([]), importer=SampleImporter)
    assert _codes(exc) == {"empty_sheet"}


def test_a_sheet_with_only_headers_is_refused():
    with pytest.raises(ValidationError) as exc:
        read_sheet(xlsx_upload([HEADER, [None, None]]), importer=SampleImporter)
    assert _codes(exc) == {"no_rows"}
    assert "no data rows" in exc.value.messages[0]


def test_a_file_over_the_size_cap_is_refused_before_it_is_opened(monkeypatch):
    monkeypatch.setattr(SampleImporter, "max_bytes", 1000)
    with pytest.raises(ValidationError) as exc:
        read_sheet(upload(b"x" * 1001), importer=SampleImporter)  # not even a zip: size first
    assert _codes(exc) == {"too_large"}
    assert "1000" in exc.value.messages[0] or "KB" in exc.value.messages[0]


def test_a_workbook_that_unpacks_too_large_is_refused(monkeypatch):
    monkeypatch.setattr(SampleImporter, "max_unpacked_bytes", 100)
    with pytest.raises(ValidationError) as exc:
        read_sheet(xlsx_upload([HEADER, ["A1"]]), importer=SampleImporter)
    assert _codes(exc) == {"too_large"}


def test_too_many_rows_are_refused_from_the_declared_dimension_before_parsing(monkeypatch):
    monkeypatch.setattr(SampleImporter, "max_rows", 3)
    parsed = []
    monkeypatch.setattr(
        "guanjia.core.imports.xlsx.match_headers", lambda *a: parsed.append(a) or []
    )
    rows = [HEADER] + [[f"A{i}"] for i in range(4)]
    with pytest.raises(ValidationError) as exc:
        read_sheet(xlsx_upload(rows), importer=SampleImporter)
    assert _codes(exc) == {"too_many_rows"}
    assert "4 rows; the limit is 3" in exc.value.messages[0]
    assert parsed == []  # refused before the header was read


def test_too_many_rows_are_refused_even_when_the_dimension_understates_them(monkeypatch):
    monkeypatch.setattr(SampleImporter, "max_rows", 3)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in [HEADER] + [[f"A{i}"] for i in range(5)]:
        sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    tampered = _with_dimension(output.getvalue(), "A1:A2")
    with pytest.raises(ValidationError) as exc:
        read_sheet(upload(tampered), importer=SampleImporter)
    assert _codes(exc) == {"too_many_rows"}


def _with_dimension(content: bytes, ref: str) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(content))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                start = text.index("<dimension ref=")
                end = text.index("/>", start) + 2
                data = (text[:start] + f'<dimension ref="{ref}"/>' + text[end:]).encode()
            target.writestr(item, data)
    return output.getvalue()


def test_unknown_headers_are_named_with_the_expected_ones():
    with pytest.raises(ValidationError) as exc:
        read_sheet(
            xlsx_upload([["编号", "备注", "Colour"], ["A1", "x", "y"]]), importer=SampleImporter
        )
    assert _codes(exc) == {"unknown_columns"}
    message = exc.value.messages[0]
    assert "备注、Colour" in message
    assert "编号 (Code)" in message


def test_a_missing_required_header_is_named():
    with pytest.raises(ValidationError) as exc:
        read_sheet(xlsx_upload([["数量"], [1]]), importer=SampleImporter)
    assert _codes(exc) == {"missing_columns"}
    assert "编号" in exc.value.messages[0]


def test_a_header_given_twice_is_named():
    with pytest.raises(ValidationError) as exc:
        read_sheet(xlsx_upload([["编号", "Code"], ["A1", "A2"]]), importer=SampleImporter)
    assert _codes(exc) == {"repeated_columns"}
    assert "Code" in exc.value.messages[0]


def test_a_formula_cell_is_kept_as_a_formula_and_reported_as_such():
    from guanjia.core.imports.base import FormulaCell

    sheet = read_sheet(xlsx_upload([HEADER, ["A1", "=1+2"], ["A2", 4]]), importer=SampleImporter)
    assert sheet.rows[0].data["count"] == FormulaCell("=1+2")
    count = next(column for column in SampleImporter.columns if column.field == "count")
    with pytest.raises(ValidationError) as exc:
        count.clean(sheet.rows[0].data["count"])
    assert exc.value.code == "formula"
    assert "contains a formula" in exc.value.messages[0].lower()
    assert sheet.rows[1].data["count"] == 4


def test_text_that_starts_with_an_equals_sign_is_text_not_a_formula():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append(["A1"])
    sheet["A2"].value = "=not a formula"
    sheet["A2"].data_type = "s"
    output = io.BytesIO()
    workbook.save(output)
    rows = read_sheet(upload(output.getvalue()), importer=SampleImporter).rows
    assert rows[0].data["code"] == "=not a formula"


def test_workbook_xml_is_parsed_with_defusedxml():
    assert openpyxl.DEFUSEDXML is True


@pytest.mark.parametrize("part", ["xl/workbook.xml", "xl/worksheets/sheet1.xml"])
def test_an_entity_expansion_bomb_is_refused_at_once(part):
    """A "billion laughs" in any part of the workbook: defusedxml refuses the entity
    declaration before expanding anything (the test would take minutes and gigabytes if it
    expanded)."""
    import time

    good = xlsx_bytes([HEADER, ["A1", 1]])
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(
            f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
            for i in range(1, 10)
        )
        + "]>"
    )
    output = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as source, zipfile.ZipFile(output, "w") as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == part:
                text = content.decode()
                body = text[text.index("?>") + 2 :] if text.startswith("<?xml") else text
                content = (bomb + body.replace("A1", "&lol9;", 1)).encode()
            target.writestr(info, content)
    started = time.monotonic()
    with pytest.raises(ValidationError) as exc:
        read_sheet(upload(output.getvalue()), importer=SampleImporter)
    assert _codes(exc) == {"not_xlsx"}
    assert time.monotonic() - started < 5


def _rebuilt(extra: dict[str, int] | None = None, padded: str | None = None) -> bytes:
    """A good workbook rebuilt as a crafted zip: `extra` adds parts of that many zero bytes
    (deflate packs them about 1000 to 1), `padded` pads that part with 40 MB of spaces."""
    good = xlsx_bytes([HEADER, ["A1", 1]])
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(good)) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == padded:
                content = content.replace(b"<sheetData>", b"<sheetData>" + b" " * 40_000_000)
            target.writestr(info.filename, content)
        for name, size in (extra or {}).items():
            with target.open(name, "w", force_zip64=True) as part:
                for _chunk in range(size // 1_000_000):
                    part.write(bytes(1_000_000))
    return output.getvalue()


def _peak_bytes(read) -> int:
    import tracemalloc

    tracemalloc.start()
    try:
        read()
    finally:
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return peak


def test_a_zip_bomb_is_refused_from_its_directory_before_anything_is_unpacked():
    """A 200 kB upload that unpacks to 300 MB: the directory's sizes are summed against
    `max_unpacked_bytes` (200 MB) before openpyxl opens the file."""
    content = _rebuilt(extra={"xl/media/image1.bin": 300_000_000})
    assert len(content) < SampleImporter.max_bytes

    def read():
        with pytest.raises(ValidationError) as exc:
            read_sheet(upload(content), importer=SampleImporter)
        assert _codes(exc) == {"too_large"}
        assert "unpacks to" in exc.value.messages[0]

    assert _peak_bytes(read) < 5_000_000  # nothing was unpacked


def test_a_zip_whose_directory_understates_a_part_is_refused_without_unpacking_it_all():
    """The sizes in the directory are what the cap checks, so a crafted file may lie there:
    Python's zipfile stops reading a part at its declared size (then the CRC or the XML
    fails), so the 40 MB really inside is never held in memory."""
    content = bytearray(_rebuilt(padded="xl/worksheets/sheet1.xml"))
    name = b"xl/worksheets/sheet1.xml"
    # The uncompressed size field of the part's local header and of its directory entry.
    for signature, size_at, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        start = content.index(signature)
        while not content.startswith(name, start + name_at):
            start = content.index(signature, start + 4)
        content[start + size_at : start + size_at + 4] = (1000).to_bytes(4, "little")

    def read():
        with pytest.raises(ValidationError) as exc:
            read_sheet(upload(bytes(content)), importer=SampleImporter)
        assert _codes(exc) == {"not_xlsx"}

    assert _peak_bytes(read) < 10_000_000

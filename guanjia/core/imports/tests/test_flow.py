"""Upload, check, preview, commit all or nothing, discard; exports as files or as jobs."""

import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from guanjia.core.imports import services
from guanjia.core.imports.models import ImportBatch, ImportStatus
from guanjia.core.imports.selectors import error_report, preview_rows
from guanjia.core.models import Company

from .factories import Note, xlsx_upload

HEADER = ["编号", "数量", "日期", "手机", "完成"]


def _upload(world, rows, role="director", community=None):
    return services.upload_import(
        kind="sample",
        upload=xlsx_upload([HEADER, *rows]),
        by=world.user(role),
        community=community or world.a,
    )


def test_a_clean_file_is_stored_checked_and_ready(world, sample_importer):
    batch = _upload(world, [["Ａ１", "２", "2026/3/1", "138 0000 1234", "是"]])
    assert batch.status == ImportStatus.VALIDATED
    assert (batch.row_count, batch.error_count, batch.community) == (1, 0, world.a)
    assert batch.rows == [
        {
            "line": 2,
            "ok": True,
            "data": {
                "code": "A1",
                "count": 2,
                "day": "2026-03-01",
                "phone": "13800001234",
                "done": True,
            },
        }
    ]
    assert batch.history.first().history_user == world.user("director")


def test_every_bad_cell_is_reported_with_its_line_column_value_and_message(world, sample_importer):
    batch = _upload(
        world,
        [["A1", "many", "2026-02-30"], ["A2"], ["A2"], ["BAD"], ["", 3]],
    )
    assert batch.status == ImportStatus.FAILED
    assert [(e["line"], e["column"], e["value"], e["message"]) for e in batch.errors] == [
        (2, "数量", "many", "Enter a number."),
        (2, "日期", "2026-02-30", "Enter a date such as 2026-03-01."),
        (4, "编号", "A2", "repeated code"),
        (5, "", "", "the whole row is wrong"),
        (6, "编号", "", "This column is required."),
    ]
    assert batch.error_count == 5
    assert not batch.can_commit


def test_a_file_that_cannot_be_read_saves_nothing(world, sample_importer):
    with pytest.raises(ValidationError):
        services.upload_import(
            kind="sample",
            upload=xlsx_upload([["颜色"], ["红"]]),
            by=world.user("director"),
            community=world.a,
        )
    assert not ImportBatch.objects.exists()


def test_uploading_needs_the_importers_permission(world, sample_importer):
    with pytest.raises(PermissionDenied):
        _upload(world, [["A1"]], role="receptionist")
    assert not ImportBatch.objects.exists()


def test_a_community_importer_needs_a_community(world, sample_importer):
    with pytest.raises(PermissionDenied):  # "anywhere" is not a place to import into
        services.upload_import(
            kind="sample",
            upload=xlsx_upload([HEADER, ["A1"]]),
            by=world.user("receptionist"),
            community=None,
        )


def test_committing_writes_every_row_and_keeps_the_report(world, sample_importer):
    batch = _upload(world, [["A1", 1], ["A2", 2]])
    batch = services.commit_import(batch=batch, by=world.user("director"))
    assert batch.status == ImportStatus.COMMITTED
    assert batch.report == {"created": 2, "updated": 0, "unchanged": 0, "counts": {"notes": 2}}
    assert Company.objects.filter(name__startswith="note-").count() == 2
    assert batch.rows == []  # no second copy of the data
    assert batch.committed_at is not None


def test_a_row_refused_at_commit_time_rolls_back_every_row(world, sample_importer):
    batch = _upload(world, [["A1"], ["A2"], ["BOOM"]])
    batch = services.commit_import(batch=batch, by=world.user("director"))
    assert batch.status == ImportStatus.FAILED
    assert not Company.objects.filter(name__startswith="note-").exists()
    assert [(e["line"], e["column"], e["message"]) for e in batch.errors] == [
        (4, "编号", "refused now")
    ]
    assert len(batch.rows) == 3  # kept for the preview


def test_a_batch_with_errors_cannot_be_committed(world, sample_importer):
    batch = _upload(world, [["A1", "x"]])
    with pytest.raises(ValidationError) as exc:
        services.commit_import(batch=batch, by=world.user("director"))
    assert exc.value.code == "not_committable"
    assert Note.written == []


def test_a_batch_is_committed_once(world, sample_importer):
    batch = _upload(world, [["A1"]])
    services.commit_import(batch=batch, by=world.user("director"))
    with pytest.raises(ValidationError):
        services.commit_import(batch=batch, by=world.user("director"))
    assert len(Note.written) == 1


def test_discarding_drops_the_rows_and_ends_the_batch(world, sample_importer):
    batch = services.discard_import(batch=_upload(world, [["A1"]]), by=world.user("director"))
    assert (batch.status, batch.rows) == (ImportStatus.DISCARDED, [])
    with pytest.raises(ValidationError):
        services.commit_import(batch=batch, by=world.user("director"))


def test_a_committed_batch_cannot_be_discarded(world, sample_importer):
    batch = services.commit_import(batch=_upload(world, [["A1"]]), by=world.user("director"))
    with pytest.raises(ValidationError) as exc:
        services.discard_import(batch=batch, by=world.user("director"))
    assert exc.value.code == "move_not_allowed"


def test_batches_of_another_community_are_invisible(world, sample_importer):
    batch = _upload(world, [["A1"]])
    assert ImportBatch.objects.visible_to(world.user("director")).filter(pk=batch.pk).exists()
    from guanjia.accounts.tests.factories import staff

    outsider = staff("director", world.b, company=world.company)
    assert not ImportBatch.objects.visible_to(outsider).filter(pk=batch.pk).exists()


def test_the_preview_shows_rows_in_column_order(world, sample_importer):
    batch = _upload(world, [["A1", 5]])
    rows = preview_rows(batch, sample_importer)
    assert [(row.line, row.ok, row.cells) for row in rows] == [(2, True, ["A1", 5, "", "", ""])]


def test_the_error_report_lists_every_error(world, sample_importer):
    batch = _upload(world, [["A1", "x"], ["BAD"]])
    report = error_report(batch, sample_importer)
    sheet = openpyxl.load_workbook(io.BytesIO(report)).worksheets[0]
    assert [cell.value for cell in sheet[1]] == ["行号", "列", "单元格内容", "错误"]
    assert [cell.value for cell in sheet[2]] == [2, "数量", "x", "Enter a number."]
    assert sheet.max_row == 3


def test_a_file_with_an_understated_dimension_is_read_entirely(world, sample_importer):
    from .factories import upload, xlsx_bytes
    from .test_reading import _with_dimension

    content = _with_dimension(xlsx_bytes([HEADER, ["A1"], ["A2"], ["A3"]]), "A1:A2")
    batch = services.upload_import(
        kind="sample", upload=upload(content), by=world.user("director"), community=world.a
    )
    assert batch.row_count == 3

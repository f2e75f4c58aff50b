"""Every write of the import framework: upload and check, commit, discard; exports.

Reading and checking a file takes a while and only reads the database, so it runs before the
short transaction that stores the batch (an SQLite write lock is not held while parsing).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.core import workflows
from guanjia.core.access import has_perm_in
from guanjia.core.models import Community

from .base import Column, ColumnType, Importer, ImportRow, ImportRowError, cell_text
from .models import ImportBatch, ImportStatus
from .registry import get_exporter, get_importer
from .xlsx import export_xlsx, read_sheet

if TYPE_CHECKING:
    from guanjia.core.access import User
    from guanjia.core.jobs.models import JobRun

EXPORT_TASK = "guanjia.core.imports.services.run_export"


def may_import(user: User, batch: ImportBatch) -> bool:
    """Whether `user` may move `batch` (its importer's permission in its community)."""
    return has_perm_in(user, get_importer(batch.kind).permission, batch.community)


def _require(user: User, perm: str, community: Community | None) -> None:
    if not has_perm_in(user, perm, community):
        raise PermissionDenied


# --- Imports -------------------------------------------------------------------------------


def upload_import(*, kind: str, upload: File, by: User, community: Community | None) -> ImportBatch:
    """Check an uploaded workbook and store it as a batch to preview.

    A file that cannot be read (type, size, rows, headers) raises ValidationError and stores
    nothing; cell errors are kept on the batch (status FAILED) with line and column.
    """
    importer_class = get_importer(kind)
    community = None if importer_class.company_wide else community
    _require(by, importer_class.permission, community)
    if community is None and not importer_class.company_wide:
        raise ValidationError(_("Choose the community to import into first."), code="no_community")
    sheet = read_sheet(upload, importer=importer_class)
    importer = importer_class(by=by, community=community)
    rows, errors = check_rows(importer, sheet.rows)
    return _store_batch(
        importer=importer, file_name=upload.name or "", rows=rows, errors=errors, by=by
    )


def upload_rows(
    *,
    kind: str,
    rows: list[ImportRow],
    file_name: str,
    by: User,
    community: Community | None,
    importer: Importer | None = None,
) -> ImportBatch:
    """Store rows an app read itself (a CSV file, a sheet whose headers the community mapped)
    as a batch to preview: the same checks, preview and commit as `upload_import`."""
    importer_class = get_importer(kind)
    _require(by, importer_class.permission, community)
    if not rows:
        raise ValidationError(_("The sheet has column headers but no data rows."), code="no_rows")
    checker = importer or importer_class(by=by, community=community)
    stored, errors = check_rows(checker, rows)
    return _store_batch(importer=checker, file_name=file_name, rows=stored, errors=errors, by=by)


def check_rows(
    importer: Importer, raw_rows: list[ImportRow]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Every row checked cell by cell, then by the importer: (stored rows, errors)."""
    cleaned: list[tuple[ImportRow, dict[str, Any], list[dict[str, Any]]]] = []
    for row in raw_rows:
        data: dict[str, Any] = {}
        row_errors: list[dict[str, Any]] = []
        for column in importer.columns:
            raw = row.data.get(column.field)
            try:
                data[column.field] = column.clean(raw)
            except ValidationError as exc:
                row_errors.extend(_errors(row.line, column, raw, exc))
        cleaned.append((row, data, row_errors))
    importer.prepare([ImportRow(row.line, data) for row, data, _problems in cleaned])
    stored: list[dict[str, Any]] = []
    errors: list[dict[str, Any]] = []
    for row, data, row_errors in cleaned:
        failed = {error["field"] for error in row_errors}
        try:
            data = importer.validate_row(_with_blanks(importer, data, failed))
        except ValidationError as exc:  # a cell already in error is reported once
            row_errors += [e for e in _row_errors(importer, row, exc) if e["field"] not in failed]
        errors.extend(row_errors)
        shown = data if not row_errors else {f: cell_text(v) for f, v in row.data.items()}
        stored.append({"line": row.line, "data": shown, "ok": not row_errors})
    return stored, errors


def _with_blanks(importer: Importer, data: dict[str, Any], failed: set[str]) -> dict[str, Any]:
    """The row for validate_row: cells that failed their column check are empty, so the
    importer's own checks still run and every error of the row is reported at once."""
    blanks = {c.field: ("" if c.type == ColumnType.TEXT else None) for c in importer.columns}
    return {**data, **{field: blanks[field] for field in failed if field in blanks}}


def _errors(line: int | None, column: Column | None, raw: Any, exc: ValidationError) -> list:
    return [
        {
            "line": line,
            "field": column.field if column else "",
            "column": column.header_zh if column else "",
            "value": column.masked(cell_text(raw)) if column else cell_text(raw),
            "message": str(message),
        }
        for message in exc.messages
    ]


def _row_errors(importer: Importer, row: ImportRow, exc: ValidationError) -> list:
    columns = {column.field: column for column in importer.columns}
    if not hasattr(exc, "error_dict"):
        return _errors(row.line, None, "", exc)
    found: list[dict[str, Any]] = []
    for field, messages in exc.error_dict.items():
        column = columns.get(field) if field != NON_FIELD_ERRORS else None
        raw = row.data.get(field) if column else ""
        found.extend(_errors(row.line, column, raw, ValidationError(messages)))
    return found


@transaction.atomic
def _store_batch(
    *,
    importer: Importer,
    file_name: str,
    rows: list[dict[str, Any]],
    errors: list[dict[str, Any]],
    by: User,
) -> ImportBatch:
    community = importer.community
    batch = ImportBatch(
        kind=importer.code,
        company=community.company if community else by.company,
        community=community,
        uploaded_by=by,
        file_name=file_name[-255:],
        row_count=len(rows),
        error_count=len(errors),
        rows=rows,
        errors=errors,
    )
    batch._history_user = by  # type: ignore[attr-defined]  # read by django-simple-history
    batch.save()
    workflows.record_creation(batch, by=by, action="uploaded")
    batch = workflows.lock(batch)
    batch._history_user = by  # type: ignore[attr-defined]  # read by django-simple-history
    _move(batch, ImportStatus.FAILED if errors else ImportStatus.VALIDATED, by=by)
    return batch


def _move(batch: ImportBatch, status: str, *, by: User, reason: str = "") -> None:
    """Move a batch locked with workflows.lock(); simple-history keeps its other columns."""
    batch._history_user = by  # type: ignore[attr-defined]  # read by django-simple-history
    batch._change_reason = reason[:100]  # type: ignore[attr-defined]  # ditto
    workflows.transition(batch, status, by=by, note=reason)


@transaction.atomic
def commit_import(*, batch: ImportBatch, by: User) -> ImportBatch:
    """Write every row of a checked batch, all or nothing.

    A row the importer refuses at this point (the data changed since the preview) marks the
    batch FAILED with that error and writes nothing else.
    """
    batch = workflows.lock(batch)
    importer_class = get_importer(batch.kind)
    if not batch.can_commit:
        raise ValidationError(
            _("Only a checked batch without errors can be imported."), code="not_committable"
        )
    workflows.check_transition(batch, ImportStatus.COMMITTED, by=by)
    columns = {column.field: column for column in importer_class.columns}
    rows = [
        ImportRow(
            item["line"],
            {field: columns[field].from_json(value) for field, value in item["data"].items()},
        )
        for item in batch.rows
    ]
    importer = importer_class(by=by, community=batch.community)
    try:
        with transaction.atomic():
            report = importer.commit(rows, by=by, community=batch.community)
    except ImportRowError as exc:
        row = next((row for row in rows if row.line == exc.line), ImportRow(exc.line, {}))
        return _fail(batch, _row_errors(importer, row, exc.error), by=by)
    except ValidationError as exc:
        return _fail(batch, _errors(None, None, "", exc), by=by)
    batch.report = report.as_json()
    batch.committed_at = timezone.now()
    batch.rows = []  # the data now lives in its own tables; do not keep a second copy
    _move(batch, ImportStatus.COMMITTED, by=by)
    return batch


def _fail(batch: ImportBatch, errors: list[dict[str, Any]], *, by: User) -> ImportBatch:
    batch.errors = errors
    batch.error_count = len(errors)
    _move(batch, ImportStatus.FAILED, by=by, reason="commit refused")
    return batch


@transaction.atomic
def discard_import(*, batch: ImportBatch, by: User) -> ImportBatch:
    """Give up a batch; its rows are dropped (they may hold personal data)."""
    batch = workflows.lock(batch)
    workflows.check_transition(batch, ImportStatus.DISCARDED, by=by)
    batch.rows = []
    _move(batch, ImportStatus.DISCARDED, by=by)
    return batch


# --- Exports -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportFile:
    """A finished export to send straight back to the browser."""

    name: str
    content: bytes


def export_or_enqueue(
    *,
    kind: str,
    params: Mapping[str, str],
    by: User,
    community: Community | None,
    max_direct_rows: int = 2000,
) -> ExportFile | JobRun:
    """A small export as a file now; one of more than `max_direct_rows` rows as a job (the
    caller shows its progress page). `params` are the list's filters, as strings."""
    exporter_class = get_exporter(kind)
    _require(by, exporter_class.permission, community)
    exporter = exporter_class(by=by, community=community, params=dict(params))
    if exporter.count() <= max_direct_rows:
        content = export_xlsx(exporter.rows(), exporter.columns, title=str(exporter.label))
        return ExportFile(name=exporter.file_name(), content=content)
    return _enqueue_export(kind=kind, params=dict(params), by=by, community=community)


@transaction.atomic
def _enqueue_export(
    *, kind: str, params: dict[str, str], by: User, community: Community | None
) -> JobRun:
    from guanjia.core.jobs.services import enqueue

    digest = hashlib.sha256(json.dumps(params, sort_keys=True).encode()).hexdigest()[:12]
    minute = timezone.now().strftime("%Y%m%d%H%M")  # a repeated click within a minute: one run
    label = str(get_exporter(kind).label)
    return enqueue(
        EXPORT_TASK,
        key=f"export:{kind}:{by.pk}:{community.pk if community else 0}:{digest}:{minute}",
        label=_("Export: %(label)s") % {"label": label},
        kwargs={
            "kind": kind,
            "params": params,
            "user_id": by.pk,
            "community_id": community.pk if community else None,
        },
        by=by,
        community=community,
    )


def run_export(
    run: JobRun,
    *,
    kind: str,
    params: dict[str, str],
    user_id: int,
    community_id: int | None,
) -> dict[str, Any]:
    """The export job: rows written as they come, progress reported, the file saved to
    `default_storage` under exports/ and served by imports:export-download to its owner."""
    from django.contrib.auth import get_user_model

    from guanjia.core.jobs.services import report_progress

    by = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    community = Community.objects.filter(pk=community_id).first() if community_id else None
    exporter_class = get_exporter(kind)
    if by is None:
        raise PermissionDenied(_("The account that asked for this export is not active."))
    _require(by, exporter_class.permission, community)
    exporter = exporter_class(by=by, community=community, params=params)
    total = exporter.count()
    report_progress(run, done=0, total=total)
    content = export_xlsx(
        exporter.rows(),
        exporter.columns,
        title=str(exporter.label),
        progress=lambda done: report_progress(run, done=done, total=total),
    )
    file_name = exporter.file_name()
    stored = default_storage.save(
        f"exports/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}/{file_name}",
        ContentFile(content),
    )
    report_progress(run, done=total, total=total)
    return {
        "file_url": reverse("imports:export-download", kwargs={"pk": run.pk}),
        "file_name": file_name,
        "storage_name": stored,
        "rows": total,
    }

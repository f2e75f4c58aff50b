"""Import pages: upload, preview with every error, commit or discard, files to download."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guanjia.core.access import get_visible_or_404, request_user, require_perm
from guanjia.core.http import community_of
from guanjia.core.models import Community
from guanjia.core.pages import paginate

from . import services
from .forms import UploadForm
from .models import ImportBatch, ImportStatus
from .registry import get_importer
from .selectors import error_report, preview_rows, recent_batches, visible_errors
from .xlsx import template_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ERRORS_PER_PAGE = 100


def _xlsx_response(content: bytes, file_name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response


def _community(request: HttpRequest, company_wide: bool) -> Community | None:
    return None if company_wide else community_of(request)


@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest, kind: str) -> HttpResponse:
    importer = get_importer(kind)
    community = _community(request, importer.company_wide)
    require_perm(request.user, importer.permission, community)
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.upload_import(
                kind=kind,
                upload=form.cleaned_data["file"],
                by=request_user(request),
                community=community,
            )
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            return redirect("imports:batch-detail", kind=kind, pk=batch.pk)
    context = {
        "importer": importer,
        "form": form,
        "batches": recent_batches(user=request_user(request), kind=kind),
    }
    return render(request, "imports/importbatch_upload.html", context)


@require_GET
def template(request: HttpRequest, kind: str) -> HttpResponse:
    importer = get_importer(kind)
    require_perm(request.user, importer.permission, _community(request, importer.company_wide))
    return _xlsx_response(template_xlsx(importer), f"{kind}-template.xlsx")


def _batch(request: HttpRequest, kind: str, pk: int) -> ImportBatch:
    """The batch if the user may import this kind (else 403) and see the batch (else 404)."""
    permission = get_importer(kind).permission
    require_perm(request.user, permission)  # anywhere: 403 for those who never import this kind
    batch: ImportBatch = get_visible_or_404(
        ImportBatch.objects.filter(kind=kind), request.user, pk=pk
    )
    require_perm(request.user, permission, batch.community)
    return batch


@require_GET
def batch_detail(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    batch = _batch(request, kind, pk)
    importer = get_importer(kind)
    errors = paginate(request, visible_errors(batch, importer), ERRORS_PER_PAGE)
    context = {
        "batch": batch,
        "importer": importer,
        "rows": preview_rows(batch, importer),
        "page_obj": errors,
        "counts": [
            (importer.count_labels.get(name, name), count)
            for name, count in batch.report.get("counts", {}).items()
        ],
    }
    return render(request, "imports/importbatch_detail.html", context)


@require_POST
def batch_commit(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    batch = _batch(request, kind, pk)
    try:
        batch = services.commit_import(batch=batch, by=request_user(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if batch.status == ImportStatus.COMMITTED:
            messages.success(request, _("The import is done."))
        else:
            messages.error(request, _("Nothing was imported: see the errors below."))
    return redirect("imports:batch-detail", kind=kind, pk=batch.pk)


@require_POST
def batch_discard(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    batch = _batch(request, kind, pk)
    try:
        services.discard_import(batch=batch, by=request_user(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("imports:batch-detail", kind=kind, pk=batch.pk)
    messages.success(request, _("The upload was discarded."))
    return redirect("imports:upload", kind=batch.kind)


@require_GET
def batch_errors(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    batch = _batch(request, kind, pk)
    report = error_report(batch, get_importer(kind))
    return _xlsx_response(report, f"{batch.kind}-errors-{batch.pk}.xlsx")


@require_GET
def export_download(request: HttpRequest, pk: int) -> FileResponse:
    """The file of a finished export job, for the user who asked for it."""
    from guanjia.core.jobs.models import JobRun, JobStatus

    run = get_visible_or_404(
        JobRun.objects.started_by(request_user(request)), request_user(request), pk=pk
    )
    result = run.result if isinstance(run.result, dict) else {}
    name = result.get("storage_name")
    finished = run.status == JobStatus.SUCCEEDED and run.task == services.EXPORT_TASK
    if not finished or not name or not default_storage.exists(name):
        raise Http404
    return FileResponse(
        default_storage.open(name), as_attachment=True, filename=result.get("file_name") or name
    )

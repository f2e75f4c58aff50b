"""The one view that serves uploaded files: `/files/<app>/<model>/<pk>/<field>/`.

It loads the row through the owning record's scoped queryset (another community: 404),
checks the permission to view that record (403), and answers with the type verified at
upload: a picture or PDF inline, anything else as a download, never sniffed, never run as a
page. With `FILES_X_ACCEL_PREFIX` set, nginx sends the bytes (X-Accel-Redirect)."""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from guanjia.core.access import has_perm_in, request_user

from .registry import spec_or_404
from .types import PDF, FileType, stored_type

# Nothing in a served file may run: no scripts, no plugins, its own opaque origin. A PDF
# keeps the browser's viewer, which a sandboxed document cannot show and which Chrome embeds
# as a plugin object with inline styles in the page it builds around the PDF; still no script.
FILE_CSP = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox"
PDF_CSP = "default-src 'none'; object-src 'self'; img-src 'self' data:; style-src 'unsafe-inline'"


@require_GET
def serve_file(
    request: HttpRequest, app_label: str, model: str, pk: int, field: str
) -> HttpResponseBase:
    spec = spec_or_404(app_label, model, field)
    row = spec.rows_visible_to(request_user(request)).filter(pk=pk).first()
    if row is None:
        raise Http404
    if not has_perm_in(request.user, spec.perm, spec.community_id_of(row)):
        raise PermissionDenied
    stored: FieldFile = getattr(row, field)
    if not stored:
        raise Http404
    file_type = stored_type(stored.name or "")
    return file_response(stored, file_type, spec.download_name(row, file_type.extension))


def file_response(stored: FieldFile, file_type: FileType, filename: str) -> HttpResponseBase:
    """The file with its verified type, disposition and the headers that keep it inert."""
    response: HttpResponseBase
    prefix = getattr(settings, "FILES_X_ACCEL_PREFIX", "")
    if prefix:
        response = HttpResponse()
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(stored.name or "")
    else:
        try:
            handle = stored.open("rb")
        except FileNotFoundError as exc:  # the row outlived its file (a restore, a cleanup)
            raise Http404 from exc
        response = FileResponse(handle)
    response["Content-Type"] = file_type.content_type
    disposition = content_disposition_header(not file_type.inline, filename)
    response["Content-Disposition"] = disposition or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = PDF_CSP if file_type is PDF else FILE_CSP
    response["Cache-Control"] = "private, no-cache"
    return response

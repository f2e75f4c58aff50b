"""Printable documents: one template rendered to PDF by one function, QR codes, PDF responses.

Rendering never touches the network: the `LocalUrlFetcher` serves `/static/` and `/media/` from
this installation's files and refuses everything else (a refused resource is left out of the
PDF with a warning in the log, as WeasyPrint does for any missing resource).
"""

from __future__ import annotations

import mimetypes
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils._os import safe_join
from django.utils.http import content_disposition_header
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from guanjia.core.models import Community

from .selectors import letterhead_for

# Documents are rendered against this base so relative URLs ("/static/...") resolve to a host
# that cannot exist (RFC 2606 reserves .invalid); the fetcher maps them to local files.
LOCAL_BASE_URL = "https://guanjia.invalid/"


class RefusedFetch(ValueError):
    """A document asked for a resource that is not one of this installation's files."""


class LocalUrlFetcher(URLFetcher):
    """Serves `/static/` and `/media/` of this installation from disk; refuses the rest."""

    def __init__(self, *, hosts: frozenset[str] = frozenset()) -> None:
        super().__init__(timeout=1, allowed_protocols=("data",), allow_redirects=False)
        self.hosts = frozenset({urlsplit(LOCAL_BASE_URL).netloc}) | hosts

    def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)  # inline data, decoded locally
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"} or parts.netloc not in self.hosts:
            raise RefusedFetch(f"documents may not fetch {url!r}")
        path = unquote(parts.path)
        body = self._read(path)
        content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": content_type})

    def _read(self, path: str) -> bytes:
        static_url, media_url = str(settings.STATIC_URL), str(settings.MEDIA_URL)
        try:
            if path.startswith(static_url):
                return _static_file(path.removeprefix(static_url)).read_bytes()
            if path.startswith(media_url):
                with default_storage.open(path.removeprefix(media_url)) as handle:
                    return bytes(handle.read())
        except SuspiciousFileOperation as exc:  # "../" out of the static or media root
            raise RefusedFetch(f"documents may not read {path!r}") from exc
        raise RefusedFetch(f"documents may only use static and media files, not {path!r}")


def _static_file(name: str) -> Path:
    """A collected static file, else the one the finders know (development, tests)."""
    collected = Path(safe_join(str(settings.STATIC_ROOT), name))
    if collected.is_file():
        return collected
    found = finders.find(name)
    if not found or isinstance(found, list):
        raise FileNotFoundError(name)
    return Path(found)


def render_pdf(
    template: str,
    context: Mapping[str, Any],
    *,
    community: Community | None = None,
    request: HttpRequest | None = None,
) -> bytes:
    """Render `template` (extending `documents/base_print.html`) to PDF bytes.

    With `community`, the context gains its `letterhead`. With `request`, the page is rendered
    as the print view would be (context processors, the user's language).
    """
    html = render_to_string(template, print_context(context, community, for_pdf=True), request)
    hosts = frozenset({request.get_host()}) if request is not None else frozenset()
    document = HTML(string=html, base_url=LOCAL_BASE_URL, url_fetcher=LocalUrlFetcher(hosts=hosts))
    pdf: bytes = document.write_pdf(font_config=_font_config())
    return pdf


_RENDERER = threading.local()


def _font_config() -> FontConfiguration:
    """This thread's WeasyPrint font configuration, made once.

    WeasyPrint builds a new fontconfig configuration for every document unless given one:
    about 100 ms of a work order's 300 (docs/documents.md, "Speed"). Our documents declare no
    @font-face, so the configuration does not grow; it is not shared between threads."""
    fonts: FontConfiguration | None = getattr(_RENDERER, "fonts", None)
    if fonts is None:
        fonts = _RENDERER.fonts = FontConfiguration()
    return fonts


def print_context(
    context: Mapping[str, Any], community: Community | None, *, for_pdf: bool
) -> dict[str, Any]:
    """The context every printable template receives: the caller's, the letterhead, the mode."""
    full = {"for_pdf": for_pdf, "page_counter_css": page_counter_css(), **context}
    if community is not None and "letterhead" not in full:
        full["letterhead"] = letterhead_for(community)
    return full


def page_counter_css() -> SafeString:
    """The CSS `content` value of the page footer: "第 N 页 / 共 M 页" in Chinese."""
    label = _("Page %(page)s of %(pages)s") % {
        "page": '" counter(page) "',
        "pages": '" counter(pages) "',
    }
    return mark_safe(f'"{label}"')  # noqa: S308  # our own catalogue text with CSS counters


def qr_svg(data: str, *, scale: int = 3) -> str:
    """A QR code of `data` as inline SVG markup (no XML declaration), for templates."""
    if not data:
        raise ValueError("a QR code needs data")
    svg: str = segno.make(data, error="m").svg_inline(scale=scale, svgclass="qr", lineclass=None)
    return svg


def pdf_response(pdf: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    """An HTTP response carrying `pdf`; shown in the browser, or downloaded with inline=False."""
    response = HttpResponse(pdf, content_type="application/pdf")
    disposition = content_disposition_header(not inline, filename)
    if disposition:
        response["Content-Disposition"] = disposition
    response["Content-Length"] = str(len(pdf))
    return response

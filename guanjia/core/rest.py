"""What the REST_FRAMEWORK setting names: the JSON parser and the one pagination of every
API list. Nothing here imports DRF's views (DRF reads these settings while it defines its
APIView, so a module that subclasses a view could not be named there); guanjia.core.api
re-exports both."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers
from rest_framework.pagination import PageNumberPagination

from guanjia.core.pages import PAGE_SIZE


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser; a body nested deeper than Python can decode is a 400, not a 500."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError(
                _("The JSON body is nested too deeply."), code="too_deep"
            ) from None


# The parsers of an API view that also takes files (a photo, a scanned document): JSON through
# the parser above, multipart and form posts as DRF reads them. One list for every app.
UPLOAD_PARSERS = [JSONParser, parsers.MultiPartParser, parsers.FormParser]


class Pagination(PageNumberPagination):
    """Every API list: PAGE_SIZE rows a page (`?page=n`), as {count, next, previous, results};
    a page that does not exist (or `?page=x`) is a 404."""

    page_size = PAGE_SIZE

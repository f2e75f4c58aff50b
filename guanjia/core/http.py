"""The request as Guanjia's middleware leaves it, typed (issue 9 item 8).

`CurrentCommunityMiddleware` sets `community` (the community the staff member works in now,
None for a visitor or someone with no membership) and `access` (their roles and permissions,
computed once, on first use). A view that reads them takes a `GuanjiaRequest`; a helper that
is handed a plain `HttpRequest` (a DRF request's `_request`, a context processor) reads them
with `community_of` and `access_of`. Nobody sets or reads them with `getattr` or
`type: ignore`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.http import HttpRequest

if TYPE_CHECKING:
    from .access import Access
    from .models import Community


class GuanjiaRequest(HttpRequest):
    """An `HttpRequest` after the middleware: for annotations, never instantiated."""

    community: Community | None
    access: Access


def as_guanjia(request: HttpRequest) -> GuanjiaRequest:
    """The same request, typed (the middleware has set its attributes on every request)."""
    return cast(GuanjiaRequest, request)


def community_of(request: HttpRequest) -> Community | None:
    """The community the user works in now (None: a visitor, or no membership anywhere, or a
    request that never passed the middleware: a document rendered for a job, a test's
    RequestFactory)."""
    community: Community | None = getattr(request, "community", None)
    return community


def access_of(request: HttpRequest) -> Access:
    """The user's access (roles, permissions, communities), computed once per request."""
    return as_guanjia(request).access

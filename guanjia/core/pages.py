"""What every app's page views share: the current community (with a permission), a service's
refusal shown on its form, and lists cut into pages of one size.

One copy here; an app's views import these rather than writing their own (docs/new-app.md,
"Page and API helpers")."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.forms import BaseForm
from django.http import HttpRequest

from guanjia.core.access import require_perm

from .models import Community

PAGE_SIZE = 25  # rows a list page shows, in every app


def current_community(request: HttpRequest, perm: str | None = None) -> Community:
    """The community the user works in now, where they hold `perm` (when given).

    No current community (the user has no membership anywhere) is a 403, as is a missing
    permission: there is nothing of theirs to show, rather than a page that is not there."""
    community: Community | None = getattr(request, "community", None)
    if community is None:
        raise PermissionDenied
    if perm:
        require_perm(request.user, perm, community)
    return community


def apply_errors(form: BaseForm, exc: ValidationError) -> None:
    """A service's ValidationError shown on the form: on its field when the form has it,
    above the form otherwise."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def paginate(request: HttpRequest, rows: Any, per_page: int = PAGE_SIZE) -> Page:
    """The page `?page=` asks for (the last one past the end, the first for anything else)."""
    return Paginator(rows, per_page).get_page(request.GET.get("page"))


def query_without_page(request: HttpRequest) -> str:
    """The list's query string (its filters) without `page`, for the pager's links."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()

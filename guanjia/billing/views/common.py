"""What every billing page shares: the current community with a permission, messages of a
ValidationError, the plain form page."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from guanjia.core.access import require_perm
from guanjia.core.models import Community


def community_for(request: HttpRequest, perm: str) -> Community:
    community: Community | None = getattr(request, "community", None)
    if community is None:
        raise PermissionDenied
    require_perm(request.user, perm, community)
    return community


def error_list(exc: ValidationError) -> list[str]:
    return [str(message) for message in exc.messages]


def form_page(request: HttpRequest, form: Any, title: str, status: int = 200) -> HttpResponse:
    return render(request, "billing/form.html", {"form": form, "title": title}, status=status)

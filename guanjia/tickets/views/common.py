"""Helpers the service desk's page views share."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest

from guanjia.core.access import require_perm
from guanjia.core.models import Community

PAGE_SIZE = 25


def community_of(request: HttpRequest, perm: str) -> Community:
    community = getattr(request, "community", None)
    if community is None:
        raise PermissionDenied
    require_perm(request.user, perm, community)
    return community


def add_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)

"""What every billing API view shares: scoping, the community named in a body, a body
checked by its serializer then by the page's form, and a service call whose refusal is a
400 (ValidationError, with its message and code) or a 403 (PermissionDenied, with its
message)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request

from guanjia.core.access import communities_with_perm, require_perm
from guanjia.core.models import Community

T = TypeVar("T")


class ServiceRefused(serializers.ValidationError):
    """A service's ValidationError as a 400: {"detail": [messages], "code": code}."""

    def __init__(self, exc: ValidationError) -> None:
        detail: Any = {
            "detail": [str(m) for m in exc.messages],
            "code": getattr(exc, "code", None) or "invalid",
        }
        super().__init__(detail)


def scoped(queryset: Any, request: Request, perm: str) -> Any:
    """Rows of the communities where the caller holds `perm` (none at all: 403)."""
    require_perm(request.user, perm)
    return queryset.filter(community_id__in=communities_with_perm(request.user, perm))


def community_or_404(request: Request, pk: int, perm: str) -> Community:
    """The community a body names: one the caller cannot see is a 404, one where the
    caller lacks `perm` a 403."""
    community = Community.objects.visible_to(request.user).filter(pk=pk).first()
    if community is None:
        raise NotFound
    require_perm(request.user, perm, community)
    return community


def body(request: Request, serializer_class: Any) -> dict[str, Any]:
    """The request body typed by its serializer (400 with each field's message)."""
    checked = serializer_class(data=request.data)
    checked.is_valid(raise_exception=True)
    return dict(checked.validated_data)


def form_data(form: Any) -> dict[str, Any]:
    """The page's form's cleaned data, or a 400 with its errors by field."""
    if not form.is_valid():
        errors = {name: list(messages) for name, messages in form.errors.items()}
        raise serializers.ValidationError(errors)
    return dict(form.cleaned_data)


def run_service(act: Callable[..., T], **kwargs: Any) -> T:
    """Call one service: its ValidationError is a 400, its PermissionDenied (e.g. the person
    who proposed or posted deciding themselves) a 403 with the rule's message."""
    try:
        return act(**kwargs)
    except ValidationError as exc:
        raise ServiceRefused(exc) from exc
    except DjangoPermissionDenied as exc:
        raise PermissionDenied(str(exc) or None) from exc


class LinePagination(PageNumberPagination):
    """A run's lines: 100 a page (?page=2, ...); a page that does not exist is a 404."""

    page_size = 100


def community_param(request: Request) -> int | None:
    """`?community=<id>`, or None; anything but a number is a 400."""
    raw = request.query_params.get("community", "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise serializers.ValidationError({"community": [_("Give a community id.")]})
    return int(raw)


def page_param(request: Request) -> int:
    """`?page=<n>` (1 without it); anything but a positive number is a 404, as DRF's pages."""
    raw = request.query_params.get("page", "1").strip()
    if not raw.isdigit() or int(raw) < 1:
        raise NotFound(_("Invalid page."))
    return int(raw)

"""API conventions shared by every app: errors as translated JSON, never a 500; the
permission that lets a caller reach a list at all."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers, serializers, status
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from guanjia.accounts.selectors import communities_with_perm


class VisibleCommunityField(serializers.PrimaryKeyRelatedField):
    """A related row among those the caller may read: another community's id (or a row the
    caller's role may not see) answers word for word like an id that does not exist."""

    def get_queryset(self) -> Any:
        request = self.context["request"]
        return super().get_queryset().visible_to(request.user)  # type: ignore[union-attr]


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser; a body nested deeper than Python can decode is a 400, not a 500."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError(
                _("The JSON body is nested too deeply."), code="too_deep"
            ) from None


def number_out_of_range(exc: BaseException) -> bool:
    """An integer beyond what the database stores (64 bits): OverflowError from SQLite's
    driver, numeric_value_out_of_range (SQLSTATE 22003) from PostgreSQL."""
    if isinstance(exc, OverflowError):
        return True
    return isinstance(exc, DataError) and getattr(exc.__cause__, "sqlstate", None) == "22003"


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, plus what a service raises: Django's ValidationError is a 400 (by field,
    or {"detail": [messages], "code": code}), its PermissionDenied a 403 with the rule's
    message (e.g. "You cannot decide on your own proposal."), Http404 a 404, and a number too
    large for the database a 400. A view calls the service directly; no wrapper is needed."""
    if number_out_of_range(exc):
        message = _("A number in the request is too large.")
        return Response({"detail": message, "code": "number_too_large"}, status=400)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail: Any = {
                field: [str(m) for m in msgs] for field, msgs in exc.message_dict.items()
            }
        else:
            detail = {
                "detail": [str(m) for m in exc.messages],
                "code": getattr(exc, "code", None) or "invalid",
            }
        return Response(detail, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    return drf_exception_handler(exc, context)


class HasViewPerm(BasePermission):
    """The caller holds the view's `view_perm` (a model permission) in at least one community;
    which rows they then see is the view's queryset's business (else 403 for the whole API
    resource)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(communities_with_perm(request.user, view.view_perm))

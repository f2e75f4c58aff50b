"""What every billing API view shares: scoping, the community named in a body, a body
checked by its serializer then by the page's form. A service's refusal needs no wrapper:
guanjia.core.api.exception_handler answers its ValidationError with a 400 and its
PermissionDenied with a 403, each with its message."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.request import Request

from guanjia.core.access import require_perm
from guanjia.core.models import Community


def community_or_404(request: Request, pk: int, perm: str) -> Community:
    """The community a body names: one the caller cannot see is a 404, one where the
    caller lacks `perm` a 403."""
    community = Community.objects.visible_to(request.user).filter(pk=pk).first()
    if community is None:
        raise NotFound
    require_perm(request.user, perm, community)
    result: Community = community
    return result


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

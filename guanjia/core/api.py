"""API conventions shared by every app: errors as translated JSON, never a 500; the
permission that lets a caller reach a list at all; related fields among the caller's rows;
scope fields fixed after creation (ScopedSerializerMixin); the community-scoped viewset every
app's API is built on (CommunityViewSet, ServiceSaveMixin) with one pagination."""

from typing import Any, ClassVar

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, models
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.exceptions import ErrorDetail
from rest_framework.fields import empty
from rest_framework.permissions import BasePermission
from rest_framework.relations import PrimaryKeyRelatedField
from rest_framework.request import Request
from rest_framework.response import Response

from guanjia.core.access import communities_with_perm, require_perm
from guanjia.core.rest import UPLOAD_PARSERS, JSONParser, Pagination


class VisibleCommunityField(serializers.PrimaryKeyRelatedField):
    """A related row among those the caller may read: another community's id (or a row the
    caller's role may not see) answers word for word like an id that does not exist."""

    def get_queryset(self) -> Any:
        request = self.context["request"]
        return super().get_queryset().visible_to(request.user)  # type: ignore[union-attr]


def number_out_of_range(exc: BaseException) -> bool:
    """An integer beyond what the database stores (64 bits): OverflowError from SQLite's
    driver, numeric_value_out_of_range (SQLSTATE 22003) from PostgreSQL."""
    if isinstance(exc, OverflowError):
        return True
    return isinstance(exc, DataError) and getattr(exc.__cause__, "sqlstate", None) == "22003"


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, plus what a service raises: Django's ValidationError is a 400 (by field,
    or {"detail": [messages], "code": code}), its PermissionDenied a 403 with the rule's
    message (e.g. "You cannot decide on your own proposal.") and code (a WorkflowDenied's, else
    "permission_denied"), Http404 a 404, and a number too
    large for the database a 400. A view calls the service directly; no wrapper is needed."""
    # Imported here: rest_framework.views reads the API settings, which name this module's
    # parsers, so importing it at the top made importing this module first a circular import.
    from rest_framework.views import exception_handler as drf_exception_handler

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
        # A WorkflowDenied carries its refusal code (own_request, over_limit, ...): keep it, as
        # the 400 of a WorkflowError does; any other refusal is DRF's "permission_denied".
        code = getattr(exc, "code", None) or exceptions.PermissionDenied.default_code
        response = drf_exception_handler(exceptions.PermissionDenied(str(exc) or None), context)
        if response is not None:
            response.data["code"] = code
        return response
    return drf_exception_handler(exc, context)


class HasViewPerm(BasePermission):
    """The caller holds the view's `view_perm` (a model permission) in at least one community;
    which rows they then see is the view's queryset's business (else 403 for the whole API
    resource)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(communities_with_perm(request.user, view.view_perm))


class CommunityViewSet(viewsets.GenericViewSet):
    """The base of every app's API on community rows.

    Rows: `model`'s rows the caller may see (`visible_to`) in the communities where they hold
    `view_perm` (none anywhere: 403 by HasViewPerm; another community's row: 404), with
    `related` joined and `prefetch` prefetched, in `ordering` (default: the model's, then pk;
    order by `community_id`, not `community`, which joins and sorts by the company's name).
    Lists go through `filterset_class`, the page's FilterSet (`?community=<id>` narrows to
    one community), PAGE_SIZE a page. Actions on one row: `action_object(perm)`. Writes call
    the app's service; its refusals reach the caller through `exception_handler`."""

    permission_classes = [HasViewPerm]
    pagination_class = Pagination
    filter_backends = [DjangoFilterBackend]
    model: ClassVar[Any] = None
    view_perm: ClassVar[str]
    related: ClassVar[tuple[str, ...]] = ()
    prefetch: ClassVar[tuple[str, ...]] = ()
    ordering: ClassVar[tuple[str, ...]] = ()

    def get_model(self) -> Any:
        return self.model or self.get_serializer_class().Meta.model  # type: ignore[attr-defined]

    def get_queryset(self) -> Any:
        model = self.get_model()
        ids = communities_with_perm(self.request.user, self.view_perm)
        rows = model._default_manager.visible_to(self.request.user).filter(community__in=ids)
        if self.related:
            rows = rows.select_related(*self.related)
        if self.prefetch:
            rows = rows.prefetch_related(*self.prefetch)
        ordering = list(self.ordering or model._meta.ordering or ())
        return rows.order_by(*ordering, "pk")

    def action_object(self, perm: str) -> Any:
        """The row of the URL (another community's: 404) where the caller holds `perm` (403)."""
        obj = self.get_object()
        require_perm(self.request.user, perm, obj.community_id)
        return obj


class ServiceSaveMixin:
    """Create and update through one service: the serializer checks the body, `save(obj)`
    (the app's service) decides and saves. Put it first in the bases, before DRF's
    CreateModelMixin and UpdateModelMixin."""

    def save(self, obj: Any) -> Any:
        raise NotImplementedError

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = self.save(serializer.Meta.model(**self.model_data(serializer)))

    def perform_update(self, serializer: Any) -> None:
        instance = serializer.instance
        for name, value in self.model_data(serializer).items():
            setattr(instance, name, value)
        serializer.instance = self.save(instance)

    def model_data(self, serializer: Any) -> dict[str, Any]:
        return dict(serializer.validated_data)


# --- Scope fields ---------------------------------------------------------------------------
#
# A community-scoped row never changes community through the API: its `community` and every
# foreign key that decides the community (building, unit, household, ...) are fixed once the
# row exists. Foreign keys that may legitimately point elsewhere within the same community
# (a vehicle to another household of the community) are "movable": the new target must be
# of the row's own community. On creation every scope object given must belong to one
# community where the caller holds the write permission. docs/new-app.md says how to use it.

SCOPE_FIXED = gettext_lazy(
    "This cannot be changed once the record exists: a record stays in its community."
)
OTHER_COMMUNITY = gettext_lazy(
    "Choose one of this community's entries: a record cannot move to another community."
)
NOT_YOURS = gettext_lazy("You cannot add records in that community.")


def community_id_of(obj: Any) -> int | None:
    """The community a scope object belongs to (a Community is its own)."""
    from guanjia.core.models import Community

    return obj.pk if isinstance(obj, Community) else obj.community_id


def _pk(value: Any) -> Any:
    return value.pk if isinstance(value, models.Model) else value


class ScopedSerializerMixin:
    """Scope fields fixed after creation; moves checked against the row's community.

    `scope_fields`: the community and the foreign keys that decide it; on update a value
    other than the stored one is refused (400, code `scope_fixed`). `movable_fields`: foreign
    keys that may change within the community; a target of another community is refused
    (400, code `other_community`). On create every scope or movable object given must be of
    one community in which the caller holds `scope_perm` (default: the model's add
    permission): a community the caller sees without that permission is a 403, an object of
    a community the caller cannot see reads as "does not exist" (400).
    Authority over the row itself stays with the service the view calls.
    """

    scope_fields: ClassVar[tuple[str, ...]] = ("community",)
    movable_fields: ClassVar[tuple[str, ...]] = ()
    scope_perm: ClassVar[str] = ""

    instance: Any
    context: dict[str, Any]

    def run_validation(self, data: Any = empty) -> Any:
        attrs = super().run_validation(data)  # type: ignore[misc]
        if attrs is not None:
            if self.instance is None:
                self._check_new_scope(attrs)
            else:
                self._check_scope_change(attrs)
        return attrs

    def _check_scope_change(self, attrs: dict[str, Any]) -> None:
        errors: dict[str, list[Any]] = {}
        for name in self.scope_fields:
            if name in attrs and _pk(attrs[name]) != _pk(getattr(self.instance, name)):
                errors[name] = [ErrorDetail(str(SCOPE_FIXED), code="scope_fixed")]
        community_id = community_id_of(self.instance)
        for name in self.movable_fields:
            target = attrs.get(name)
            if target is not None and community_id_of(target) != community_id:
                errors[name] = [ErrorDetail(str(OTHER_COMMUNITY), code="other_community")]
        if errors:
            raise serializers.ValidationError(errors)

    def _check_new_scope(self, attrs: dict[str, Any]) -> None:
        given = [
            (name, attrs[name])
            for name in (*self.scope_fields, *self.movable_fields)
            if attrs.get(name) is not None
        ]
        if not given:
            return
        first_name, first = given[0]
        community_id = community_id_of(first)
        for name, target in given[1:]:
            if community_id_of(target) != community_id:
                raise serializers.ValidationError(
                    {name: [ErrorDetail(str(OTHER_COMMUNITY), code="other_community")]}
                )
        self._check_may_write(first_name, first, community_id)

    def _check_may_write(self, name: str, target: Any, community_id: int | None) -> None:
        from guanjia.core.access import get_access

        access = get_access(self.context["request"].user)
        if access.has_perm(self._scope_perm(), community_id):
            return
        if community_id in access.community_ids:  # seen there, but no authority: 403
            raise exceptions.PermissionDenied(NOT_YOURS)
        # A community the caller cannot see: as if the row did not exist.
        message = PrimaryKeyRelatedField.default_error_messages["does_not_exist"]
        detail = ErrorDetail(str(message).format(pk_value=target.pk), code="does_not_exist")
        raise serializers.ValidationError({name: [detail]})

    def _scope_perm(self) -> str:
        if self.scope_perm:
            return self.scope_perm
        meta = self.Meta.model._meta  # type: ignore[attr-defined]
        return f"{meta.app_label}.add_{meta.model_name}"


__all__ = [
    "UPLOAD_PARSERS",
    "CommunityViewSet",
    "HasViewPerm",
    "JSONParser",
    "Pagination",
    "ScopedSerializerMixin",
    "ServiceSaveMixin",
    "VisibleCommunityField",
    "exception_handler",
]

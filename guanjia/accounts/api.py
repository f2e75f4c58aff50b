"""Accounts API: who am I, with my roles and communities; staff accounts."""

from typing import Any

from django.contrib.auth import authenticate
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from guanjia.core.access import (
    get_access,
    get_visible_or_404,
    has_perm_in,
    request_user,
    require_perm,
)
from guanjia.core.api import ScopedSerializerMixin
from guanjia.core.models import Community
from guanjia.core.roles import Role

from .filters import StaffFilter
from .models import APPROVE_GRANT, Membership, RoleGrantRequest, User, mobile_validator
from .selectors import pending_grant_requests, with_current_memberships
from .services import (
    RoleGrant,
    StaffDetails,
    add_membership,
    approve_role_grant,
    create_api_token,
    create_staff,
    reject_role_grant,
    update_staff,
)


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    full_name = serializers.CharField()
    roles = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
    communities = serializers.ListField(child=serializers.IntegerField())


@extend_schema(responses=MeSerializer)
@api_view(["GET"])
def me(request: Request) -> Response:
    access = get_access(request.user)
    data: dict[str, Any] = {
        "username": request.user.get_username(),
        "full_name": getattr(request.user, "display_name", ""),
        "roles": {
            str(cid or "company"): sorted(roles) for cid, roles in access.roles_by_community.items()
        },
        "communities": access.community_ids,
    }
    return Response(MeSerializer(data).data)


# --- Staff accounts ------------------------------------------------------------------------


class StaffPermission(BasePermission):
    """view_user to read, add_user to create, change_user to edit (anywhere in the company)."""

    PERMS = {
        "GET": "accounts.view_user",
        "HEAD": "accounts.view_user",
        "OPTIONS": "accounts.view_user",
        "POST": "accounts.add_user",
        "PATCH": "accounts.change_user",
    }

    def has_permission(self, request: Request, view: Any) -> bool:
        perm = self.PERMS.get(request.method or "")
        return perm is None or has_perm_in(request.user, perm, None)  # None: the view says 405


class StaffMembershipSerializer(serializers.Serializer):
    role = serializers.CharField(source="role.name")
    community = serializers.IntegerField(source="community_id", allow_null=True)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(allow_null=True)
    is_acting = serializers.BooleanField()


class StaffSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    username = serializers.CharField(max_length=150)
    full_name = serializers.CharField(max_length=50)
    staff_no = serializers.CharField(max_length=20, required=False, allow_blank=True)
    phone = serializers.CharField(
        max_length=20,
        required=False,
        allow_blank=True,
        write_only=True,
        validators=[mobile_validator],
        help_text=_("Write only: lists and details show phone_masked."),
    )
    phone_masked = serializers.CharField(source="masked_phone", read_only=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    is_active = serializers.BooleanField(read_only=True)
    memberships = StaffMembershipSerializer(
        source="current_memberships", many=True, read_only=True, default=list
    )
    password = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        style={"input_type": "password"},
        help_text=_("Initial password; leave out to have one generated and returned once."),
    )

    def validate_username(self, value: str) -> str:
        if self.instance is not None and value != self.instance.username:
            raise serializers.ValidationError(_("The username cannot be changed."))
        return value

    def details(self, instance: User | None = None) -> StaffDetails:
        data = self.validated_data
        return StaffDetails(
            **{
                name: data.get(name, getattr(instance, name, ""))
                for name in ("full_name", "staff_no", "phone", "email")
            }
        )


class StaffCreatedSerializer(StaffSerializer):
    initial_password = serializers.CharField(
        read_only=True, allow_null=True, help_text=_("Only when generated; shown this once.")
    )


def _staff_queryset(request: Request) -> Any:
    visible = User.objects.visible_to(request.user).order_by("username")
    return with_current_memberships(visible, request_user(request))


class StaffListView(generics.ListCreateAPIView):
    """Staff accounts the caller may see (filters: q, role, community, is_active)."""

    permission_classes = [IsAuthenticated, StaffPermission]
    serializer_class = StaffSerializer
    filterset_class = StaffFilter

    def get_queryset(self) -> Any:
        return _staff_queryset(self.request)

    @extend_schema(responses={201: StaffCreatedSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = StaffSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        new = create_staff(
            username=serializer.validated_data["username"],
            details=serializer.details(),
            password=serializer.validated_data.get("password") or None,
            by=request_user(request),
        )
        new.user.current_memberships = []  # type: ignore[attr-defined]  # none yet
        data = StaffSerializer(new.user).data
        data["initial_password"] = new.password if new.generated else None
        return Response(data, status=status.HTTP_201_CREATED)


class StaffDetailView(generics.RetrieveUpdateAPIView):
    """One staff account: read it, or change its roster fields (PATCH)."""

    permission_classes = [IsAuthenticated, StaffPermission]
    serializer_class = StaffSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self) -> Any:
        return _staff_queryset(self.request)

    def patch(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        staff = self.get_object()
        serializer = StaffSerializer(staff, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        update_staff(user=staff, details=serializer.details(staff), by=request_user(request))
        return Response(StaffSerializer(self.get_object()).data)


# --- Roles: given at once, or (a sensitive role) after a second authorised person approves ---


class RoleGrantBodySerializer(ScopedSerializerMixin, serializers.Serializer):
    """A role to give; the community must be one where the caller may give roles."""

    scope_perm = "accounts.add_membership"

    role = serializers.ChoiceField(choices=Role.choices)
    community = serializers.PrimaryKeyRelatedField(
        queryset=Community.objects.all(),
        allow_null=True,
        default=None,
        help_text=_("A community you work in; null for a company-wide role."),
    )
    starts_on = serializers.DateField(required=False)
    ends_on = serializers.DateField(required=False, allow_null=True, default=None)
    is_acting = serializers.BooleanField(required=False, default=False)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)

    def grant(self) -> RoleGrant:
        data = self.validated_data
        return RoleGrant(
            role=data["role"],
            community=data["community"],
            starts_on=data.get("starts_on") or timezone.localdate(),
            ends_on=data["ends_on"],
            is_acting=data["is_acting"],
            note=data["note"],
        )


class RoleGrantRequestSerializer(serializers.ModelSerializer):
    user = serializers.IntegerField(source="user_id", read_only=True)
    community = serializers.IntegerField(source="community_id", read_only=True, allow_null=True)
    requested_by = serializers.IntegerField(source="requested_by_id", read_only=True)
    decided_by = serializers.IntegerField(source="decided_by_id", read_only=True, allow_null=True)

    class Meta:
        model = RoleGrantRequest
        fields = [
            "id",
            "user",
            "role",
            "community",
            "starts_on",
            "ends_on",
            "is_acting",
            "note",
            "status",
            "requested_by",
            "requested_at",
            "decided_by",
            "decided_at",
            "reason",
        ]
        read_only_fields = fields


class RoleGrantOutcomeSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["granted", "requested"])
    membership = serializers.IntegerField(allow_null=True)
    request = RoleGrantRequestSerializer(allow_null=True)


@extend_schema(request=RoleGrantBodySerializer, responses={201: RoleGrantOutcomeSerializer})
@api_view(["POST"])
def user_role_add(request: Request, pk: int) -> Response:
    """Give a staff member a role. A role that approves money, policies or personal data
    (director, finance, HR, management, administrator) is not given yet: 202 with the
    request that a second authorised person approves. A role for oneself: 403."""
    require_perm(request.user, "accounts.add_membership")
    staff = get_visible_or_404(User, request.user, pk=pk)
    body = RoleGrantBodySerializer(data=request.data, context={"request": request})
    body.is_valid(raise_exception=True)
    given = add_membership(user=staff, grant=body.grant(), by=request_user(request))
    if isinstance(given, Membership):
        data = {"status": "granted", "membership": given.pk, "request": None}
        return Response(RoleGrantOutcomeSerializer(data).data, status=status.HTTP_201_CREATED)
    data = {"status": "requested", "membership": None, "request": given}
    return Response(RoleGrantOutcomeSerializer(data).data, status=status.HTTP_202_ACCEPTED)


@extend_schema(responses=RoleGrantRequestSerializer(many=True))
@api_view(["GET"])
def role_grant_list(request: Request) -> Response:
    """Grants of sensitive roles awaiting a decision, oldest first (at most 200)."""
    require_perm(request.user, APPROVE_GRANT)
    rows = pending_grant_requests(request_user(request))[:200]
    return Response(RoleGrantRequestSerializer(rows, many=True).data)


class DecisionSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


def _decide(request: Request, pk: int, *, approve: bool) -> Response:
    require_perm(request.user, APPROVE_GRANT)
    grant = get_object_or_404(RoleGrantRequest.objects.visible_to(request_user(request)), pk=pk)
    body = DecisionSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    reason, by = body.validated_data["reason"], request_user(request)
    if approve:
        approve_role_grant(request=grant, by=by, reason=reason)
    else:
        reject_role_grant(request=grant, by=by, reason=reason)
    return Response(RoleGrantRequestSerializer(grant).data)


@extend_schema(request=DecisionSerializer, responses=RoleGrantRequestSerializer)
@api_view(["POST"])
def role_grant_approve(request: Request, pk: int) -> Response:
    """Approve a pending grant (not your own request, not a role for yourself)."""
    return _decide(request, pk, approve=True)


@extend_schema(request=DecisionSerializer, responses=RoleGrantRequestSerializer)
@api_view(["POST"])
def role_grant_reject(request: Request, pk: int) -> Response:
    """Reject a pending grant; `reason` is required."""
    return _decide(request, pk, approve=False)


# --- API tokens (django-rest-knox; ADR 0006) ------------------------------------------------


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False)
    name = serializers.CharField(
        max_length=60,
        required=False,
        default="",
        allow_blank=True,
        help_text=_("A label to tell your tokens apart (e.g. the script that uses it)."),
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text=_("Shown this once: only its digest is stored."))
    expiry = serializers.DateTimeField()
    name = serializers.CharField()


@extend_schema(request=TokenRequestSerializer, responses=TokenSerializer)
@api_view(["POST"])
@authentication_classes([])
@permission_classes([AllowAny])
def obtain_token(request: Request) -> Response:
    """A new API token for a username and password (send it as `Authorization: Token <key>`).
    It expires after `accounts.api_token_ttl_hours`; a new password, deactivation or "log out
    everywhere" ends it sooner. Failed attempts count toward the login lockout like the login
    page's."""
    body = TokenRequestSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    name = body.validated_data.pop("name")
    # The underlying HttpRequest: django-axes records the attempt and marks a lockout on it.
    user = authenticate(request._request, **body.validated_data)
    if user is None:
        detail = _("Wrong username or password, or the account is deactivated.")
        return Response(
            {"detail": detail, "code": "invalid_credentials"}, status=status.HTTP_400_BAD_REQUEST
        )
    token, key = create_api_token(user=user, name=name)
    data = {"token": key, "expiry": token.expiry, "name": token.name}
    return Response(TokenSerializer(data).data)


app_name = "accounts-api"
urlpatterns = [
    path("me/", me, name="me"),
    path("token/", obtain_token, name="token"),
    path("users/", StaffListView.as_view(), name="user-list"),
    path("users/<int:pk>/", StaffDetailView.as_view(), name="user-detail"),
    path("users/<int:pk>/roles/", user_role_add, name="user-role-add"),
    path("role-grants/", role_grant_list, name="role-grant-list"),
    path("role-grants/<int:pk>/approve/", role_grant_approve, name="role-grant-approve"),
    path("role-grants/<int:pk>/reject/", role_grant_reject, name="role-grant-reject"),
]

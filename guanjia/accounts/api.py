"""Accounts API: who am I, with my roles and communities; staff accounts."""

from typing import Any

from django.contrib.auth import authenticate
from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from guanjia.core.access import get_access, has_perm_in, request_user

from .filters import StaffFilter
from .models import User, mobile_validator
from .selectors import with_current_memberships
from .services import StaffDetails, create_api_token, create_staff, update_staff


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
    return with_current_memberships(visible, request.user)


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
]

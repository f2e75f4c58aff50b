"""API token authentication: django-rest-knox's, plus the checks Guanjia adds (ADR 0006).

knox refuses an expired token (and deletes it) and an inactive user. Here a token also dies
when its user's session auth hash has changed since it was made (a new password by any path,
or "log out everywhere"), and its last use is recorded (at most once a minute).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox.auth import TokenAuthentication
from rest_framework import exceptions

from .models import ApiToken, User
from .services.tokens import auth_check_of

LAST_USED_EVERY = dt.timedelta(minutes=1)


class ApiTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>` with a knox token of `accounts.ApiToken`."""

    def validate_user(self, auth_token: ApiToken) -> tuple[User, ApiToken]:
        user, token = super().validate_user(auth_token)
        if token.auth_check != auth_check_of(user):
            token.delete()
            raise exceptions.AuthenticationFailed(
                _("This token was revoked: the password changed or the user logged out everywhere.")
            )
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return user, token


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI schema documents the token (`Authorization: Token <key>`)."""

    target_class = ApiTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        keyword = "Token"  # the header's keyword, as knox's AUTH_HEADER_PREFIX
        return build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix=keyword
        )

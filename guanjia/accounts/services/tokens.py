"""API tokens (django-rest-knox, ADR 0006): made with an expiry from policy, listed and
revoked by their owner or an administrator, and all ended by "log out everywhere", a new
password and deactivation."""

from __future__ import annotations

import datetime as dt
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from guanjia.core.access import has_perm_in
from guanjia.core.policies.selectors import policy

from ..models import ApiToken, User
from ..policies import API_TOKEN_TTL, API_TOKENS_PER_USER

NAME_MAX_LENGTH = 60
CLEANUP_LABEL = gettext_noop("Delete expired API tokens")  # stored, translated when shown


def auth_check_of(user: User) -> str:
    """What a token stores of its user's session auth hash: a new password or "log out
    everywhere" changes that hash, and every token made before stops working."""
    return salted_hmac("guanjia.accounts.ApiToken", user.get_session_auth_hash()).hexdigest()


def live_tokens(user: User) -> list[ApiToken]:
    """The user's tokens that still work, newest first."""
    rows = ApiToken.objects.filter(user=user, expiry__gt=timezone.now())
    return list(rows.filter(auth_check=auth_check_of(user)).order_by("-created"))


@transaction.atomic
def create_api_token(*, user: User, name: str = "") -> tuple[ApiToken, str]:
    """A new token for `user` (who has just proved their password). Returns the row and the
    key, which is shown this once: only its digest is stored."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    name = " ".join(name.split())
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError(
            {"name": _("At most %(limit)d characters.") % {"limit": NAME_MAX_LENGTH}}
        )
    limit = int(policy(None, API_TOKENS_PER_USER))
    if len(live_tokens(locked)) >= limit:
        message = _("You already hold %(limit)d valid API tokens: revoke one first.")
        raise ValidationError(message % {"limit": limit}, code="too_many_tokens")
    hours = int(policy(None, API_TOKEN_TTL))
    return ApiToken.objects.create(
        user=locked, expiry=dt.timedelta(hours=hours), name=name, auth_check=auth_check_of(locked)
    )


def may_manage_tokens(by: User, owner: User) -> bool:
    """The owner manages their own tokens; an administrator (change_user) anyone's."""
    return by.pk == owner.pk or has_perm_in(by, "accounts.change_user", None)


@transaction.atomic
def revoke_api_token(*, token: ApiToken, by: User) -> None:
    """End one token at once (its owner, or an administrator)."""
    if not may_manage_tokens(by, token.user):
        raise PermissionDenied(_("Only the owner or an administrator may revoke this token."))
    ApiToken.objects.filter(pk=token.pk).delete()


def delete_expired_tokens() -> dict[str, int]:
    """Delete every API token past its expiry (knox leaves them in the table; they no
    longer authenticate, but the table would grow with every token ever made)."""
    deleted, _by_model = ApiToken.objects.filter(expiry__lte=timezone.now()).delete()
    return {"tokens_deleted": deleted}


def delete_expired_tokens_daily() -> dict[str, int] | None:
    """The `accounts.token_cleanup` schedule: at most one clean-up per local day."""
    from guanjia.core.jobs.services import run_once

    key = f"accounts.token_cleanup:{timezone.localdate().isoformat()}"
    return run_once(key, delete_expired_tokens, label=CLEANUP_LABEL)


def revoke_all_api_tokens(*, user: User) -> int:
    """End every token of `user` (a new password, deactivation); returns how many."""
    deleted, _by_model = ApiToken.objects.filter(user=user).delete()
    return deleted


@transaction.atomic
def log_out_everywhere(*, user: User) -> int:
    """End every session and every API token of `user`. The caller keeps its own session by
    calling `update_session_auth_hash` afterwards. Returns the number of tokens ended."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    locked.auth_stamp = secrets.token_hex(16)
    locked.save(update_fields=["auth_stamp"])
    user.auth_stamp = locked.auth_stamp
    return revoke_all_api_tokens(user=locked)

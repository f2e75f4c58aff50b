"""The accounts app's configurable numbers, registered with core.policies."""

from django.utils.translation import gettext_lazy as _

from guanjia.core.policies.registry import Kind, PolicySpec, Scope, register

API_TOKEN_TTL = "accounts.api_token_ttl_hours"  # noqa: S105  # a policy key, not a secret
API_TOKENS_PER_USER = "accounts.api_tokens_per_user"

register(
    PolicySpec(
        API_TOKEN_TTL,
        Kind.INTEGER,
        720,
        _("API tokens expire after"),
        "26",
        "hours",
        1,
        8760,
        scope=Scope.COMPANY,
        help_text=_("A token's expiry is set when it is made; a new value applies to new tokens."),
    ),
    PolicySpec(
        API_TOKENS_PER_USER,
        Kind.INTEGER,
        10,
        _("Valid API tokens a user may hold at once"),
        "26",
        "",
        1,
        100,
        scope=Scope.COMPANY,
        help_text=_("Past this number a new token is refused until one is revoked or expires."),
    ),
)

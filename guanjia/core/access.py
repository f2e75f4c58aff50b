"""Who may see and do what, where: the interface core defines and accounts implements.

Core's mechanisms (tenancy, policies, jobs, imports, notifications, documents, the shell)
ask these functions which communities a user sees and which permissions he holds there;
they never read memberships. The answer comes from the one app whose AppConfig names an
`access_provider` (accounts: `guanjia.accounts.access.AccountsAccess`), an object with the
methods of `AccessProvider`. So core imports no app, and the layer test
(`guanjia/core/tests/test_layers.py`) keeps it so; see docs/decisions/0007-layers.md.

An Access is computed once per user object (that is, once per request) and kept on it, so
permission checks in a loop cost no queries.
"""

from __future__ import annotations

import functools
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest
from django.utils.module_loading import import_string

from .models import Community

if TYPE_CHECKING:
    # django-stubs' placeholder for settings.AUTH_USER_MODEL: the type checker sees the
    # configured staff model (accounts.User) without core importing the app that defines it.
    from django.contrib.auth.models import _User as User
else:  # at run time a name for annotations and casts only; the model is get_user_model()
    from django.contrib.auth.base_user import AbstractBaseUser as User

__all__ = [
    "Access",
    "AccessProvider",
    "AnyUser",
    "Duty",
    "User",
    "communities_with_perm",
    "forget_access",
    "get_access",
    "get_visible_or_404",
    "has_perm_in",
    "request_user",
    "require_perm",
    "roles_of",
    "staff_holding",
    "staff_on_duty",
    "visible_community_ids",
]

ModelT = TypeVar("ModelT", bound=Model)

# Whoever a request carries: a staff member, an anonymous visitor, or nobody (a job).
AnyUser = User | AnonymousUser | None

_CACHE_ATTR = "_guanjia_access"


@dataclass
class Access:
    """A user's effective permissions today: company-wide ones and per community."""

    is_superuser: bool = False
    company_perms: set[str] = field(default_factory=set)
    community_perms: dict[int, set[str]] = field(default_factory=dict)
    community_ids: list[int] = field(default_factory=list)
    # Role codes (guanjia.core.roles.Role) held per community; None: company-wide.
    roles_by_community: dict[int | None, set[str]] = field(default_factory=dict)
    # The visible communities themselves (with their company), by name: the current
    # community and the switcher take them from here instead of querying again.
    communities: list[Community] = field(default_factory=list)

    def has_perm(self, perm: str, community_id: int | None) -> bool:
        if self.is_superuser or perm in self.company_perms:
            return True
        if community_id is None:
            return any(perm in perms for perms in self.community_perms.values())
        return perm in self.community_perms.get(community_id, set())

    def communities_with(self, perm: str) -> list[int]:
        if self.is_superuser or perm in self.company_perms:
            return list(self.community_ids)
        return [cid for cid, perms in self.community_perms.items() if perm in perms]

    @property
    def is_company_wide(self) -> bool:
        """Whether the user holds a company-wide role (finance, HR, management, ...)."""
        return None in self.roles_by_community


@dataclass(frozen=True)
class Duty:
    """One role held today in a community by one active staff member (the contact sheet)."""

    role: str  # a role code
    name: str  # the staff member's display name
    is_acting: bool


class AccessProvider(Protocol):
    """What the app that stores memberships answers for core (accounts implements it)."""

    def compute_access(self, user: User) -> Access:
        """The Access of an active, logged-in user (anonymous and inactive ones never reach
        the provider: they have no access)."""
        ...

    def staff_holding(
        self, perms: Collection[str], *, company_id: int, community_id: int | None
    ) -> QuerySet[User]:
        """Active staff holding any of `perms` today: company-wide in `company_id`, or (with
        `community_id`) company-wide or in that community."""
        ...

    def staff_on_duty(self, community: Community) -> list[Duty]:
        """The roles held today in `community` by active staff, by staff name."""
        ...


@functools.cache
def provider() -> AccessProvider:
    """The provider named by the one app that declares `access_provider` on its AppConfig."""
    paths = [
        config.access_provider
        for config in apps.get_app_configs()
        if hasattr(config, "access_provider")
    ]
    if len(paths) != 1:
        raise ImproperlyConfigured(
            f"exactly one installed app must declare access_provider; found {paths}"
        )
    found: AccessProvider = import_string(paths[0])()
    return found


def get_access(user: AnyUser) -> Access:
    """The user's Access, computed on first use and cached on the user object."""
    cached: Access | None = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    if user is None or not user.is_authenticated or not user.is_active:
        access = Access()
    else:
        access = provider().compute_access(user)
    if user is not None:
        setattr(user, _CACHE_ATTR, access)
    return access


def forget_access(user: AnyUser) -> None:
    """Drop the cached Access (after memberships change within the same request)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def visible_community_ids(user: AnyUser) -> list[int] | None:
    """Communities whose data the user may see; None means all (superuser)."""
    access = get_access(user)
    return None if access.is_superuser else access.community_ids


def has_perm_in(user: AnyUser, perm: str, community: Community | int | None) -> bool:
    """Whether the user holds `perm` in that community (or anywhere, with None)."""
    community_id = community.pk if isinstance(community, Community) else community
    return get_access(user).has_perm(perm, community_id)


def communities_with_perm(user: AnyUser, perm: str) -> list[int]:
    return get_access(user).communities_with(perm)


def roles_of(user: AnyUser) -> set[str]:
    """Every role code the user holds today, anywhere."""
    access = get_access(user)
    return set().union(*access.roles_by_community.values()) if access.roles_by_community else set()


def require_perm(user: AnyUser, perm: str, community: Community | int | None = None) -> None:
    """Raise PermissionDenied (403) unless the user holds `perm` there."""
    if not has_perm_in(user, perm, community):
        raise PermissionDenied


def get_visible_or_404(
    queryset: type[ModelT] | QuerySet[ModelT], user: AnyUser, **lookup: Any
) -> ModelT:
    """The one object matching `lookup` among those the user may see, else Http404.

    `queryset` is a model or a queryset whose model has a `visible_to` queryset method.
    """
    rows: Any = queryset._default_manager.all() if isinstance(queryset, type) else queryset
    try:
        found: ModelT = rows.visible_to(user).get(**lookup)
    except (rows.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    return found


def request_user(request: HttpRequest) -> User:
    """The logged-in staff member of a request (LoginRequiredMiddleware keeps anonymous
    visitors out of every view that calls this)."""
    user: User = request.user  # type: ignore[assignment]  # never anonymous here
    return user


def staff_holding(
    perms: Collection[str], *, company_id: int, community_id: int | None = None
) -> QuerySet[User]:
    """Active staff holding any of `perms` today (see `AccessProvider.staff_holding`)."""
    return provider().staff_holding(perms, company_id=company_id, community_id=community_id)


def staff_on_duty(community: Community) -> list[Duty]:
    """Who holds which role in `community` today (see `AccessProvider.staff_on_duty`)."""
    return provider().staff_on_duty(community)

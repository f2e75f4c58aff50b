"""Who may see and do what, where: the one place that resolves memberships to permissions.

The answer is computed once per user object (that is, once per request) and kept on it, so
permission checks in a loop cost no queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import Permission

from guanjia.core.models import Community

from .models import Membership

_CACHE_ATTR = "_guanjia_access"


@dataclass
class Access:
    """A user's effective permissions today: company-wide ones and per community."""

    is_superuser: bool = False
    company_perms: set[str] = field(default_factory=set)
    community_perms: dict[int, set[str]] = field(default_factory=dict)
    community_ids: list[int] = field(default_factory=list)
    roles_by_community: dict[int | None, set[str]] = field(default_factory=dict)

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


def get_access(user: Any) -> Access:
    """The user's Access, computed on first use and cached on the user object."""
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    access = _compute_access(user)
    if user is not None:
        setattr(user, _CACHE_ATTR, access)
    return access


def forget_access(user: Any) -> None:
    """Drop the cached Access (after memberships change within the same request)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def _compute_access(user: Any) -> Access:
    if user is None or not user.is_authenticated or not user.is_active:
        return Access()
    if user.is_superuser:
        return Access(
            is_superuser=True,
            community_ids=list(
                Community.objects.filter(is_active=True).values_list("pk", flat=True)
            ),
        )
    memberships = list(
        Membership.objects.active_on()
        .filter(user=user)
        .values_list("role_id", "role__name", "community_id")
    )
    role_ids = {role_id for role_id, _, _ in memberships}
    perms_by_role: dict[int, set[str]] = {}
    for group_id, app_label, codename in Permission.objects.filter(group__in=role_ids).values_list(
        "group", "content_type__app_label", "codename"
    ):
        perms_by_role.setdefault(group_id, set()).add(f"{app_label}.{codename}")

    access = Access()
    for role_id, role_name, community_id in memberships:
        access.roles_by_community.setdefault(community_id, set()).add(role_name)
        perms = perms_by_role.get(role_id, set())
        if community_id is None:
            access.company_perms |= perms
        else:
            access.community_perms.setdefault(community_id, set()).update(perms)
    company_wide = None in access.roles_by_community
    communities = Community.objects.filter(is_active=True)
    if company_wide and user.company_id:
        communities = communities.filter(company_id=user.company_id)
    else:
        communities = communities.filter(
            pk__in=access.community_perms.keys()
            | {cid for cid in access.roles_by_community if cid is not None}
        )
    access.community_ids = list(communities.order_by("name").values_list("pk", flat=True))
    return access


def visible_community_ids(user: Any) -> list[int] | None:
    """Communities whose data the user may see; None means all (superuser)."""
    access = get_access(user)
    return None if access.is_superuser else access.community_ids


def has_perm_in(user: Any, perm: str, community: Community | int | None) -> bool:
    """Whether the user holds `perm` in that community (or anywhere, with None)."""
    community_id = community.pk if isinstance(community, Community) else community
    return get_access(user).has_perm(perm, community_id)


def communities_with_perm(user: Any, perm: str) -> list[int]:
    return get_access(user).communities_with(perm)


def roles_of(user: Any) -> set[str]:
    """Every role the user holds today, anywhere."""
    access = get_access(user)
    return set().union(*access.roles_by_community.values()) if access.roles_by_community else set()


def get_visible_or_404(queryset: Any, user: Any, **lookup: Any) -> Any:
    """The one object matching `lookup` among those the user may see, else Http404.

    `queryset` is a model or a queryset whose model has a `visible_to` queryset method.
    """
    from django.http import Http404

    if hasattr(queryset, "_default_manager"):
        queryset = queryset._default_manager.all()
    try:
        return queryset.visible_to(user).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def require_perm(user: Any, perm: str, community: Community | int | None = None) -> None:
    """Raise PermissionDenied (403) unless the user holds `perm` there."""
    from django.core.exceptions import PermissionDenied

    if not has_perm_in(user, perm, community):
        raise PermissionDenied

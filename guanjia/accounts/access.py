"""Accounts' answer to core's access interface (`guanjia.core.access.AccessProvider`):
memberships resolved to permissions and communities. Named on `AccountsConfig` as its
`access_provider`; nothing else calls it directly."""

from __future__ import annotations

from collections.abc import Collection

from django.contrib.auth.models import Permission
from django.db.models import Q, QuerySet

from guanjia.core.access import Access, Duty
from guanjia.core.models import Community

from .models import Membership, User


class AccountsAccess:
    """Resolves staff memberships (role × community × period) for core."""

    def compute_access(self, user: User) -> Access:
        if user.is_superuser:
            everyone = list(
                Community.objects.filter(is_active=True).select_related("company").order_by("name")
            )
            return Access(
                is_superuser=True, community_ids=[c.pk for c in everyone], communities=everyone
            )
        memberships = list(
            Membership.objects.active_on()
            .filter(user=user)
            .values_list("role_id", "role__name", "community_id")
        )
        access = Access()
        perms_by_role = _perms_by_role({role_id for role_id, _name, _where in memberships})
        for role_id, role_name, community_id in memberships:
            access.roles_by_community.setdefault(community_id, set()).add(role_name)
            perms = perms_by_role.get(role_id, set())
            if community_id is None:
                access.company_perms |= perms
            else:
                access.community_perms.setdefault(community_id, set()).update(perms)
        access.communities = _visible_communities(user, access)
        access.community_ids = [c.pk for c in access.communities]
        return access

    def staff_holding(
        self, perms: Collection[str], *, company_id: int, community_id: int | None
    ) -> QuerySet[User]:
        where = Q(community__isnull=True, user__company=company_id)
        if community_id is not None:
            where |= Q(community=community_id)
        codes = Q()
        for perm in perms:
            app_label, codename = perm.split(".", 1)
            codes |= Q(
                role__permissions__content_type__app_label=app_label,
                role__permissions__codename=codename,
            )
        holders = Membership.objects.active_on().filter(where).filter(codes)
        result: QuerySet[User] = User.objects.filter(
            is_active=True, pk__in=holders.values("user_id")
        )
        return result

    def staff_on_duty(self, community: Community) -> list[Duty]:
        memberships = (
            Membership.objects.active_on()
            .filter(community=community, user__is_active=True)
            .select_related("user", "role")
            .order_by("user__full_name", "user__username")
        )
        return [Duty(m.role.name, m.user.display_name, m.is_acting) for m in memberships]


def _perms_by_role(role_ids: set[int]) -> dict[int, set[str]]:
    perms_by_role: dict[int, set[str]] = {}
    for group_id, app_label, codename in Permission.objects.filter(group__in=role_ids).values_list(
        "group", "content_type__app_label", "codename"
    ):
        perms_by_role.setdefault(group_id, set()).add(f"{app_label}.{codename}")
    return perms_by_role


def _visible_communities(user: User, access: Access) -> list[Community]:
    """A company-wide role sees the company's communities; others those they work in."""
    communities = Community.objects.filter(is_active=True)
    if access.is_company_wide and user.company_id:
        communities = communities.filter(company_id=user.company_id)
    else:
        communities = communities.filter(
            pk__in=access.community_perms.keys()
            | {cid for cid in access.roles_by_community if cid is not None}
        )
    return list(communities.select_related("company").order_by("name"))

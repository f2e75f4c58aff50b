"""Who may change what in the registry: the area manager's own-zone rule (spec §26 rule 3)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanjia.core.access import get_access, require_perm
from guanjia.core.models import Community
from guanjia.core.roles import Role

from ..models import Zone

if TYPE_CHECKING:
    from guanjia.core.access import User

# Roles that change the registry of the whole community; an area manager holding none of
# them changes only the units of the zones they manage (or cover as acting manager) today.
COMMUNITY_WIDE_EDITORS = frozenset({Role.RECEPTIONIST, Role.SUPERVISOR, Role.ADMIN})


def is_zone_bound(user: User, community: Community) -> bool:
    """Whether the user edits only their own zones in `community`."""
    access = get_access(user)
    if access.is_superuser:
        return False
    roles = access.roles_by_community.get(community.pk, set()) | access.roles_by_community.get(
        None, set()
    )
    return Role.AREA_MANAGER in roles and not roles & COMMUNITY_WIDE_EDITORS


def managed_zone_ids(user: User, community: Community, day: dt.date | None = None) -> set[int]:
    """Zones of `community` the user manages on `day`, as area manager or acting one."""
    day = day or timezone.localdate()
    cache: dict[tuple[int, dt.date], set[int]] = user.__dict__.setdefault("_estates_zones", {})
    key = (community.pk, day)
    if key not in cache:
        cache[key] = set(
            Zone.objects.filter(community=community)
            .filter(
                Q(area_manager=user)
                | Q(acting_manager=user, acting_from__lte=day, acting_to__gte=day)
            )
            .values_list("pk", flat=True)
        )
    return cache[key]


def can_edit_in_zone(user: User, community: Community, zone_id: int | None) -> bool:
    if zone_id is None or not is_zone_bound(user, community):
        return True
    return zone_id in managed_zone_ids(user, community)


def require_edit(user: User, perm: str, community: Community, zone_id: int | None = None) -> None:
    """PermissionDenied unless the user holds `perm` there and, if zone-bound, manages the zone."""
    require_perm(user, perm, community)
    if not can_edit_in_zone(user, community, zone_id):
        raise PermissionDenied(_("This unit is in a zone another area manager looks after."))

"""The violation types' list (spec §11, §25.9): a community adds its own and retires them;
the shared list is seeded by migration."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from guanjia.core.access import User, require_perm
from guanjia.core.models import Community

from ..models import TypeGroup, ViolationType
from ._common import field_error, required


@transaction.atomic
def add_type(
    *, community: Community, group: str, name: str, by: User, structural: bool = False
) -> ViolationType:
    require_perm(by, "violations.add_violationtype", community)
    if group not in TypeGroup.values:
        raise field_error("group", _("Choose the group of the type."), "invalid")
    text = required(name, "name", _("Name the type."))
    if ViolationType.objects.for_community(community).filter(name=text).exists():
        raise field_error("name", _("This community already has a type of this name."), "unique")
    return ViolationType.objects.create(
        community=community, group=group, name=text[:60], structural=structural
    )


@transaction.atomic
def retire_type(*, kind: ViolationType, by: User) -> ViolationType:
    """A community's own type leaves the dropdown (violations found with it keep it)."""
    if kind.community is None:
        raise field_error("kind", _("The shared list is kept for every community."), "shared_type")
    require_perm(by, "violations.change_violationtype", kind.community)
    kind.active = False
    kind.save(update_fields=["active", "updated_at"])
    return kind

"""Pass groups: opened by whoever sponsors a set of passes (a renovation site, a contractor,
an employer), suspended (its passes read "suspended site" at the gate), resumed, closed."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from guanjia.core import workflows
from guanjia.core.access import User, require_perm
from guanjia.core.models import Community

from ..models import GroupKind, GroupStatus, PassGroup
from ._common import field_error, required


@transaction.atomic
def open_group(
    *, community: Community, kind: str, name: str, by: User, sponsor: str = ""
) -> PassGroup:
    """A new active group. `sponsor`: free text naming what it belongs to ("renovation:123")."""
    require_perm(by, "passes.add_passgroup", community)
    if kind not in GroupKind.values:
        raise field_error("kind", _("Choose the kind of group."), "invalid")
    text = required(name, "name", _("Give the group a name."))
    if len(sponsor) > 100:
        raise field_error(
            "sponsor", _("At most %(limit)s characters.") % {"limit": 100}, "too_long"
        )
    group = PassGroup.objects.create(
        community=community, kind=kind, name=text, sponsor=sponsor.strip(), created_by=by
    )
    workflows.record_creation(group, by=by)
    return group


@transaction.atomic
def suspend_group(group: PassGroup, *, reason: str, by: User) -> PassGroup:
    """Stop every pass of the group at the gate ("suspended site") until it is resumed."""
    text = required(reason, "reason", _("Say why the group is suspended."), limit=500)
    workflows.transition(group, GroupStatus.SUSPENDED, by=by, note=text, reason=text)
    return group


@transaction.atomic
def resume_group(group: PassGroup, *, by: User, note: str = "") -> PassGroup:
    """Its passes work at the gate again."""
    workflows.transition(group, GroupStatus.ACTIVE, by=by, note=note.strip(), reason="")
    return group


@transaction.atomic
def close_group(group: PassGroup, *, by: User, note: str = "") -> PassGroup:
    """The sponsor's work is over: its passes read "expired" at the gate and are due back
    (their deposits refunded on return within the window)."""
    workflows.transition(group, GroupStatus.CLOSED, by=by, note=note.strip())
    return group

"""The community's sanction table: seeded from spec §19's examples, edited by the office."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from guanjia.core.access import User, require_perm
from guanjia.core.models import Community

from ..defaults import rows
from ..models import MEASURES, SanctionType
from ._common import field_error, text, yuan

HIGHEST = Decimal("100000")


def seed_table(community: Community) -> int:
    """Give a community the default table (the lines it lacks); returns how many were added."""
    have = set(SanctionType.objects.filter(community=community).values_list("code", flat=True))
    new = [SanctionType(**values) for values in rows(community.pk) if values["code"] not in have]
    SanctionType.objects.bulk_create(new)
    return len(new)


@transaction.atomic
def save_sanction_type(
    *,
    line: SanctionType,
    by: User,
    name: str,
    default_amount: Decimal | str,
    max_amount: Decimal | str,
    per_person: bool = False,
    plus_damage: bool = False,
    active: bool = True,
    measures: dict[str, bool] | None = None,
) -> SanctionType:
    """Change one line of the table: its name, amounts (default at most the highest) and
    default measures. Records keep the amounts they were decided with."""
    require_perm(by, "sanctions.change_sanctiontype", line.community_id)
    locked = SanctionType.objects.select_for_update().get(pk=line.pk)
    locked.name = text(name, "name", 60, required=True)
    high = yuan(max_amount, "max_amount", high=HIGHEST)
    default = yuan(default_amount, "default_amount", high=HIGHEST)
    if default > high:
        raise field_error(
            "default_amount",
            _("The default amount cannot be above the highest amount."),
            "above_max",
        )
    locked.max_amount, locked.default_amount = high, default
    locked.per_person, locked.plus_damage, locked.active = (
        bool(per_person),
        bool(plus_damage),
        bool(active),
    )
    for name_ in MEASURES:
        if measures is not None and name_ in measures:
            setattr(locked, name_, bool(measures[name_]))
    clash = SanctionType.objects.filter(community_id=locked.community_id, name=locked.name)
    if clash.exclude(pk=locked.pk).exists():
        raise field_error("name", _("The table already has a line of this name."), "duplicate")
    locked.save()
    for field in locked._meta.concrete_fields:
        setattr(line, field.attname, getattr(locked, field.attname))
    return locked

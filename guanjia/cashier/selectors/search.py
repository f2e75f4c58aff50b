"""The counter's search box: the units a room code, a name (or its pinyin) or a phone finds,
through the front desk's search (estates), in the cashier's current community."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Sum

from guanjia.billing.models import UnitBalance
from guanjia.core.models import Community
from guanjia.estates.models import Occupancy, Ownership, Unit
from guanjia.estates.selectors import search

if TYPE_CHECKING:
    from guanjia.core.access import User

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class UnitHit:
    unit: Unit
    owners: str
    outstanding: Decimal


def find_units(user: User, community: Community, q: str, limit: int = 20) -> list[UnitHit]:
    """Units of `community` that `q` finds directly (room) or through a person (owner or
    occupant), with their owners and what they owe (a bounded number of queries)."""
    hits = [h for h in search(user, q, community, limit=limit) if h.community_id == community.pk]
    ids = [h.pk for h in hits if h.kind == "unit"]
    people = [h.pk for h in hits if h.kind == "person"]
    if people:
        for model in (Ownership, Occupancy):
            ids += (
                model.objects.current()
                .filter(person_id__in=people)
                .values_list("unit_id", flat=True)
            )
    ids = list(dict.fromkeys(ids))[:limit]
    units = {u.pk: u for u in Unit.objects.filter(pk__in=ids, community=community).with_place()}
    owners: dict[int, list[str]] = {}
    for unit_id, name in (
        Ownership.objects.current()
        .filter(unit_id__in=ids)
        .order_by("-share", "pk")
        .values_list("unit_id", "person__name")
    ):
        owners.setdefault(unit_id, []).append(name)
    owing = dict(
        UnitBalance.objects.filter(unit_id__in=ids)
        .values_list("unit_id")
        .annotate(total=Sum("outstanding"))
        .order_by()
    )
    return [
        UnitHit(units[pk], "、".join(owners.get(pk, [])), owing.get(pk) or ZERO)
        for pk in ids
        if pk in units
    ]

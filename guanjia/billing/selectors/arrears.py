"""Arrears from the balance table (one indexed read, whatever the number of ledger lines).

Both reads scan only the partial index `unitbalance_owing` (community, unit, outstanding)
WHERE outstanding > 0, in unit order: an index-only scan, no sort for the GROUP BY. By unit,
the sums are ranked first and only the 50 rows kept look up their room."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, OuterRef, Subquery, Sum

from guanjia.estates.models import Unit

from ..models import UnitBalance


@dataclass(frozen=True)
class CommunityArrears:
    community_id: int
    units: int
    outstanding: Decimal


@dataclass(frozen=True)
class UnitArrears:
    unit_id: int
    room_code: str
    outstanding: Decimal


def arrears_by_community(community_ids: list[int] | None = None) -> list[CommunityArrears]:
    """Outstanding per community (None: the whole company's communities)."""
    rows = UnitBalance.objects.filter(outstanding__gt=0)
    if community_ids is not None:
        rows = rows.filter(community_id__in=community_ids)
    return [
        CommunityArrears(r["community_id"], r["units"], r["total"])
        for r in rows.values("community_id")
        .annotate(units=Count("unit_id", distinct=True), total=Sum("outstanding"))
        .order_by("community_id")
    ]


def arrears_by_unit(community_id: int, *, limit: int = 50, offset: int = 0) -> list[UnitArrears]:
    """The units of a community that owe most, with what they owe over every fee item (one
    query: the room code is a subquery PostgreSQL evaluates for the rows kept only);
    `offset` skips that many of the ranking (a list's later pages)."""
    room = Unit.objects.filter(pk=OuterRef("unit_id")).order_by().values("room_code")[:1]
    rows = (
        UnitBalance.objects.filter(community_id=community_id, outstanding__gt=0)
        .values("unit_id")
        .annotate(total=Sum("outstanding"))
        .annotate(room_code=Subquery(room))
        .order_by("-total", "unit_id")[offset : offset + limit]
    )
    return [UnitArrears(r["unit_id"], r["room_code"], r["total"]) for r in rows]

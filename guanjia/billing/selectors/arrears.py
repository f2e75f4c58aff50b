"""Arrears from the balance table (one indexed read, whatever the number of ledger lines)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Sum

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


def arrears_by_unit(community_id: int, *, limit: int = 50) -> list[UnitArrears]:
    """The units of a community that owe most, with what they owe over every fee item."""
    rows = (
        UnitBalance.objects.filter(community_id=community_id, outstanding__gt=0)
        .values("unit_id", "unit__room_code")
        .annotate(total=Sum("outstanding"))
        .order_by("-total", "unit_id")[:limit]
    )
    return [UnitArrears(r["unit_id"], r["unit__room_code"], r["total"]) for r in rows]

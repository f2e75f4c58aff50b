"""A unit's statement: its entries by month, and its balances."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from guanjia.core.money import format_money
from guanjia.estates.models import Unit
from guanjia.estates.selectors import TimelineEntry

from ..models import LedgerEntry, UnitBalance

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Statement:
    """What a unit owes: every entry, and the totals of its balance rows."""

    unit: Unit
    entries: list[LedgerEntry]
    billed: Decimal
    paid: Decimal
    waived: Decimal
    written_off: Decimal
    outstanding: Decimal
    prepaid: Decimal


def unit_statement(unit: Unit) -> Statement:
    """The statement of one unit (two queries, whatever the number of entries)."""
    entries = list(
        LedgerEntry.objects.filter(unit=unit)
        .select_related("fee_item")
        .order_by("period", "fee_item__priority", "pk")
    )
    sums = UnitBalance.objects.filter(unit=unit).aggregate(
        billed=Sum("billed"),
        paid=Sum("paid"),
        waived=Sum("waived"),
        written_off=Sum("written_off"),
        outstanding=Sum("outstanding"),
        prepaid=Sum("prepaid"),
    )
    return Statement(unit, entries, **{k: v if v is not None else ZERO for k, v in sums.items()})


def bills_for_unit(unit: Unit, *, limit: int) -> list[TimelineEntry]:
    """The unit's timeline: each bill and correction (one query)."""
    rows = (
        LedgerEntry.objects.filter(unit=unit)
        .select_related("fee_item", "created_by")
        .order_by("-created_at", "-pk")[:limit]
    )
    url = reverse("billing:unit-statement", kwargs={"pk": unit.pk})
    return [
        TimelineEntry(
            e.created_at,
            f"billing.{e.kind}",
            _("%(kind)s %(month)s %(item)s: %(amount)s")
            % {
                "kind": e.get_kind_display(),
                "month": f"{e.period:%Y-%m}",
                "item": e.fee_item.name,
                "amount": format_money(Decimal(e.amount)),
            },
            url,
            str(getattr(e.created_by, "display_name", "") or ""),
        )
        for e in rows
    ]

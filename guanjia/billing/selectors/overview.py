"""The billing overview of one community: what was billed month by month, where the arrears
are (by building, by fee item) and the totals. Each read is one grouped query, whatever the
number of months, fee items, buildings or units.

Billed amounts come from the runs (`BillingRun.total`, reversed runs left out: a run whose
reversal is only requested still stands); arrears from the balance table, rows owing only
(the partial index `unitbalance_owing` serves them, or the community index where many owe)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from ..models import BillingRun, RunStatus, UnitBalance
from .arrears import UnitArrears, arrears_by_unit

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class FeeItemMonths:
    """One fee item's billed total for each month of the window (0.00 when not billed)."""

    fee_item_id: int
    name: str
    totals: list[Decimal]


@dataclass(frozen=True)
class BilledByMonth:
    """The months of the window, oldest first, and each fee item billed in any of them."""

    months: list[dt.date]
    items: list[FeeItemMonths]

    @property
    def month_totals(self) -> list[Decimal]:
        """All fee items together, a total per month."""
        return [sum((i.totals[m] for i in self.items), ZERO) for m in range(len(self.months))]


@dataclass(frozen=True)
class BuildingArrears:
    building_id: int
    number: str
    name: str
    units: int
    outstanding: Decimal

    @property
    def label(self) -> str:
        """As the building is written elsewhere (its name, or "Building 3")."""
        return self.name or _("Building %(no)s") % {"no": self.number}


@dataclass(frozen=True)
class FeeItemArrears:
    fee_item_id: int
    name: str
    units: int
    outstanding: Decimal


@dataclass(frozen=True)
class BillingOverview:
    """Everything the overview page shows (four queries)."""

    month: dt.date
    billed: BilledByMonth
    buildings: list[BuildingArrears]
    fee_items: list[FeeItemArrears]
    top_units: list[UnitArrears]

    @property
    def billed_in_month(self) -> Decimal:
        """Billed in the chosen month (the window's last), all fee items."""
        return self.billed.month_totals[-1]

    @property
    def outstanding(self) -> Decimal:
        return sum((b.outstanding for b in self.buildings), ZERO)

    @property
    def units_owing(self) -> int:
        """Units owing anything (a unit is in exactly one building)."""
        return sum(b.units for b in self.buildings)


def billing_overview(community_id: int, month: dt.date, *, top: int = 20) -> BillingOverview:
    """The overview of a community for the twelve months ending with `month`; arrears as
    they stand now; the `top` units that owe most."""
    return BillingOverview(
        month=month_starts(month, 1)[0],
        billed=billed_by_month(community_id, month),
        buildings=arrears_by_building(community_id),
        fee_items=arrears_by_fee_item(community_id),
        top_units=arrears_by_unit(community_id, limit=top),
    )


def month_starts(end: dt.date, months: int = 12) -> list[dt.date]:
    """The first days of the `months` months ending with the month of `end`, oldest first."""
    index = end.year * 12 + end.month - 1
    return [dt.date(i // 12, i % 12 + 1, 1) for i in range(index - months + 1, index + 1)]


def billed_by_month(community_id: int, end: dt.date, *, months: int = 12) -> BilledByMonth:
    """Run totals per fee item and month of the `months` months ending with `end`'s month
    (one query). Fee items in their allocation order."""
    starts = month_starts(end, max(1, months))
    rows = (
        BillingRun.objects.filter(
            community_id=community_id, period__gte=starts[0], period__lte=starts[-1]
        )
        .exclude(status=RunStatus.REVERSED)
        .values("fee_item_id", "fee_item__name", "fee_item__priority", "fee_item__code", "period")
        .annotate(total=Sum("total"))
        .order_by("fee_item__priority", "fee_item__code", "fee_item_id", "period")
    )
    position = {month: i for i, month in enumerate(starts)}
    items: dict[int, FeeItemMonths] = {}
    for row in rows:
        item = items.get(row["fee_item_id"])
        if item is None:
            item = FeeItemMonths(row["fee_item_id"], row["fee_item__name"], [ZERO] * len(starts))
            items[row["fee_item_id"]] = item
        item.totals[position[row["period"].replace(day=1)]] += row["total"]
    return BilledByMonth(starts, list(items.values()))


def arrears_by_building(community_id: int) -> list[BuildingArrears]:
    """What the units of each building owe, over every fee item, and how many units owe:
    most owed first (one query over the rows owing, joined to the unit and its building)."""
    rows = (
        UnitBalance.objects.filter(community_id=community_id, outstanding__gt=0)
        .values("unit__building_id", "unit__building__number", "unit__building__name")
        .annotate(units=Count("unit_id", distinct=True), total=Sum("outstanding"))
        .order_by("-total", "unit__building__number", "unit__building_id")
    )
    return [
        BuildingArrears(
            r["unit__building_id"],
            r["unit__building__number"],
            r["unit__building__name"],
            r["units"],
            r["total"],
        )
        for r in rows
    ]


def arrears_by_fee_item(community_id: int) -> list[FeeItemArrears]:
    """What is owed for each fee item, and by how many units: most owed first (one query)."""
    rows = (
        UnitBalance.objects.filter(community_id=community_id, outstanding__gt=0)
        .values("fee_item_id", "fee_item__name")
        .annotate(units=Count("unit_id", distinct=True), total=Sum("outstanding"))
        .order_by("-total", "fee_item__name", "fee_item_id")
    )
    return [
        FeeItemArrears(r["fee_item_id"], r["fee_item__name"], r["units"], r["total"]) for r in rows
    ]

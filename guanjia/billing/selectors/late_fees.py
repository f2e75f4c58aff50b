"""Late fees as of a day, before the daily job posts them: for a community or one unit, with
the contract rule that produced them (spec §10)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import Page, Paginator

from guanjia.core.models import Community
from guanjia.core.policies.selectors import policy
from guanjia.estates.models import Unit

from ..models import FeeItem
from ..services.late_fees import RATE, LateFee, late_fees_as_of


@dataclass(frozen=True)
class LateFeeRule:
    """The contract terms in force on the day."""

    rate: Decimal
    grace_days: int
    cap_ratio: Decimal
    due_rule: str

    @property
    def rate_percent(self) -> Decimal:
        return (self.rate * 100).normalize()


@dataclass
class LateFeeRow:
    fee: LateFee
    room_code: str = ""
    fee_item: str = ""


@dataclass
class LateFeeReport:
    day: dt.date
    rule: LateFeeRule
    page: Page
    total: Decimal = Decimal("0.00")
    posted: Decimal = Decimal("0.00")
    rows: list[LateFeeRow] = field(default_factory=list)

    @property
    def to_post(self) -> Decimal:
        return self.total - self.posted


def late_fee_rule(community: Community, day: dt.date) -> LateFeeRule:
    return LateFeeRule(
        rate=Decimal(str(policy(community, RATE, on=day))),
        grace_days=policy(community, "billing.late_fee_grace_days", on=day),
        cap_ratio=Decimal(str(policy(community, "billing.late_fee_cap_ratio", on=day))),
        due_rule=policy(community, "billing.late_fee_due_rule", on=day),
    )


def late_fee_report(
    *,
    community: Community,
    day: dt.date,
    unit: Unit | None = None,
    page: int | str = 1,
    per_page: int = 50,
) -> LateFeeReport:
    """Every bill's late fee through `day` (largest first), the community's (or the unit's)
    totals and one page of rows with their room codes and fee item names (three queries
    beyond the computation)."""
    fees = late_fees_as_of(community=community, day=day, units=[unit.pk] if unit else None)
    fees.sort(key=lambda fee: (-fee.total, fee.unit_id, fee.fee_item_id, fee.bill_month))
    paginator = Paginator(fees, per_page)
    current = paginator.get_page(page)
    shown: list[LateFee] = list(current.object_list)
    rooms = dict(
        Unit.objects.filter(pk__in={fee.unit_id for fee in shown}).values_list("pk", "room_code")
    )
    items = dict(
        FeeItem.objects.filter(pk__in={fee.fee_item_id for fee in shown}).values_list("pk", "name")
    )
    return LateFeeReport(
        day=day,
        rule=late_fee_rule(community, day),
        page=current,
        total=sum((fee.total for fee in fees), Decimal("0.00")),
        posted=sum((fee.posted for fee in fees), Decimal("0.00")),
        rows=[
            LateFeeRow(fee, rooms.get(fee.unit_id, ""), items.get(fee.fee_item_id, ""))
            for fee in shown
        ],
    )

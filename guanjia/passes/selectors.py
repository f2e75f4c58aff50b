"""Reads of the passes app: the KPIs of spec §20/§27 (raw counts, not percentages), a
group's passes for the renovation app, a pass's deposit figures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum

from guanjia.core.models import Community
from guanjia.core.money import from_fen

from .models import (
    DEPOSIT_HELD,
    Pass,
    PassEvent,
    PassGroup,
    PassKind,
    PassStatus,
    ReleaseSlip,
    SlipStatus,
)


@dataclass(frozen=True)
class PassKpis:
    active_by_kind: list[tuple[str, int]]  # (label, count), every type
    active: int
    expired_not_returned: int
    deposits_held: Decimal
    deposits_held_count: int
    lost: int  # reported lost in the period
    slips_issued: int  # in the period
    slips_used: int  # used or partly used, of those issued in the period
    start: dt.date
    end: dt.date


def _yuan(value: Decimal | int | None) -> Decimal:
    if value is None:
        return Decimal("0.00")
    return value if isinstance(value, Decimal) else from_fen(value)


def pass_kpis(community: Community, start: dt.date, end: dt.date) -> PassKpis:
    """Four queries whatever the number of passes."""
    passes = Pass.objects.in_community(community)
    by_kind = dict(
        passes.filter(status=PassStatus.ISSUED)
        .values_list("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )
    held_q = Q(status__in=DEPOSIT_HELD, deposit__gt=0)
    sums = passes.aggregate(
        expired=Count("pk", filter=Q(status=PassStatus.EXPIRED)),
        deposit_sum=Sum("deposit", filter=held_q),
        refunded_sum=Sum("deposit_refunded", filter=held_q),
        held_count=Count("pk", filter=held_q),
    )
    lost = (
        PassEvent.objects.filter(
            pass_obj__community=community,
            to_status=PassStatus.LOST,
            at__date__gte=start,
            at__date__lte=end,
        )
        .exclude(from_status=PassStatus.LOST)
        .count()
    )
    slips = ReleaseSlip.objects.in_community(community).filter(
        valid_from__gte=start, valid_from__lte=end
    )
    slip_sums = slips.aggregate(
        issued=Count("pk"),
        used=Count("pk", filter=Q(status__in=(SlipStatus.USED, SlipStatus.PARTLY_USED))),
    )
    return PassKpis(
        active_by_kind=[(str(label), by_kind.get(value, 0)) for value, label in PassKind.choices],
        active=sum(by_kind.values()),
        expired_not_returned=sums["expired"],
        deposits_held=_yuan(sums["deposit_sum"]) - _yuan(sums["refunded_sum"]),
        deposits_held_count=sums["held_count"],
        lost=lost,
        slips_issued=slip_sums["issued"],
        slips_used=slip_sums["used"],
        start=start,
        end=end,
    )


def group_passes(group: PassGroup) -> list[Pass]:
    """The passes of a group (for the renovation app's worker register)."""
    return list(group.passes.select_related("unit").order_by("holder_name", "pk"))


def groups_of_sponsor(community: Community, sponsor: str) -> list[PassGroup]:
    return list(PassGroup.objects.in_community(community).filter(sponsor=sponsor))

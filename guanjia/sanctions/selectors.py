"""Reads of the sanctions app: who holds a pass (through the passes app), the deductions held
against a renovation (read by renovation's refund through its registry), a contractor's
breaches, the KPIs of spec §19/§27 and the banned contractors."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.core.models import Community
from guanjia.core.policies.selectors import policy
from guanjia.estates.models import Unit
from guanjia.passes.models import Pass
from guanjia.passes.services import lookup
from guanjia.renovation.models import (
    ContractorBan,
    DepositRefund,
    RefundStatus,
    RenoStatus,
    Renovation,
)
from guanjia.renovation.services import PendingDeduction

from .models import HELD_STATUSES, Breach, BreachStatus, SanctionType
from .policies import REPEAT_WINDOW

S = BreachStatus
# A renovation whose site is still open to workers (or whose deposit is still held).
_OPEN_RENOVATION = [
    RenoStatus.PERMIT_ISSUED,
    RenoStatus.IN_PROGRESS,
    RenoStatus.EXTENDED,
    RenoStatus.SUSPENDED,
    RenoStatus.COMPLETION_REQUESTED,
    RenoStatus.ACCEPTANCE_FAILED,
    RenoStatus.INITIAL_ACCEPTED,
    RenoStatus.OBSERVATION,
    RenoStatus.FINAL_ACCEPTED,
]


@dataclass(frozen=True)
class Identity:
    """What a pass number tells about its holder."""

    pass_obj: Pass
    person_name: str
    employer: str
    unit: Unit
    renovation: Renovation | None


def renovation_of(pass_obj: Pass) -> Renovation | None:
    """The renovation the pass's holder works on: its group's sponsor ("renovation:<id>"),
    else the open renovation of the pass's unit."""
    group = pass_obj.group
    rows = Renovation.objects.filter(community_id=pass_obj.community_id).select_related(
        "contractor", "unit"
    )
    if group is not None and group.sponsor.startswith("renovation:"):
        ident = group.sponsor.partition(":")[2]
        if ident.isdigit():
            found = rows.filter(pk=int(ident)).first()
            if found is not None:
                return found
    return (
        rows.filter(unit_id=pass_obj.unit_id, status__in=_OPEN_RENOVATION).order_by("-pk").first()
    )


def identify(community: Community, number: str) -> Identity | None:
    """The holder of pass `number` (typed or scanned) in `community`, or None."""
    found = lookup(community.pk, number)
    if found is None:
        return None
    return Identity(
        pass_obj=found,
        person_name=found.holder_name,
        employer=found.employer,
        unit=found.unit,
        renovation=renovation_of(found),
    )


def _item(breach: Breach) -> str:
    return _("Breach %(number)s") % {"number": breach.number}


def pending_for_renovation(renovation: Renovation) -> list[PendingDeduction]:
    """The deductions decided on breaches linked to `renovation`: executed ones are carried
    into its refund; decided, notified or appealed ones hold it (spec §19: a disputed
    deduction waits for the director)."""
    rows = (
        Breach.objects.filter(renovation=renovation)
        .filter(Q(amount__gt=0) | Q(damage__gt=0))
        .exclude(status__in=(S.REPORTED, S.VERIFIED, S.CANCELLED))
        .select_related("kind")
        .order_by("pk")
    )
    out = []
    for breach in rows:
        out.append(
            PendingDeduction(
                item=_item(breach),
                amount=breach.deduction,
                reason=breach.kind.name,
                held=breach.status in HELD_STATUSES,
                link=breach.get_absolute_url(),
            )
        )
    return out


def refund_of(breach: Breach) -> DepositRefund | None:
    """The renovation's refund that carries (or will carry) the deduction."""
    if breach.renovation_id is None:
        return None
    return DepositRefund.objects.filter(renovation_id=breach.renovation_id).first()


def refund_requested(breach: Breach) -> bool:
    refund = refund_of(breach)
    return refund is not None and refund.status != RefundStatus.REJECTED


def deduction_reference(breach: Breach) -> str:
    """Where the deduction stands: the renovation's no. and its refund's state."""
    reno = breach.renovation
    if reno is None or breach.deduction <= 0:
        return ""
    refund = refund_of(breach)
    if refund is None:
        return _("%(reno)s: carried into the deposit refund") % {"reno": reno.number}
    return _("%(reno)s: deposit refund, %(status)s") % {
        "reno": reno.number,
        "status": refund.get_status_display(),
    }


def contractor_breaches(community: Community, contractor_id: int, today: dt.date) -> int:
    """Breaches by one contractor's people over the policy's window (cancelled ones not)."""
    days = int(policy(community, REPEAT_WINDOW))
    since = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=days), dt.time.min))
    return (
        Breach.objects.filter(community=community, contractor_id=contractor_id)
        .exclude(status=S.CANCELLED)
        .filter(occurred_at__gte=since)
        .count()
    )


@dataclass(frozen=True)
class Kpis:
    start: dt.date
    end: dt.date
    total: int
    by_type: list[tuple[str, int]]
    by_contractor: list[tuple[str, int, Decimal]]
    unidentified: int
    banned: list[Any]


def kpis(community: Community, start: dt.date, end: dt.date) -> Kpis:
    """Breaches by type and by contractor in the period, and the banned list in force (§27).
    Four queries whatever the rows."""
    rows = (
        Breach.objects.filter(community=community)
        .exclude(status=S.CANCELLED)
        .filter(occurred_at__date__gte=start, occurred_at__date__lte=end)
    )
    by_type = dict(rows.values_list("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    names = SanctionType.objects.filter(community=community).order_by("sort", "pk")
    by_contractor: dict[Any, list[Any]] = {}
    for name, amount, damage in rows.filter(contractor__isnull=False).values_list(
        "contractor__name", "amount", "damage"
    ):
        entry = by_contractor.setdefault(name, [0, Decimal("0.00")])
        entry[0] += 1
        entry[1] += (amount or 0) + (damage or 0)
    today = timezone.localdate()
    banned = list(
        ContractorBan.objects.filter(community=community)
        .in_force(today)
        .select_related("contractor", "by")
        .order_by("contractor__name", "-starts_on")
    )
    return Kpis(
        start=start,
        end=end,
        total=sum(by_type.values()),
        by_type=[(line.name, by_type.get(line.pk, 0)) for line in names if by_type.get(line.pk)],
        by_contractor=sorted(
            ((name, n, total) for name, (n, total) in by_contractor.items()),
            key=lambda row: (-row[1], row[0]),
        ),
        unidentified=rows.filter(unidentified=True).count(),
        banned=banned,
    )


def detail_url(breach: Breach) -> str:
    return reverse("sanctions:breach-detail", args=[breach.pk])

"""Reads of the renovation app that span models: an area manager's due inspections, the
overdue reviews, the public permit page and the KPIs (§27)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.core.models import Community
from guanjia.estates.selectors import TimelineEntry
from guanjia.estates.selectors.access import is_zone_bound, managed_zone_ids

from .models import (
    ACTIVE,
    Deduction,
    DepositRefund,
    Fee,
    FeeKind,
    Inspection,
    Outcome,
    RefundStatus,
    RenoStatus,
    Renovation,
)

S = RenoStatus
LIST_RELATED = ("unit", "contractor")


def due_inspections(
    user: Any, community: Community, on: dt.date | None = None
) -> QuerySet[Renovation]:
    """The active sites whose inspection is due by `on` (today): an area manager's own zones,
    the whole community for the others. Oldest due first."""
    day = on or timezone.localdate()
    rows: Any = Renovation.objects.in_community(community)
    rows = rows.inspection_due(on=day)
    if is_zone_bound(user, community):
        rows = rows.filter(zone_id__in=managed_zone_ids(user, community))
    due: QuerySet[Renovation] = rows.select_related(*LIST_RELATED)
    return due.order_by("next_inspection_on", "pk")


def find_permit(token: str) -> Renovation | None:
    """The renovation of a permit token (the door's QR code), or None."""
    if not token or len(token) > 40:
        return None
    return (
        Renovation.objects.filter(permit_token=token, permit_issued_on__isnull=False)
        .select_related("unit", "community", "contractor")
        .prefetch_related("items", "extensions")
        .first()
    )


@dataclass(frozen=True)
class Kpis:
    active: int
    suspended: int
    reviewed: int
    reviewed_on_time: int
    inspections_done: int
    inspections_due: int
    breaches: int
    with_permit: int
    accepted_first_time: int
    accepted: int
    deposits_held: Decimal
    held_by_age: dict[str, Decimal]
    refunds_overdue: int

    @staticmethod
    def rate(part: int, whole: int) -> str:
        return f"{100 * part / whole:.0f} %" if whole else "—"

    @property
    def on_time_rate(self) -> str:
        return self.rate(self.reviewed_on_time, self.reviewed)

    @property
    def inspection_rate(self) -> str:
        return self.rate(self.inspections_done, self.inspections_due)

    @property
    def first_time_rate(self) -> str:
        return self.rate(self.accepted_first_time, self.accepted)

    @property
    def breaches_per_renovation(self) -> str:
        return f"{self.breaches / self.with_permit:.2f}" if self.with_permit else "—"


AGE_BANDS = ((30, "≤ 30"), (90, "31–90"), (180, "91–180"), (None, "> 180"))


def kpis(community: Community, start: dt.date, end: dt.date) -> Kpis:
    """The §16 KPIs of `community` between `start` and `end` (inclusive)."""
    today = timezone.localdate()
    rows = Renovation.objects.in_community(community)
    counts = rows.aggregate(
        active=Count("pk", filter=Q(status__in=ACTIVE)),
        suspended=Count("pk", filter=Q(status=S.SUSPENDED)),
        reviewed=Count("pk", filter=Q(reviewed_on__range=(start, end))),
        on_time=Count(
            "pk",
            filter=Q(reviewed_on__range=(start, end), reviewed_on__lte=F("review_due_on")),
        ),
        with_permit=Count("pk", filter=Q(permit_issued_on__isnull=False)),
        accepted=Count("pk", filter=Q(initial_accepted_on__range=(start, end))),
        first_time=Count(
            "pk", filter=Q(initial_accepted_on__range=(start, end), acceptance_attempts=1)
        ),
        refunds_overdue=Count(
            "pk",
            filter=Q(status__in=(S.OBSERVATION, S.FINAL_ACCEPTED), refund_due_on__lt=today),
        ),
    )
    inspections = Inspection.objects.in_community(community).filter(on__range=(start, end))
    done = inspections.count()
    breaches = (
        Inspection.objects.in_community(community)
        .filter(outcome__in=(Outcome.BREACH, Outcome.STOP))
        .count()
    )
    due = _inspections_required(community, start, end)
    held, by_age = _deposits_held(community, today)
    return Kpis(
        active=counts["active"],
        suspended=counts["suspended"],
        reviewed=counts["reviewed"],
        reviewed_on_time=counts["on_time"],
        inspections_done=done,
        inspections_due=due,
        breaches=breaches,
        with_permit=counts["with_permit"],
        accepted_first_time=counts["first_time"],
        accepted=counts["accepted"],
        deposits_held=held,
        held_by_age=by_age,
        refunds_overdue=counts["refunds_overdue"],
    )


def _inspections_required(community: Community, start: dt.date, end: dt.date) -> int:
    """Site-days with a permit in the period divided by the interval: the inspections owed."""
    from guanjia.core.policies.selectors import policy

    interval = policy(community, "reno.inspect_interval_days")
    total = 0
    rows = (
        Renovation.objects.in_community(community)
        .filter(permit_issued_on__isnull=False, permit_issued_on__lte=end)
        .values_list("permit_issued_on", "initial_accepted_on", "status")
    )
    for issued, accepted, status in rows:
        if status in (S.REJECTED,):
            continue
        last = accepted or end
        first = max(issued, start)
        days = (min(last, end) - first).days + 1
        if days > 0:
            total += -(-days // interval)
    return total


def _deposits_held(community: Community, today: dt.date) -> tuple[Decimal, dict[str, Decimal]]:
    """Deposits of sites with a permit not yet refunded, by days since the permit."""
    zero = Decimal("0.00")
    paid = DepositRefund.objects.in_community(community).filter(status=RefundStatus.PAID)
    fees = (
        Fee.objects.filter(
            renovation__community=community,
            renovation__permit_issued_on__isnull=False,
            kind__in=(FeeKind.DEPOSIT_OWNER, FeeKind.DEPOSIT_CONTRACTOR),
        )
        .exclude(renovation__in=paid.values("renovation"))
        .values_list("amount", "renovation__permit_issued_on")
    )
    bands = {label: zero for _, label in AGE_BANDS}
    for amount, issued in fees:
        age = (today - issued).days if issued is not None else 0
        for limit, label in AGE_BANDS:
            if limit is None or age <= limit:
                bands[label] += amount
                break
    return sum(bands.values(), zero), bands


def deductions_total(refund: DepositRefund) -> Decimal:
    total = Deduction.objects.filter(refund=refund).aggregate(total=Sum("amount"))["total"]
    return total if total is not None else Decimal("0.00")


def renovation_events_for_unit(unit: Any, *, limit: int) -> list[TimelineEntry]:
    """Each step of the unit's renovations on its timeline (application to refund)."""
    from django.urls import reverse

    from .models import RenovationEvent

    rows = (
        RenovationEvent.objects.filter(renovation__unit=unit)
        .exclude(from_status=F("to_status"))
        .select_related("renovation", "actor")
        .order_by("-at", "-pk")[:limit]
    )
    return [
        TimelineEntry(
            at=event.at,
            kind="renovation",
            title=f"{_('Renovation')} {event.renovation.number}: {event.to_label}",
            url=reverse("renovation:renovation-detail", args=[event.renovation_id]),
            actor=str(event.actor or ""),
        )
        for event in rows
    ]

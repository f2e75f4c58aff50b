"""Deemed delivery (视同交房, spec §09): an owner who has not come when the notice period
(`movein.deemed_delivery_days` after the batch's notice date) is over is treated as delivered,
so fees start, when `movein.deemed_delivery_enabled` is on. Applied once a day by the
scheduled job `movein.deemed_delivery`, in the name of whoever sent the batch's notices."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.core import workflows
from guanjia.core.jobs.services import run_once
from guanjia.core.models import Community
from guanjia.core.policies.selectors import policy
from guanjia.estates.models import UnitStatus
from guanjia.estates.services import change_unit_status

from ..models import Delivery, DeliveryStatus


def _due(community: Community, today: dt.date) -> list[Delivery]:
    if not policy(community, "movein.deemed_delivery_enabled"):
        return []
    days = policy(community, "movein.deemed_delivery_days")
    last_notice = today - dt.timedelta(days=days)
    return list(
        Delivery.objects.filter(
            community=community,
            status=DeliveryStatus.NOTIFIED,
            batch__notice_date__lt=last_notice,
        ).select_related("batch__notified_by", "unit__building", "unit__community")
    )


def apply_deemed_delivery(community: Community, today: dt.date | None = None) -> int:
    """Every NOTIFIED unit of the community whose notice period is over: deemed delivered."""
    day = today or timezone.localdate()
    done = 0
    for delivery in _due(community, day):
        with transaction.atomic():
            by = delivery.batch.notified_by or delivery.batch.opened_by
            note = _("Notice period over: deemed delivered.")
            change_unit_status(unit=delivery.unit, to=UnitStatus.DEEMED_DELIVERED, by=by, note=note)
            workflows.transition(
                delivery, DeliveryStatus.DEEMED, by=by, note=note, delivered_on=day
            )
            done += 1
    return done


def _work(community: Community, day: dt.date) -> Callable[[], int]:
    def deemed() -> int:
        return apply_deemed_delivery(community, day)

    return deemed


def deemed_delivery_daily() -> int:
    """The scheduled job: every community with notified units, once a local day."""
    day = timezone.localdate()
    ids = Delivery.objects.filter(status=DeliveryStatus.NOTIFIED).values_list(
        "community_id", flat=True
    )
    total = 0
    for community in Community.objects.filter(pk__in=set(ids)):
        done = run_once(
            f"movein.deemed_delivery:{community.pk}:{day.isoformat()}",
            _work(community, day),
            label=str(_("Deemed delivery")),
        )
        total += done or 0
    return total

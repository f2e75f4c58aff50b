"""Delivery batches (spec §09): opened by the director with the preconditions ticked by whoever
checked them; notified once all three are ticked (the units move to NOTIFIED through estates,
which starts the deemed-delivery clock); closed when the counter's days are over."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.core import workflows
from guanjia.core.access import User, require_perm
from guanjia.core.models import Community
from guanjia.estates.models import Building, UnitStatus
from guanjia.estates.services import change_unit_status

from ..models import PRECONDITIONS, BatchStatus, Delivery, DeliveryBatch, DeliveryStatus
from ._common import field_error, required

PRECONDITION_CODES = tuple(code for code, _label in PRECONDITIONS)


def _check_dates(notice_date: dt.date, counter_from: dt.date, counter_to: dt.date) -> None:
    if counter_to < counter_from:
        raise field_error("counter_to", _("The counter closes after it opens."), "ends_before")
    if counter_from < notice_date:
        raise field_error(
            "counter_from", _("The counter opens on or after the notice date."), "before_notice"
        )


@transaction.atomic
def open_batch(
    *,
    community: Community,
    name: str,
    notice_date: dt.date,
    counter_from: dt.date,
    counter_to: dt.date,
    counter_hours: str,
    by: User,
    buildings: Sequence[Building] = (),
    checked: Sequence[str] = (),
) -> DeliveryBatch:
    """A new batch; `checked`: the preconditions the director ticks now (checked by them)."""
    require_perm(by, "movein.add_deliverybatch", community)
    title = required(name, "name", _("Give the batch a name."))
    hours = required(counter_hours, "counter_hours", _("Give the counter's hours."))
    _check_dates(notice_date, counter_from, counter_to)
    if any(b.community_id != community.pk for b in buildings):
        raise field_error("buildings", _("Choose this community's buildings."), "other_community")
    unknown = set(checked) - set(PRECONDITION_CODES)
    if unknown:
        raise field_error("checked", _("Unknown precondition."), "invalid")
    batch = DeliveryBatch(
        community=community,
        name=title,
        notice_date=notice_date,
        counter_from=counter_from,
        counter_to=counter_to,
        counter_hours=hours,
        opened_by=by,
    )
    now = timezone.now()
    for code in checked:
        setattr(batch, f"{code}_checked_by", by)
        setattr(batch, f"{code}_checked_at", now)
    batch.save()
    batch.buildings.set(buildings)
    workflows.record_creation(batch, by=by)
    return batch


@transaction.atomic
def tick_precondition(*, batch: DeliveryBatch, code: str, by: User) -> DeliveryBatch:
    """The person who checked a precondition ticks it (their name stays on the batch)."""
    locked = workflows.lock(batch)
    require_perm(by, "movein.add_deliverybatch", locked.community)
    if code not in PRECONDITION_CODES:
        raise field_error("code", _("Unknown precondition."), "invalid")
    if locked.status != BatchStatus.OPEN:
        raise field_error("code", _("The notices are out: the batch is fixed."), "not_open")
    if getattr(locked, f"{code}_checked_by_id"):
        raise field_error("code", _("This precondition is already ticked."), "already")
    setattr(locked, f"{code}_checked_by", by)
    setattr(locked, f"{code}_checked_at", timezone.now())
    locked.save()
    workflows.record_event(locked, by=by, action="checked", note=code)
    return locked


def _notify_unit(delivery: Delivery, by: User) -> None:
    unit = delivery.unit
    if unit.status == UnitStatus.UNSOLD:
        change_unit_status(unit=unit, to=UnitStatus.SOLD_NOT_NOTIFIED, by=by, note=_("Sold"))
        unit.refresh_from_db(fields=["status"])
    if unit.status == UnitStatus.SOLD_NOT_NOTIFIED:
        change_unit_status(unit=unit, to=UnitStatus.NOTIFIED, by=by, note=str(delivery.batch))
    workflows.transition(delivery, DeliveryStatus.NOTIFIED, by=by)


@transaction.atomic
def send_notices(*, batch: DeliveryBatch, by: User) -> DeliveryBatch:
    """The batch's notices are out: every listed unit is NOTIFIED (unit and delivery), from
    the batch's notice date (the deemed-delivery clock). Refused until the three
    preconditions are ticked or while the buyer list is empty."""
    locked = workflows.lock(batch)
    listed = list(
        Delivery.objects.filter(batch=locked, status=DeliveryStatus.LISTED).select_related(
            "unit__building", "unit__community", "batch"
        )
    )
    if not listed and locked.status == BatchStatus.OPEN:
        workflows.check_transition(locked, BatchStatus.NOTIFIED, by=by)
        raise field_error("batch", _("Import the buyer list first."), "empty")
    workflows.transition(locked, BatchStatus.NOTIFIED, by=by, notified_by=by)
    for delivery in listed:
        _notify_unit(delivery, by)
    return locked


@transaction.atomic
def close_batch(*, batch: DeliveryBatch, by: User) -> DeliveryBatch:
    workflows.transition(batch, BatchStatus.CLOSED, by=by)
    return batch

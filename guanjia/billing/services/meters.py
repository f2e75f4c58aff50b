"""Meter readings: a reading below the last is refused unless the meter was replaced; a
month's use far above the meter's average (policy billing.reading_spike_ratio) is flagged
and must be confirmed before it is billed."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from guanjia.accounts.models import User
from guanjia.core.policies.selectors import policy

from ..models import Meter, MeterReading
from .ledger import check_period


def _value(raw: Any) -> Decimal:
    try:
        value = Decimal(str(raw))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError(_("Enter a meter reading."), code="bad_reading") from exc
    if not value.is_finite() or value < 0 or value != value.quantize(Decimal("0.01")):
        raise ValidationError(
            _("A reading is a number of at least 0 with at most two decimals."),
            code="bad_reading",
        )
    return value


def usage_of(reading: MeterReading, previous: MeterReading | None) -> Decimal | None:
    """The use a reading records; None for a meter's first reading."""
    if reading.replacement:
        old = (reading.old_meter_final or Decimal(0)) - (previous.value if previous else 0)
        return max(old, Decimal(0)) + reading.value
    return None if previous is None else reading.value - previous.value


def _average_use(meter: Meter, before: dt.date) -> Decimal | None:
    readings = list(meter.readings.filter(period__lt=before).order_by("-period")[:7])[::-1]
    uses = [usage_of(r, p) for p, r in itertools.pairwise(readings)]
    known = [u for u in uses if u is not None]
    return sum(known, Decimal(0)) / len(known) if known else None


@transaction.atomic
def record_reading(
    *,
    meter: Meter,
    period: dt.date,
    value: Any,
    read_on: dt.date,
    by: User,
    replacement: bool = False,
    old_meter_final: Any = None,
) -> MeterReading:
    """Record a month's reading (see the module docstring for what is refused or flagged)."""
    check_period(meter.community, period)
    reading_value = _value(value)
    Meter.objects.select_for_update().get(pk=meter.pk)
    previous = meter.readings.filter(period__lt=period).order_by("-period").first()
    if previous and reading_value < previous.value and not replacement:
        raise ValidationError(
            _(
                "The reading %(new)s is below the last one (%(old)s): record a meter replacement "
                "if the meter was changed."
            )
            % {"new": reading_value, "old": previous.value},
            code="reading_below_previous",
        )
    if meter.readings.filter(period=period).exists():
        raise ValidationError(
            _("This meter already has a reading for this month."), code="duplicate_reading"
        )
    reading = MeterReading(
        community=meter.community,
        meter=meter,
        period=period,
        value=reading_value,
        read_on=read_on,
        replacement=replacement,
        created_by=by,
        old_meter_final=_value(old_meter_final) if replacement and old_meter_final else None,
    )
    use, average = usage_of(reading, previous), _average_use(meter, period)
    ratio = policy(meter.community, "billing.reading_spike_ratio", on=period)
    reading.flagged = bool(use is not None and average and use > average * ratio)
    reading.save()
    return reading


@transaction.atomic
def confirm_reading(*, reading: MeterReading, by: User) -> MeterReading:
    """Confirm an unusually high reading so that it can be billed."""
    reading = MeterReading.objects.select_for_update().get(pk=reading.pk)
    if not reading.flagged:
        raise ValidationError(_("This reading needs no confirmation."), code="not_flagged")
    reading.confirmed_by = by
    reading.save(update_fields=["confirmed_by", "updated_at"])
    return reading


def usage_by_meter(meter_ids: list[int], period: dt.date) -> dict[int, Decimal | None]:
    """Each meter's use in `period` (None: no reading, or a flagged one not yet confirmed)."""
    since = period.replace(year=period.year - 1)
    rows = MeterReading.objects.filter(
        meter_id__in=meter_ids, period__lte=period, period__gte=since
    ).order_by("meter_id", "-period")
    latest: dict[int, list[MeterReading]] = {}
    for row in rows:
        bucket = latest.setdefault(row.meter_id, [])
        if len(bucket) < 2:
            bucket.append(row)
    result: dict[int, Decimal | None] = dict.fromkeys(meter_ids)
    for meter_id, pair in latest.items():
        current = pair[0]
        if current.period != period or (current.flagged and current.confirmed_by_id is None):
            continue
        result[meter_id] = usage_of(current, pair[1] if len(pair) > 1 else None)
    return result

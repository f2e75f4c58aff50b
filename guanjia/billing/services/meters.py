"""Meters and their readings.

Meters (spec §10 metered fees): created for a unit or as a common meter (公摊), one active
meter per unit and kind, changed with history (simple-history, as all master data), replaced
by `replace_meter` (the old meter's final reading and the new one's initial reading, one
transaction, a MeterReplacement row). Readings: a reading below the last is refused unless the
meter was replaced; a month's use (reading difference × multiplier) far above the meter's
average (policy billing.reading_spike_ratio) is flagged and must be confirmed before it is
billed."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.accounts.models import User
from guanjia.core.access import require_perm
from guanjia.core.models import Community
from guanjia.core.policies.selectors import policy
from guanjia.estates.models import Unit

from ..models import ApportionmentSet, Meter, MeterKind, MeterReading, MeterReplacement
from .ledger import check_period

MAX_READING = Decimal("10000000000")  # the column's 12 digits, 2 of them decimals


def _value(raw: Any) -> Decimal:
    try:
        value = Decimal(str(raw))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError(_("Enter a meter reading."), code="bad_reading") from exc
    if (
        not value.is_finite()
        or value < 0
        or value >= MAX_READING  # also keeps quantize below from overflowing
        or value != value.quantize(Decimal("0.01"))
    ):
        raise ValidationError(
            _("A reading is a number from 0 to below 10,000,000,000 with at most two decimals."),
            code="bad_reading",
        )
    return value


def usage_of(
    reading: MeterReading, previous: MeterReading | None, multiplier: Decimal = Decimal(1)
) -> Decimal | None:
    """The use a reading records (difference × multiplier); None for a meter's first reading.
    After a replacement: the old meter's final − the last reading (× its multiplier) plus the
    reading − the new meter's initial reading."""
    if reading.replacement:
        old = (reading.old_meter_final or Decimal(0)) - (previous.value if previous else 0)
        new = reading.value - (reading.new_meter_initial or Decimal(0))
        old_multiplier = reading.old_multiplier or multiplier
        return max(old, Decimal(0)) * old_multiplier + max(new, Decimal(0)) * multiplier
    return None if previous is None else (reading.value - previous.value) * multiplier


def _average_use(meter: Meter, before: dt.date) -> Decimal | None:
    readings = list(meter.readings.filter(period__lt=before).order_by("-period")[:7])[::-1]
    uses = [usage_of(r, p, meter.multiplier) for p, r in itertools.pairwise(readings)]
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
    meter = Meter.objects.select_for_update().get(pk=meter.pk)
    previous = meter.readings.filter(period__lt=period).order_by("-period").first()
    changed = _replacement_since(meter, previous, read_on)
    if changed is not None:
        replacement, old_meter_final = True, changed.final_reading
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
        old_meter_final=(
            _value(old_meter_final) if replacement and old_meter_final not in (None, "") else None
        ),
        new_meter_initial=changed.initial_reading if changed else None,
        old_multiplier=changed.old_multiplier if changed else None,
    )
    use = usage_of(reading, previous, meter.multiplier)
    average = _average_use(meter, period)
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


def _replacement_since(
    meter: Meter, previous: MeterReading | None, read_on: dt.date
) -> MeterReplacement | None:
    """The replacement of the meter between its last reading and this one, if any."""
    found = meter.replacements.filter(replaced_on__lte=read_on)
    if previous is not None:
        found = found.filter(replaced_on__gt=previous.read_on)
    return found.order_by("-replaced_on", "-pk").first()


def usage_by_meter(meter_ids: list[int], period: dt.date) -> dict[int, Decimal | None]:
    """Each meter's use in `period` (None: no reading, or a flagged one not yet confirmed)."""
    since = period.replace(year=period.year - 1)
    rows = (
        MeterReading.objects.filter(meter_id__in=meter_ids, period__lte=period, period__gte=since)
        .select_related("meter")
        .order_by("meter_id", "-period")
    )
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
        previous = pair[1] if len(pair) > 1 else None
        result[meter_id] = usage_of(current, previous, current.meter.multiplier)
    return result


# --- meters: created, changed, replaced -------------------------------------------------------


def _on(field: str, check: Any, *args: Any) -> Any:
    """`check(*args)`, its ValidationError keyed by the form or API field it is about."""
    try:
        return check(*args)
    except ValidationError as exc:
        raise ValidationError({field: exc}) from exc


MAX_MULTIPLIER = Decimal("100000")


def _multiplier(raw: Any) -> Decimal:
    try:
        value = Decimal(str(raw))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError(_("Enter a multiplier."), code="bad_multiplier") from exc
    if (
        not value.is_finite()
        or value <= 0
        or value >= MAX_MULTIPLIER
        or value != value.quantize(Decimal("0.01"))
    ):
        raise ValidationError(
            _("A multiplier is a number above 0 and below 100000 with at most two decimals."),
            code="bad_multiplier",
        )
    return value


def _number(raw: Any) -> str:
    number = str(raw or "").strip()
    if not number:
        raise ValidationError(_("Give the meter number."), code="number_required")
    if len(number) > 40:
        raise ValidationError(
            _("A meter number has at most 40 characters."), code="number_too_long"
        )
    return number


def _check_number_free(community_id: int, kind: str, number: str, exclude: int | None) -> None:
    taken = Meter.objects.filter(community_id=community_id, kind=kind, number=number)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        raise ValidationError(_("A meter with this number already exists."), code="number_taken")


def _check_one_active(meter: Meter) -> None:
    if meter.unit_id is None or not meter.is_active:
        return
    other = Meter.objects.filter(unit_id=meter.unit_id, kind=meter.kind, is_active=True)
    if other.exclude(pk=meter.pk).exists():
        raise ValidationError(
            _("This unit already has an active meter of this type: replace it instead."),
            code="meter_exists",
        )


def _not_in_future(day: dt.date | None, what: str) -> None:
    if day is not None and day > timezone.localdate():
        raise ValidationError(
            _("%(what)s cannot be in the future.") % {"what": what}, code="date_in_future"
        )


@transaction.atomic
def create_meter(
    *,
    community: Community,
    kind: str,
    number: Any,
    by: User,
    unit: Unit | None = None,
    multiplier: Any = Decimal(1),
    installed_on: dt.date | None = None,
    initial_reading: Any = Decimal(0),
) -> Meter:
    """A unit's meter (one active per unit and kind) or, without a unit, a common meter
    (公摊) whose use a shared standard splits. Kept with history."""
    require_perm(by, "billing.add_meter", community)
    if kind not in MeterKind.values:
        raise ValidationError({"kind": ValidationError(_("Unknown meter type."), code="bad_kind")})
    if unit is not None and unit.community_id != community.pk:
        raise ValidationError(
            {"unit": ValidationError(_("The unit is not in this community."), code="bad_unit")}
        )
    _on("installed_on", _not_in_future, installed_on, _("The installation date"))
    meter = Meter(
        community=community,
        unit=unit,
        kind=kind,
        number=_on("number", _number, number),
        multiplier=_on("multiplier", _multiplier, multiplier),
        installed_on=installed_on,
        initial_reading=_on("initial_reading", _value, initial_reading),
    )
    if unit is not None:
        Unit.objects.select_for_update().get(pk=unit.pk)  # serialises the unit's meters
    _on("number", _check_number_free, community.pk, kind, meter.number, None)
    _on("unit", _check_one_active, meter)
    meter.full_clean()
    meter._change_reason = _("Meter added")  # type: ignore[attr-defined]
    meter.save()
    return meter


METER_EDITABLE = ("number", "multiplier", "installed_on", "is_active")


@transaction.atomic
def update_meter(*, meter: Meter, by: User, **fields: Any) -> Meter:
    """Correct a meter's number or installation date, set its multiplier (before its first
    reading: afterwards a new multiplier is a replacement) or (de)activate it. Kept with
    history (who, when, which field)."""
    unknown = set(fields) - set(METER_EDITABLE)
    if unknown:
        raise ValidationError(_("These fields cannot be changed here."), code="not_editable")
    require_perm(by, "billing.change_meter", meter.community_id)
    locked = Meter.objects.select_for_update().get(pk=meter.pk)
    if locked.unit_id is not None:
        Unit.objects.select_for_update().get(pk=locked.unit_id)
    if "number" in fields:
        locked.number = _on("number", _number, fields["number"])
        _on(
            "number", _check_number_free, locked.community_id, locked.kind, locked.number, locked.pk
        )
    if "multiplier" in fields:
        value = _on("multiplier", _multiplier, fields["multiplier"])
        if value != locked.multiplier and locked.readings.exists():
            message = _("The meter has readings: record a replacement to change its multiplier.")
            raise ValidationError(
                {"multiplier": ValidationError(message, code="multiplier_locked")}
            )
        locked.multiplier = value
    if "installed_on" in fields:
        _on("installed_on", _not_in_future, fields["installed_on"], _("The installation date"))
        locked.installed_on = fields["installed_on"]
    if "is_active" in fields:
        locked.is_active = bool(fields["is_active"])
        _on("is_active", _check_one_active, locked)
    locked.full_clean()
    locked._change_reason = _("Meter changed")  # type: ignore[attr-defined]
    locked.save()
    return locked


@transaction.atomic
def replace_meter(
    *,
    meter: Meter,
    replaced_on: dt.date | None,
    final_reading: Any,
    new_number: Any,
    initial_reading: Any,
    by: User,
    new_multiplier: Any = None,
) -> MeterReplacement:
    """Replace a meter by a new one, in one transaction: the old meter's final reading (not
    below its last reading), the new meter's number, multiplier (the old one's by default)
    and initial reading. The meter row keeps its readings and history; its next reading bills
    the old meter's last use plus the new meter's use (`usage_of`)."""
    require_perm(by, "billing.change_meter", meter.community_id)
    locked = Meter.objects.select_for_update().get(pk=meter.pk)
    if not locked.is_active:
        raise ValidationError(_("An inactive meter cannot be replaced."), code="meter_inactive")
    if replaced_on is None:
        message = _("Give the day the meter was replaced.")
        raise ValidationError({"replaced_on": ValidationError(message, code="no_date")})
    _on("replaced_on", _not_in_future, replaced_on, _("The replacement date"))
    final = _on("final_reading", _value, final_reading)
    initial = _on("initial_reading", _value, initial_reading)
    number = _on("new_number", _number, new_number)
    multiplier = (
        locked.multiplier
        if new_multiplier in (None, "")
        else _on("new_multiplier", _multiplier, new_multiplier)
    )
    last = locked.readings.order_by("-period").first()
    if last is not None and replaced_on < last.read_on:
        message = _("The meter was read on %(day)s, after this replacement date.") % {
            "day": f"{last.read_on:%Y-%m-%d}"
        }
        raise ValidationError(
            {"replaced_on": ValidationError(message, code="replaced_before_last_reading")}
        )
    if last is not None and final < last.value:
        message = _("The final reading %(final)s is below the last reading (%(last)s).") % {
            "final": f"{final:.2f}",
            "last": f"{last.value:.2f}",
        }
        raise ValidationError({"final_reading": ValidationError(message, code="final_below_last")})
    after_last = locked.replacements.all()
    if last is not None:
        after_last = after_last.filter(replaced_on__gt=last.read_on)
    if after_last.exists():
        raise ValidationError(
            _("The meter was already replaced since its last reading: record a reading first."),
            code="replaced_twice",
        )
    if number == locked.number:
        message = _("The new meter needs its own number.")
        raise ValidationError({"new_number": ValidationError(message, code="same_number")})
    _on("new_number", _check_number_free, locked.community_id, locked.kind, number, locked.pk)
    change = MeterReplacement.objects.create(
        community_id=locked.community_id,
        meter=locked,
        replaced_on=replaced_on,
        old_number=locked.number,
        old_multiplier=locked.multiplier,
        final_reading=final,
        new_number=number,
        new_multiplier=multiplier,
        initial_reading=initial,
        created_by=by,
    )
    locked.number, locked.multiplier = number, multiplier
    locked.installed_on, locked.initial_reading = replaced_on, initial
    locked.full_clean()
    reason = _("Replaced: %(old)s final %(final)s") % {"old": change.old_number, "final": final}
    locked._change_reason = reason[:100]  # type: ignore[attr-defined]
    locked.save()
    return change


# --- apportionment sets (公摊范围) -------------------------------------------------------------


@transaction.atomic
def save_apportionment_set(
    *, meter: Meter, name: Any, units: Sequence[Unit], by: User
) -> ApportionmentSet:
    """Set which units share a common meter's use (replacing the previous set, kept in its
    history): an active common meter, a name, at least one unit, every unit of the meter's
    community and none twice."""
    require_perm(by, "billing.change_meter", meter.community_id)
    locked = Meter.objects.select_for_update().get(pk=meter.pk)
    if locked.unit_id is not None:
        raise ValidationError(
            _("Only a common meter (without a unit) is shared."), code="not_common_meter"
        )
    if not locked.is_active:
        raise ValidationError(_("An inactive meter is not shared."), code="meter_inactive")
    title = str(name or "").strip()
    if not title:
        raise ValidationError({"name": ValidationError(_("Give the set a name."), code="required")})
    if len(title) > 60:
        message = _("A name has at most 60 characters.")
        raise ValidationError({"name": ValidationError(message, code="too_long")})
    ids = [unit.pk for unit in units]
    if not ids:
        message = _("Choose at least one unit that shares the meter.")
        raise ValidationError({"units": ValidationError(message, code="no_units")})
    if len(set(ids)) != len(ids):
        message = _("A unit is listed twice.")
        raise ValidationError({"units": ValidationError(message, code="duplicate_unit")})
    if any(unit.community_id != locked.community_id for unit in units):
        raise ValidationError(
            {"units": ValidationError(_("The unit is not in this community."), code="bad_unit")}
        )
    found = ApportionmentSet.objects.filter(meter=locked).first()
    group = found or ApportionmentSet(community_id=locked.community_id, meter=locked)
    group.name = title
    group._change_reason = _("Units sharing the meter set")  # type: ignore[attr-defined]
    group.save()
    group.units.set(ids)
    group.save()  # the history row with the new units
    return group


def apportioned_unit_ids(meter_id: int) -> set[int] | None:
    """The units that share a common meter, or None when it has no set (every unit the
    standard applies to shares it)."""
    group = ApportionmentSet.objects.filter(meter_id=meter_id).first()
    if group is None:
        return None
    return set(group.units.values_list("pk", flat=True))

"""Bill lines from meters: a unit's own meter (use × rate, with tiers) and a common meter
shared by area or per household (公摊)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.utils.translation import gettext as _

from guanjia.core.money import round_money

from ..models import FeeStandard, Meter, Method
from .calculation import Line, RateSpan, UnitFacts, month_end, shares, span_on, tiered_amount
from .meters import apportioned_unit_ids, usage_by_meter

SHARED = (Method.COMMON_SHARE_AREA, Method.COMMON_SHARE_HOUSEHOLD)


def metered_lines(
    standard: FeeStandard,
    facts: Sequence[UnitFacts],
    period: dt.date,
    spans: Sequence[RateSpan],
    warnings: list[str],
) -> list[Line]:
    """One line per unit with a reading for the month; a warning for each unit without."""
    span = span_on(spans, month_end(period))
    if span is None:
        raise ValueError(_("No rate is in force at the end of the month."))
    meters = dict(
        Meter.objects.filter(
            unit_id__in=[f.unit_id for f in facts], kind=standard.meter_kind, is_active=True
        ).values_list("unit_id", "pk")
    )
    usage = usage_by_meter(list(meters.values()), period)
    lines = []
    for unit in facts:
        use = usage.get(meters.get(unit.unit_id, 0))
        if use is None:
            warnings.append(_("%(room)s has no usable reading.") % {"room": unit.room_code})
            continue
        exact, text = tiered_amount(use, span)
        lines.append(
            Line(
                unit.unit_id,
                unit.room_code,
                1,
                round_money(exact, standard.rounding),
                text,
                {"use": str(use), "rate_version": span.version_id},
                unit.payer_id,
            )
        )
    return [line for line in lines if line.amount > 0]


def shared_lines(
    standard: FeeStandard,
    facts: Sequence[UnitFacts],
    period: dt.date,
    spans: Sequence[RateSpan],
) -> list[Line]:
    """The common meter's cost split over the units, by building area or per household: the
    units of the meter's apportionment set among those the standard applies to, or all of
    them when the meter has no set."""
    span = span_on(spans, month_end(period))
    meter = standard.common_meter
    if span is None or meter is None:
        raise ValueError(_("A shared fee needs a common meter and a rate in force."))
    use = usage_by_meter([meter.pk], period)[meter.pk]
    if use is None:
        raise ValueError(_("The common meter %(meter)s has no usable reading.") % {"meter": meter})
    total, text = tiered_amount(use, span)
    sharing = apportioned_unit_ids(meter.pk)
    if sharing is not None:  # the meter's apportionment set: only its units share
        facts = [f for f in facts if f.unit_id in sharing]
    by_area = standard.method == Method.COMMON_SHARE_AREA
    weights = {f.unit_id: (f.building_area or Decimal(0)) if by_area else Decimal(1) for f in facts}
    split = shares(weights, total, standard.rounding)
    whole = sum(weights.values(), Decimal(0))
    return [
        Line(
            f.unit_id,
            f.room_code,
            1,
            split[f.unit_id],
            f"({text}) × {weights[f.unit_id]} / {whole}",
            {"common_use": str(use), "total": str(total), "rate_version": span.version_id},
            f.payer_id,
        )
        for f in facts
        if split.get(f.unit_id, Decimal(0)) > 0
    ]

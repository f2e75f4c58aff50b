"""Fee items, fee standards and their rate versions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from guanjia.accounts.models import User
from guanjia.core.models import Community, Company
from guanjia.estates.models import Unit

from ..models import FeeItem, FeeStandard, FeeStandardVersion, UnitFeeException


@transaction.atomic
def create_fee_item(
    *,
    company: Company,
    code: str,
    name: str,
    category: str,
    by: User,
    gl_code: str = "",
    priority: int = 100,
) -> FeeItem:
    """A new fee item of the company; a duplicate code is refused."""
    item = FeeItem(
        company=company, code=code, name=name, category=category, gl_code=gl_code, priority=priority
    )
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def create_standard(
    *, community: Community, fee_item: FeeItem, by: User, **fields: Any
) -> FeeStandard:
    """A new fee standard; its rates are added as versions."""
    if fee_item.company_id != community.company_id:
        raise ValidationError(_("This fee item belongs to another company."), code="bad_item")
    standard = FeeStandard(community=community, fee_item=fee_item, **fields)
    standard.full_clean()
    standard.save()
    return standard


def _clean_rate(rate: Any) -> Decimal:
    try:
        value = Decimal(str(rate))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError(_("Enter a rate in yuan."), code="bad_rate") from exc
    if not value.is_finite() or value <= 0:
        raise ValidationError(_("A rate must be above zero."), code="rate_not_positive")
    if value != value.quantize(Decimal("0.0001")):
        raise ValidationError(_("A rate has at most four decimal places."), code="rate_precision")
    return value


@transaction.atomic
def add_rate_version(
    *,
    standard: FeeStandard,
    rate: Any,
    effective_from: dt.date | None,
    by: User,
    effective_to: dt.date | None = None,
    approval_ref: str = "",
) -> FeeStandardVersion:
    """A rate for a span of dates; overlapping another version of the standard is refused."""
    FeeStandard.objects.select_for_update().get(pk=standard.pk)  # serialise version changes
    value = _clean_rate(rate)
    if effective_from is None:
        raise ValidationError(_("A rate needs an effective date."), code="no_effective_date")
    if effective_to is not None and effective_to < effective_from:
        raise ValidationError(_("The end date must not be before the start date."), code="bad_span")
    overlap = standard.versions.filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=effective_from)
    )
    if effective_to is not None:
        overlap = overlap.filter(effective_from__lte=effective_to)
    if overlap.exists():
        raise ValidationError(
            _("This rate overlaps another version of the standard: end that one first."),
            code="overlapping_versions",
        )
    return FeeStandardVersion.objects.create(
        standard=standard,
        rate=value,
        effective_from=effective_from,
        effective_to=effective_to,
        approval_ref=approval_ref,
        created_by=by,
    )


@transaction.atomic
def change_rate(
    *,
    standard: FeeStandard,
    rate: Any,
    effective_from: dt.date | None,
    by: User,
    effective_to: dt.date | None = None,
    approval_ref: str = "",
) -> FeeStandardVersion:
    """A new rate from a date: the open version ends the day before, the new one starts.
    Any other overlap is refused."""
    if effective_from is None:
        raise ValidationError(_("A rate needs an effective date."), code="no_effective_date")
    _clean_rate(rate)
    current = standard.versions.filter(
        effective_to__isnull=True, effective_from__lt=effective_from
    ).first()
    if current is not None:
        current.effective_to = effective_from - dt.timedelta(days=1)
        current.save(update_fields=["effective_to", "updated_at"])
    return add_rate_version(
        standard=standard,
        rate=rate,
        effective_from=effective_from,
        by=by,
        effective_to=effective_to,
        approval_ref=approval_ref,
    )


@transaction.atomic
def add_unit_exception(
    *,
    unit: Unit,
    standard: FeeStandard,
    starts_on: dt.date | None,
    reason: str,
    by: User,
    rate: Any = None,
    ends_on: dt.date | None = None,
) -> UnitFeeException:
    """Bill one unit differently by a standard for a span: exempt (no rate) or at its own
    rate. Kept with history; overlapping exceptions of the same unit and standard refused."""
    if unit.community_id != standard.community_id:
        raise ValidationError(_("The unit is not in the standard's community."), code="bad_unit")
    if starts_on is None:
        raise ValidationError(_("An exception needs a start date."), code="no_start")
    if not reason.strip():
        raise ValidationError(_("Give a reason for the exception."), code="reason_required")
    own_rate = None if rate in (None, "") else _clean_rate(rate)
    overlap = UnitFeeException.objects.filter(unit=unit, standard=standard).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on)
    )
    if ends_on is not None:
        overlap = overlap.filter(starts_on__lte=ends_on)
    if overlap.exists():
        raise ValidationError(
            _("This unit already has an exception for these dates."), code="overlapping_exception"
        )
    exception = UnitFeeException(
        community_id=unit.community_id,
        unit=unit,
        standard=standard,
        rate=own_rate,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=reason.strip(),
        created_by=by,
    )
    exception.full_clean()
    exception.save()
    return exception

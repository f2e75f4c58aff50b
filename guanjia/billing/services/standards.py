"""Fee items, fee standards and their rate versions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.accounts.models import User
from guanjia.core import workflows
from guanjia.core.access import require_perm
from guanjia.core.models import Community, Company
from guanjia.estates.models import Unit

from ..models import (
    ApprovalStatus,
    FeeItem,
    FeeStandard,
    FeeStandardVersion,
    Method,
    UnitFeeException,
)
from .approvals import propose_again, record_proposal, start_proposal, tell_approvers


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
    """A new fee standard, awaiting finance's approval; its rates are added as versions."""
    if fee_item.company_id != community.company_id:
        raise ValidationError(_("This fee item belongs to another company."), code="bad_item")
    standard = FeeStandard(community=community, fee_item=fee_item, **fields)
    start_proposal(standard, by=by)
    standard.full_clean()
    standard.save()
    record_proposal(standard, by=by)
    tell_approvers(standard, by=by)
    return standard


# Fields a standard's page may change; those in AMOUNT_FIELDS change what units are billed,
# so changing one puts the standard back to awaiting approval.
EDITABLE_FIELDS = (
    "name",
    "method",
    "cycle",
    "billed_in",
    "rounding",
    "unit_kinds",
    "unit_statuses",
    "vacant_discount",
    "payer_rule",
    "developer",
    "meter_kind",
    "common_meter",
    "is_active",
)
AMOUNT_FIELDS = frozenset(
    {
        "method",
        "cycle",
        "billed_in",
        "rounding",
        "unit_kinds",
        "unit_statuses",
        "vacant_discount",
        "payer_rule",
        "meter_kind",
        "common_meter",
    }
)


def has_live_runs(standard: FeeStandard) -> bool:
    """Whether a posted (not reversed) run billed the standard's fee item in its community:
    its method is then fixed (a new method is a new standard)."""
    from ..models import BillingRun, RunStatus

    return (
        BillingRun.objects.filter(community_id=standard.community_id, fee_item=standard.fee_item_id)
        .exclude(status=RunStatus.REVERSED)
        .exists()
    )


def _same(old: Any, new: Any) -> bool:
    """Equal values; lists of unit types or statuses compare as sets (order means nothing)."""
    if isinstance(old, list) and isinstance(new, list):
        return sorted(map(str, old)) == sorted(map(str, new))
    return bool(old == new)


def _stored(name: str, value: Any) -> Any:
    """A field's value as kept in `pending_change` (JSON): related rows by primary key."""
    if name == "common_meter":
        return value.pk if value is not None else None
    return value


def pending_values(standard: FeeStandard) -> dict[str, Any]:
    """The proposed change as form initial values (related rows by primary key)."""
    return dict(standard.pending_change)


@transaction.atomic
def update_standard(*, standard: FeeStandard, by: User, **fields: Any) -> FeeStandard:
    """Change a standard's own fields (kept in its history).

    Name, developer and active apply at once. A change that moves amounts (AMOUNT_FIELDS):
    on a standard not yet approved, it is made and the standard (still unbilled) awaits
    approval again; on an approved standard, it is kept aside in `pending_change` for
    finance's decision and the approved values go on being billed meanwhile. A later edit
    replaces the pending change; an edit back to the approved values withdraws it."""
    locked: FeeStandard = workflows.lock(standard)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be changed here."), code="not_editable")
    changed = {name for name, value in fields.items() if not _same(getattr(locked, name), value)}
    if "method" in changed and has_live_runs(locked):
        raise ValidationError(
            _("A run billed this standard: its method cannot change. Add a new standard."),
            code="method_locked",
        )
    amounts = changed & AMOUNT_FIELDS
    pending = {name: _stored(name, fields[name]) for name in sorted(amounts)}
    now_applied = changed - AMOUNT_FIELDS if locked.is_approved else changed
    if not now_applied and pending == (locked.pending_change if locked.is_approved else {}):
        return locked
    for name in now_applied:
        setattr(locked, name, fields[name])
    if locked.is_approved:
        return _keep_change_aside(locked, pending, by=by)
    locked.full_clean()
    if amounts:
        # the change needs its own decision (文号)
        propose_again(locked, by=by, note=_describe_change(amounts), approval_ref="")
        tell_approvers(locked, by=by)
    else:
        locked.save()
    return locked


def _describe_change(names: set[str]) -> str:
    fields = (FeeStandard._meta.get_field(name) for name in sorted(names))
    return ", ".join(str(getattr(field, "verbose_name", field.name)) for field in fields)


def _keep_change_aside(locked: FeeStandard, pending: dict[str, Any], *, by: User) -> FeeStandard:
    """An approved standard: a change that moves amounts waits in `pending_change` (an event
    of the standard: requested, or withdrawn by an edit back to the approved values)."""
    previous = locked.pending_change
    proposes = bool(pending) and pending != previous
    locked.pending_change = pending
    if proposes:
        locked.proposed_by, locked.proposed_at = by, timezone.now()
    locked.full_clean()
    locked.save()
    if proposes:
        workflows.record_event(
            locked,
            by=by,
            action="change_requested",
            note=_describe_change(set(pending)),
            data={"change": pending},
        )
        tell_approvers(locked, by=by)
    elif previous and not pending:
        workflows.record_event(locked, by=by, action="change_withdrawn", data={"change": previous})
    return locked


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


def overlapping_versions(
    standard: FeeStandard,
    start: dt.date,
    end: dt.date | None,
    *,
    exclude: list[int] | None = None,
) -> QuerySet[FeeStandardVersion]:
    """The standard's versions (rejected ones left out) whose dates meet start..end."""
    found = standard.versions.exclude(approval_status=ApprovalStatus.REJECTED).filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=start)
    )
    if end is not None:
        found = found.filter(effective_from__lte=end)
    return found.exclude(pk__in=exclude or [])


@transaction.atomic
def add_rate_version(
    *,
    standard: FeeStandard,
    rate: Any,
    effective_from: dt.date | None,
    by: User,
    effective_to: dt.date | None = None,
    approval_ref: str = "",
    tiers: Any = None,
    _ends_open: bool = False,
) -> FeeStandardVersion:
    """A proposed rate for a span of dates (finance approves it before it is billed);
    overlapping another version of the standard (rejected ones aside) is refused."""
    FeeStandard.objects.select_for_update().get(pk=standard.pk)  # serialise version changes
    value = _clean_rate(rate)
    if effective_from is None:
        raise ValidationError(_("A rate needs an effective date."), code="no_effective_date")
    if effective_to is not None and effective_to < effective_from:
        raise ValidationError(_("The end date must not be before the start date."), code="bad_span")
    # change_rate: the open rates before this one end when it is approved, not now.
    ending = _open_before(standard, effective_from) if _ends_open else []
    if overlapping_versions(standard, effective_from, effective_to, exclude=ending).exists():
        raise ValidationError(
            _("This rate overlaps another version of the standard: end that one first."),
            code="overlapping_versions",
        )
    version = FeeStandardVersion(
        standard=standard,
        rate=value,
        effective_from=effective_from,
        effective_to=effective_to,
        approval_ref=approval_ref.strip(),
        tiers=clean_tiers(tiers, standard) if tiers else [],
        created_by=by,
    )
    start_proposal(version, by=by)
    version.full_clean()
    version.save()
    record_proposal(version, by=by)
    tell_approvers(version, by=by)
    return version


def _open_before(standard: FeeStandard, day: dt.date) -> list[int]:
    return list(
        standard.versions.exclude(approval_status=ApprovalStatus.REJECTED)
        .filter(effective_to__isnull=True, effective_from__lt=day)
        .values_list("pk", flat=True)
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
    tiers: Any = None,
) -> FeeStandardVersion:
    """Propose a new rate from a date: once finance approves it, the open rate ends the day
    before (until then the open rate goes on being billed). Any other overlap is refused."""
    return add_rate_version(
        standard=standard,
        rate=rate,
        effective_from=effective_from,
        by=by,
        effective_to=effective_to,
        approval_ref=approval_ref,
        tiers=tiers,
        _ends_open=True,
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


# --- tiers (阶梯) of a metered rate --------------------------------------------------------

TIERED_METHODS = frozenset(
    {Method.METERED, Method.COMMON_SHARE_AREA, Method.COMMON_SHARE_HOUSEHOLD}
)
MAX_TIERS = 10


def _tier_number(raw: Any, *, places: str, message: str, code: str) -> Decimal:
    try:
        value = Decimal(str(raw))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError(message, code=code) from exc
    too_large = value.is_finite() and value >= Decimal("100000000")  # before quantize
    if not value.is_finite() or value <= 0 or too_large:
        raise ValidationError(message, code=code)
    if value != value.quantize(Decimal(places)):
        raise ValidationError(message, code=code)
    return value


def clean_tiers(raw: Any, standard: FeeStandard) -> list[list[str | None]]:
    """A tier table as stored (`[[up to, rate], ..., [None, rate]]`): only for a metered or
    shared standard; each tier's upper limit above the one before (contiguous: a tier starts
    where the previous one ends), the last tier without a limit; rates above zero with at
    most four decimals, limits with at most two."""
    if standard.method not in TIERED_METHODS:
        raise ValidationError(
            _("Only a metered or shared standard has tiers."), code="tiers_not_metered"
        )
    if not isinstance(raw, list | tuple) or not raw:
        raise ValidationError(_("Give at least one tier."), code="tiers_empty")
    if len(raw) > MAX_TIERS:
        raise ValidationError(
            _("At most %(count)s tiers.") % {"count": MAX_TIERS}, code="tiers_too_many"
        )
    cleaned: list[list[str | None]] = []
    below = Decimal(0)
    for index, tier in enumerate(raw, start=1):
        if not isinstance(tier, list | tuple) or len(tier) != 2:
            raise ValidationError(
                _("Tier %(n)s: give its upper limit and its rate.") % {"n": index},
                code="bad_tier",
            )
        limit, rate = tier
        last = index == len(raw)
        price = _tier_number(
            rate,
            places="0.0001",
            message=_("Tier %(n)s: a rate above zero with at most four decimals.") % {"n": index},
            code="bad_tier_rate",
        )
        if last:
            if limit not in (None, ""):
                raise ValidationError(
                    _("The last tier has no upper limit: it takes all use above the one before."),
                    code="last_tier_limited",
                )
            cleaned.append([None, f"{price:.4f}"])
            continue
        if limit in (None, ""):
            raise ValidationError(
                _("Tier %(n)s needs an upper limit: only the last tier has none.") % {"n": index},
                code="tier_limit_required",
            )
        upper = _tier_number(
            limit,
            places="0.01",
            message=_("Tier %(n)s: an upper limit above zero with at most two decimals.")
            % {"n": index},
            code="bad_tier_limit",
        )
        if upper <= below:
            raise ValidationError(
                _("Tier %(n)s: its upper limit must be above the previous one (%(below)s).")
                % {"n": index, "below": below},
                code="tiers_not_increasing",
            )
        below = upper
        cleaned.append([f"{upper:.2f}", f"{price:.4f}"])
    return cleaned


@transaction.atomic
def set_rate_tiers(*, version: FeeStandardVersion, tiers: Any, by: User) -> FeeStandardVersion:
    """Set (or, with an empty list, remove) the tiers of a rate awaiting approval; `by`
    becomes its proposer (so may not approve it). An approved or rejected rate keeps its
    tiers: propose a new rate from a date instead. Kept in the rate's history and events."""
    locked: FeeStandardVersion = workflows.lock(version)
    standard = FeeStandard.objects.select_related("community").get(pk=locked.standard_id)
    require_perm(by, "billing.change_feestandardversion", standard.community_id)
    locked.standard = standard
    if locked.approval_status != ApprovalStatus.PROPOSED:
        raise ValidationError(
            _("Only a rate awaiting approval can change its tiers: propose a new rate instead."),
            code="tiers_locked",
        )
    try:
        cleaned = clean_tiers(tiers, standard) if tiers else []
    except ValidationError as exc:
        raise ValidationError({"tiers": exc}) from exc
    if cleaned == (locked.tiers or []):
        return locked
    locked._change_reason = _("Tiers changed")  # type: ignore[attr-defined]
    propose_again(locked, by=by, note=_("Tiers changed"), tiers=cleaned)
    tell_approvers(locked, by=by)
    return locked

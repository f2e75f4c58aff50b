"""Passes (spec §20): issue (one person one valid pass, a photo, fee and deposit by policy),
renew, change, return, refund or forfeit the deposit, report lost and reissue (the old number
blacklisted), confiscate, expire.

Money: the fee is a one-off charge on the unit's account (billing's `post_one_off_charge`,
paid at the cashier's counter like any charge); the deposit is a `deposit_in` entry of
billing's ledger when the pass is issued, and a `deposit_out` entry when it is refunded or
forfeited, so the unit's balance shows the deposit held (billing's `deposit` column)."""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.billing.models import FeeCategory, FeeItem
from guanjia.billing.services import (
    OneOffCharge,
    Posting,
    create_fee_item,
    open_period,
    post_entries,
    post_one_off_charge,
)
from guanjia.core import workflows
from guanjia.core.access import User, has_perm_in, require_perm
from guanjia.core.db import advisory_lock
from guanjia.core.files.checks import check_upload
from guanjia.core.files.types import PICTURES
from guanjia.core.models import Community
from guanjia.core.numbering.services import next_number
from guanjia.core.policies.selectors import policy
from guanjia.estates.models import Unit

from ..models import (
    DEPOSIT_HELD,
    WORKER_KINDS,
    GroupStatus,
    Pass,
    PassGroup,
    PassKind,
    PassStatus,
)
from ._common import IdNumber, field_error, required, same_community

PASS_KIND = "pass"  # noqa: S105 (core.numbering kind: CRZ-2026-000001)
FEE_CODE, DEPOSIT_CODE = "pass_fee", "pass_deposit"
ZERO = Decimal("0.00")
VALIDITY_KEYS: dict[str, str] = {
    PassKind.WORKER_LONG: "pass.worker_long_days",
    PassKind.WORKER_SHORT: "pass.worker_short_days",
    PassKind.SERVICE: "pass.temp_valid_days",
    PassKind.TENANT: "pass.tenant_max_days",
    PassKind.RESIDENT: "pass.resident_valid_days",
}


# --- Rules by type -----------------------------------------------------------------------------


def fee_and_deposit(community: Community, kind: str, unit: Unit) -> tuple[Decimal, Decimal]:
    """The fee and deposit of a new pass of `kind` (spec §20 table, by policy)."""
    if kind in WORKER_KINDS:
        return policy(community, "pass.worker_fee"), policy(community, "pass.worker_deposit")
    if kind == PassKind.SERVICE:
        return policy(community, "pass.temp_fee"), policy(community, "pass.temp_deposit")
    if kind == PassKind.TENANT:
        return policy(community, "pass.tenant_fee"), ZERO
    if kind == PassKind.RESIDENT:
        held = Pass.objects.filter(
            unit=unit, kind=PassKind.RESIDENT, status=PassStatus.ISSUED
        ).count()
        free = policy(community, "pass.resident_free_per_unit")
        return (ZERO if held < free else policy(community, "pass.resident_extra_fee")), ZERO
    return ZERO, ZERO


def longest_validity(community: Community, kind: str, start: dt.date) -> dt.date:
    """The last day a pass of `kind` starting on `start` may be valid."""
    if kind == PassKind.VISITOR:
        return start
    key = VALIDITY_KEYS[kind]
    last: dt.date = start + dt.timedelta(days=int(policy(community, key)) - 1)
    if kind == PassKind.SERVICE:  # a temporary pass does not cross the year end
        last = min(last, dt.date(start.year, 12, 31))
    return last


def _validity(
    community: Community, kind: str, start: dt.date, end: dt.date | None, today: dt.date
) -> dt.date:
    if start < today - dt.timedelta(days=1):
        raise field_error("valid_from", _("A pass cannot start in the past."), "past")
    longest = longest_validity(community, kind, start)
    if end is None:
        if kind == PassKind.TENANT:
            raise field_error(
                "valid_to", _("A tenant pass ends with the lease: give its end."), "required"
            )
        return longest
    if end < start:
        raise field_error("valid_to", _("The end is before the start."), "end_before_start")
    if end > longest:
        raise field_error(
            "valid_to",
            _("A pass of this type is valid until %(day)s at the latest.") % {"day": longest},
            "too_long",
        )
    return end


def _photo(community: Community, photo: Any, kind: str) -> Any:
    if not photo:
        if kind == PassKind.VISITOR:
            return None
        raise field_error("photo", _("A pass needs the holder's photo."), "required")
    limit = policy(community, "pass.photo_max_kb")
    if (getattr(photo, "size", 0) or 0) > limit * 1024:
        raise field_error(
            "photo", _("The photo is larger than %(kb)s KB.") % {"kb": limit}, "too_large"
        )
    return check_upload(photo, PICTURES, field="photo").file


# --- Money -------------------------------------------------------------------------------------


def _charge_fee(obj: Pass, amount: Decimal, reference: str, memo: str, by: User) -> None:
    if amount <= 0:
        return
    charge = OneOffCharge(
        unit_id=obj.unit_id,
        amount=amount,
        fee_code=FEE_CODE,
        fee_name=_("Pass fee"),
        reference=reference,
        day=timezone.localdate(),
        memo=memo,
    )
    post_one_off_charge(community=obj.community, charge=charge, by=by)


def _deposit_item(community: Community, by: User | None) -> FeeItem:
    advisory_lock(f"billing.fee_item:{community.company_id}:{DEPOSIT_CODE}")
    found = FeeItem.objects.filter(company_id=community.company_id, code=DEPOSIT_CODE).first()
    if found is not None:
        return found
    return create_fee_item(
        company=community.company,
        code=DEPOSIT_CODE,
        name=_("Pass deposit"),
        category=FeeCategory.DEPOSIT,
        by=by,  # type: ignore[arg-type]
    )


def _post_deposit(obj: Pass, kind: str, amount: Decimal, memo: str, by: User | None) -> None:
    """`deposit_in` (negative) when taken, `deposit_out` (positive) when refunded or
    forfeited: billing's deposit column of the unit follows the deposits held."""
    if amount <= 0:
        return
    community = obj.community
    item = _deposit_item(community, by)
    posting = Posting(
        unit_id=obj.unit_id,
        fee_item_id=item.pk,
        period=open_period(community, timezone.localdate()),
        kind=kind,
        amount=-amount if kind == "deposit_in" else amount,
        memo=memo,
        bill_ref=f"pass:{obj.pk}:deposit",
    )
    post_entries(community=community, postings=[posting], by=by)


# --- Issue -------------------------------------------------------------------------------------


def _expire_overdue_of(community: Community, id_hash: str, today: dt.date) -> None:
    """The person's passes past their end move to expired before a new one is issued."""
    overdue = Pass.objects.filter(
        community=community, id_number_hash=id_hash, status=PassStatus.ISSUED, valid_to__lt=today
    )
    for old in overdue:
        workflows.transition(old, PassStatus.EXPIRED, by=None, note=_("Past its end."))


def _new_number(community: Community) -> tuple[str, str]:
    return str(next_number(community=community, kind=PASS_KIND)), secrets.token_hex(6)


@transaction.atomic
def issue_pass(
    *,
    community: Community,
    kind: str,
    holder_name: str,
    id_number: str,
    unit: Unit,
    by: User,
    photo: Any = None,
    phone: str = "",
    group: PassGroup | None = None,
    employer: str = "",
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    host_called: bool = False,
) -> Pass:
    """Issue a pass of `kind` to one person, with fee and deposit by policy.

    Refused: a bad or missing ID number, no photo (but a visitor slip), a photo too large or
    not a picture, a unit or group of another community, a group suspended or closed, a
    period the type does not allow, a visitor whose host was not called, a person who
    already holds a valid pass (one person one pass)."""
    if kind == PassKind.VISITOR:
        if not (
            has_perm_in(by, "passes.check_pass", community)
            or has_perm_in(by, "passes.add_pass", community)
        ):
            require_perm(by, "passes.check_pass", community)
    else:
        require_perm(by, "passes.add_pass", community)
    if kind not in PassKind.values:
        raise field_error("kind", _("Choose the type of pass."), "invalid")
    same_community(unit, community.pk, "unit", _("Choose a unit of this community."))
    same_community(group, community.pk, "group", _("Choose a group of this community."))
    if group is not None and group.status != GroupStatus.ACTIVE:
        raise field_error(
            "group",
            _("The group “%(name)s” is %(status)s: it gets no new passes.")
            % {"name": group.name, "status": group.get_status_display()},
            "group_not_active",
        )
    name = required(holder_name, "holder_name", _("Give the holder's name."), limit=50)
    ident = IdNumber(id_number)
    if kind == PassKind.VISITOR and not host_called:
        raise field_error(
            "host_called",
            _("Call the host first: a visitor enters once the host agrees."),
            "host_not_called",
        )
    today = timezone.localdate()
    start = valid_from or today
    end = _validity(community, kind, start, valid_to, today)
    picture = _photo(community, photo, kind)
    advisory_lock(f"passes.person:{community.pk}:{ident.hash}")
    _expire_overdue_of(community, ident.hash, today)
    held = Pass.objects.filter(
        community=community, id_number_hash=ident.hash, status=PassStatus.ISSUED
    ).first()
    if held is not None:
        raise field_error(
            "id_number",
            _("This person already holds pass %(number)s: one person, one pass.")
            % {"number": held.number},
            "one_pass",
        )
    fee, deposit = fee_and_deposit(community, kind, unit)
    return _create(
        community=community,
        kind=kind,
        name=name,
        ident=(ident.cipher, ident.hash, ident.masked),
        unit=unit,
        group=group,
        employer=employer.strip()[:100],
        phone=phone.strip()[:20],
        start=start,
        end=end,
        fee=fee,
        deposit=deposit,
        picture=picture,
        host_called=host_called,
        replaces=None,
        by=by,
    )


def _create(
    *,
    community: Community,
    kind: str,
    name: str,
    ident: tuple[str, str, str],
    unit: Unit,
    group: PassGroup | None,
    employer: str,
    phone: str,
    start: dt.date,
    end: dt.date,
    fee: Decimal,
    deposit: Decimal,
    picture: Any,
    host_called: bool,
    replaces: Pass | None,
    by: User,
) -> Pass:
    number, token = _new_number(community)
    obj = Pass(
        community=community,
        number=number,
        token=token,
        kind=kind,
        holder_name=name,
        id_number_cipher=ident[0],
        id_number_hash=ident[1],
        id_number_masked=ident[2],
        phone=phone,
        unit=unit,
        group=group,
        employer=employer,
        valid_from=start,
        valid_to=end,
        fee=fee,
        deposit=deposit,
        host_called=host_called,
        replaces=replaces,
        issued_by=by,
    )
    if picture is not None:
        obj.photo.save("photo", picture, save=False)
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:  # the same person at another desk at the same moment
        raise field_error(
            "id_number",
            _("This person already holds a valid pass: one person, one pass."),
            "one_pass",
        ) from None
    workflows.record_creation(obj, by=by)
    memo = f"{obj.number} {obj.holder_name}"
    _charge_fee(obj, fee, f"pass:{obj.pk}:fee", memo, by)
    _post_deposit(obj, "deposit_in", deposit, memo, by)
    return obj


# --- Renew, change -----------------------------------------------------------------------------


def _kind_fee(community: Community, kind: str) -> Decimal:
    if kind in WORKER_KINDS:
        return policy(community, "pass.worker_fee")  # type: ignore[no-any-return]
    if kind == PassKind.SERVICE:
        return policy(community, "pass.temp_fee")  # type: ignore[no-any-return]
    if kind == PassKind.TENANT:
        return policy(community, "pass.tenant_fee")  # type: ignore[no-any-return]
    return ZERO


@transaction.atomic
def renew_pass(*, pass_obj: Pass, valid_to: dt.date, by: User) -> Pass:
    """A valid pass runs on to `valid_to` (before it expires; the type's fee again)."""
    require_perm(by, "passes.change_pass", pass_obj.community_id)
    locked = workflows.lock(pass_obj)
    if locked.status != PassStatus.ISSUED or locked.kind == PassKind.VISITOR:
        raise field_error(
            "valid_to", _("Only a valid pass is renewed (a visitor slip never)."), "not_renewable"
        )
    if locked.group_id is not None and locked.group.status != GroupStatus.ACTIVE:  # type: ignore[union-attr]
        raise field_error(
            "valid_to", _("The pass's group is suspended or closed."), "group_not_active"
        )
    today = timezone.localdate()
    if locked.valid_to < today:
        raise field_error("valid_to", _("This pass has expired: issue a new one."), "expired")
    if valid_to <= locked.valid_to:
        raise field_error(
            "valid_to", _("The new end must be after the current one."), "end_before_start"
        )
    longest = longest_validity(locked.community, locked.kind, locked.valid_to)
    if valid_to > longest:
        raise field_error(
            "valid_to",
            _("A pass of this type is valid until %(day)s at the latest.") % {"day": longest},
            "too_long",
        )
    old = locked.valid_to
    fee = _kind_fee(locked.community, locked.kind)
    locked.valid_to = valid_to
    locked.save(update_fields=["valid_to", "updated_at"])
    event = workflows.record_event(
        locked,
        by=by,
        action="renewed",
        data={"from": str(old), "to": str(valid_to), "fee": str(fee)},
    )
    _charge_fee(locked, fee, f"pass:{locked.pk}:renew:{event.pk}", locked.number, by)
    pass_obj.valid_to = valid_to
    return locked


@transaction.atomic
def change_pass(
    *,
    pass_obj: Pass,
    by: User,
    unit: Unit | None = None,
    employer: str | None = None,
    phone: str | None = None,
    photo: Any = None,
) -> Pass:
    """Change the unit, employer, phone or photo of a valid pass (a different person gets a
    pass of their own)."""
    require_perm(by, "passes.change_pass", pass_obj.community_id)
    locked = workflows.lock(pass_obj)
    if locked.status != PassStatus.ISSUED:
        raise field_error("unit", _("Only a valid pass is changed."), "not_changeable")
    same_community(unit, locked.community_id, "unit", _("Choose a unit of this community."))
    changes: dict[str, str] = {}
    fields = ["updated_at"]
    if unit is not None and unit.pk != locked.unit_id:
        changes["unit"] = f"{locked.unit.room_code} → {unit.room_code}"
        locked.unit = unit
        fields.append("unit")
    if employer is not None and employer.strip() != locked.employer:
        changes["employer"] = f"{locked.employer} → {employer.strip()}"
        locked.employer = employer.strip()[:100]
        fields.append("employer")
    if phone is not None and phone.strip() != locked.phone:
        changes["phone"] = "changed"
        locked.phone = phone.strip()[:20]
        fields.append("phone")
    if photo:
        locked.photo.save("photo", _photo(locked.community, photo, locked.kind), save=False)
        changes["photo"] = "changed"
        fields.append("photo")
    if not changes:
        raise field_error("unit", _("Nothing was changed."), "no_change")
    locked.save(update_fields=fields)
    workflows.record_event(locked, by=by, action="changed", data=changes)
    return locked


# --- Return, refund, forfeit -------------------------------------------------------------------


def window_days(community: Community) -> int:
    return int(policy(community, "pass.return_window_days"))


def _forfeit(locked: Pass, *, by: User | None, note: str) -> None:
    held = locked.deposit - locked.deposit_refunded
    _post_deposit(locked, "deposit_out", held, f"{locked.number} {note}", by)


@transaction.atomic
def return_pass(*, pass_obj: Pass, by: User, on: dt.date | None = None) -> Pass:
    """The pass handed back. Within `pass.return_window_days` after its end the deposit can be
    refunded; later it is forfeited at once (spec §20)."""
    require_perm(by, "passes.change_pass", pass_obj.community_id)
    day = on or timezone.localdate()
    locked = workflows.lock(pass_obj)
    workflows.transition(locked, PassStatus.RETURNED, by=by, returned_on=day)
    late = day > locked.return_deadline(window_days(locked.community))
    if late and locked.deposit > 0:
        _forfeit(locked, by=None, note="late")
        workflows.transition(
            locked,
            PassStatus.FORFEITED,
            by=None,
            note=_("Returned after the window: the deposit is not refunded."),
            closed_at=timezone.now(),
        )
    _copy(locked, pass_obj)
    return locked


@transaction.atomic
def refund_deposit(
    *, pass_obj: Pass, by: User, amount: Decimal | None = None, note: str = ""
) -> Pass:
    """Refund the deposit of a returned pass (all of it, or `amount`: the rest is forfeited,
    with `note` saying why). Refused: a pass not returned, refunded already, no deposit, an
    amount of zero or above what is held, a return after the window."""
    require_perm(by, "passes.refund_pass_deposit", pass_obj.community_id)
    locked = workflows.lock(pass_obj)
    held = locked.deposit - locked.deposit_refunded if locked.status in DEPOSIT_HELD else ZERO
    if locked.status == PassStatus.REFUNDED:
        raise field_error("amount", _("This deposit is already refunded."), "already_refunded")
    if locked.status != PassStatus.RETURNED:
        workflows.check_transition(locked, PassStatus.REFUNDED, by=by)
    if held <= 0:
        raise field_error("amount", _("This pass has no deposit to refund."), "no_deposit")
    if locked.returned_on and locked.returned_on > locked.return_deadline(
        window_days(locked.community)
    ):
        raise field_error(
            "amount", _("Returned after the window: the deposit is not refunded."), "too_late"
        )
    pay = held if amount is None else amount
    if pay <= 0:
        raise field_error("amount", _("Refund more than zero."), "bad_amount")
    if pay > held:
        raise field_error(
            "amount",
            _("At most the deposit held, %(held)s yuan, is refunded.") % {"held": held},
            "above_held",
        )
    if pay < held and not note.strip():
        raise field_error("note", _("Say why part of the deposit is kept."), "reason_required")
    _post_deposit(locked, "deposit_out", pay, f"{locked.number} refund", by)
    if pay < held:
        _post_deposit(locked, "deposit_out", held - pay, f"{locked.number} kept", by)
    workflows.transition(
        locked,
        PassStatus.REFUNDED,
        by=by,
        note=note.strip()[:500],
        data={"refunded": str(pay), "kept": str(held - pay)},
        deposit_refunded=locked.deposit_refunded + pay,
        closed_at=timezone.now(),
    )
    _copy(locked, pass_obj)
    return locked


@transaction.atomic
def forfeit_deposit(*, pass_obj: Pass, reason: str, by: User) -> Pass:
    """Keep the deposit of a returned or expired pass (damaged, altered, returned late)."""
    require_perm(by, "passes.refund_pass_deposit", pass_obj.community_id)
    text = required(reason, "reason", _("Say why the deposit is kept."), limit=500)
    locked = workflows.lock(pass_obj)
    workflows.check_transition(locked, PassStatus.FORFEITED, by=by)
    _forfeit(locked, by=by, note=text)
    workflows.transition(locked, PassStatus.FORFEITED, by=by, note=text, closed_at=timezone.now())
    _copy(locked, pass_obj)
    return locked


# --- Lost, reissue, confiscate -----------------------------------------------------------------


@transaction.atomic
def report_lost(*, pass_obj: Pass, by: User, note: str = "") -> Pass:
    """Reported lost: its number is blacklisted at the gate and its deposit not refunded."""
    require_perm(by, "passes.change_pass", pass_obj.community_id)
    locked = workflows.lock(pass_obj)
    workflows.check_transition(locked, PassStatus.LOST, by=by)
    _forfeit(locked, by=by, note="lost")
    workflows.transition(
        locked, PassStatus.LOST, by=by, note=note.strip()[:500], closed_at=timezone.now()
    )
    _copy(locked, pass_obj)
    return locked


@transaction.atomic
def reissue_pass(*, pass_obj: Pass, by: User, photo: Any = None) -> Pass:
    """A new pass (new number, the reissue fee, a new deposit) for a lost one, to the same
    person, unit, group and end; the old number stays blacklisted."""
    require_perm(by, "passes.add_pass", pass_obj.community_id)
    old = workflows.lock(pass_obj)
    workflows.check_transition(old, PassStatus.REISSUED, by=by)
    community = old.community
    if old.group_id is not None and old.group.status != GroupStatus.ACTIVE:  # type: ignore[union-attr]
        raise field_error(
            "group", _("The pass's group is suspended or closed."), "group_not_active"
        )
    today = timezone.localdate()
    if old.valid_to < today:
        raise field_error("valid_to", _("The lost pass had expired: issue a new one."), "expired")
    picture = _photo(community, photo, old.kind) if photo else None
    workflows.transition(old, PassStatus.REISSUED, by=by)
    deposit = fee_and_deposit(community, old.kind, old.unit)[1]
    new = _create(
        community=community,
        kind=old.kind,
        name=old.holder_name,
        ident=(old.id_number_cipher, old.id_number_hash, old.id_number_masked),
        unit=old.unit,
        group=old.group,
        employer=old.employer,
        phone=old.phone,
        start=max(today, old.valid_from),
        end=old.valid_to,
        fee=policy(community, "pass.reissue_fee"),
        deposit=deposit,
        picture=None,
        host_called=old.host_called,
        replaces=old,
        by=by,
    )
    if picture is not None:
        new.photo.save("photo", picture, save=True)
    elif old.photo:
        new.photo.name = old.photo.name  # the same stored picture
        new.save(update_fields=["photo"])
    _copy(old, pass_obj)
    return new


@transaction.atomic
def confiscate_pass(*, pass_obj: Pass, reason: str, by: User) -> Pass:
    """Lent, altered or misused: taken away, blacklisted, the deposit forfeited."""
    text = required(reason, "reason", _("Say why the pass is confiscated."), limit=500)
    locked = workflows.lock(pass_obj)
    workflows.check_transition(locked, PassStatus.CONFISCATED, by=by)
    _forfeit(locked, by=by, note="confiscated")
    workflows.transition(locked, PassStatus.CONFISCATED, by=by, note=text, closed_at=timezone.now())
    _copy(locked, pass_obj)
    return locked


# --- Expiry ------------------------------------------------------------------------------------


@transaction.atomic
def expire_passes(*, community: Community, today: dt.date | None = None) -> dict[str, int]:
    """Passes past their end: expired; expired ones past the return window: deposit
    forfeited. Idempotent (the nightly job)."""
    today = today or timezone.localdate()
    expired = forfeited = 0
    for obj in Pass.objects.filter(
        community=community, status=PassStatus.ISSUED, valid_to__lt=today
    ):
        workflows.transition(obj, PassStatus.EXPIRED, by=None, note=_("Past its end."))
        expired += 1
    cutoff = today - dt.timedelta(days=window_days(community))
    late = Pass.objects.filter(community=community, status=PassStatus.EXPIRED, valid_to__lt=cutoff)
    for obj in late.select_related("community"):
        locked = workflows.lock(obj)
        _forfeit(locked, by=None, note="not returned")
        workflows.transition(
            locked,
            PassStatus.FORFEITED,
            by=None,
            note=_("Not returned within the window: the deposit is not refunded."),
            closed_at=timezone.now(),
        )
        forfeited += 1
    return {"expired": expired, "forfeited": forfeited}


def expire_passes_daily() -> dict[str, int]:
    """The nightly job: every community's passes and slips."""
    from .slips import expire_slips

    totals = {"expired": 0, "forfeited": 0, "slips": 0}
    ids = set(
        Pass.objects.filter(Q(status=PassStatus.ISSUED) | Q(status=PassStatus.EXPIRED)).values_list(
            "community_id", flat=True
        )
    )
    from ..models import OPEN_SLIP, ReleaseSlip

    ids |= set(
        ReleaseSlip.objects.filter(status__in=OPEN_SLIP).values_list("community_id", flat=True)
    )
    for community in Community.objects.filter(pk__in=ids):
        done = expire_passes(community=community)
        totals["expired"] += done["expired"]
        totals["forfeited"] += done["forfeited"]
        totals["slips"] += expire_slips(community=community)
    return totals


def _copy(source: Pass, target: Pass) -> None:
    if source is not target:
        for field in source._meta.concrete_fields:
            setattr(target, field.attname, getattr(source, field.attname))

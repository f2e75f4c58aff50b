"""The vacant-unit register (spec §13 steps 1 and 8): a unit enters from its status (unsold,
sold but not moved in, delivered and not in use) or on its owner's request (a long absence,
with the written authorisation, the scope of entry and the liability waiver), and leaves when
the owner moves in, renovates, rents or sells.

The unit's status follows the register through `estates.services.change_unit_status`: a
delivered unit registered as not in use becomes `vacant` (billing's vacant discount reads
that status), and becomes occupied, renovating or rented again when it leaves."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.core import workflows
from guanjia.core.access import User, require_perm
from guanjia.core.db import advisory_lock
from guanjia.core.files.checks import check_upload
from guanjia.core.files.types import PICTURES_AND_PDF
from guanjia.core.models import Community
from guanjia.core.policies.selectors import policy
from guanjia.desk.models import Key
from guanjia.estates.models import Unit, UnitEvent, UnitStatus
from guanjia.estates.services import change_unit_status

from ..models import (
    CareTask,
    Category,
    ExitReason,
    PowerState,
    Source,
    VacancyStatus,
    VacantUnit,
    VacantUnitEvent,
)
from ._common import field_error, required

S = UnitStatus
# The unit statuses each category fits (spec §13's definition; estates' lifecycle, §09).
CATEGORY_STATUSES: dict[str, frozenset[str]] = {
    Category.UNSOLD: frozenset({S.UNSOLD}),
    Category.NOT_MOVED_IN: frozenset({S.SOLD_NOT_NOTIFIED, S.NOTIFIED, S.REFUSED}),
    Category.UNOCCUPIED: frozenset({S.DELIVERED, S.DEEMED_DELIVERED, S.VACANT}),
    Category.LONG_ABSENCE: frozenset({S.OCCUPIED, S.RENTED}),
}
# A register entry made from the unit's status alone (sync_from_units).
STATUS_CATEGORY: dict[str, str] = {
    S.UNSOLD: Category.UNSOLD,
    S.SOLD_NOT_NOTIFIED: Category.NOT_MOVED_IN,
    S.NOTIFIED: Category.NOT_MOVED_IN,
    S.REFUSED: Category.NOT_MOVED_IN,
    S.VACANT: Category.UNOCCUPIED,
}
# Leaving vacancy: the reasons each category allows, and the unit status a `vacant` unit
# moves to (other statuses stay: the move-in procedure moves a sold unit on).
EXIT_REASONS: dict[str, frozenset[str]] = {
    Category.UNSOLD: frozenset({ExitReason.SOLD}),
    Category.NOT_MOVED_IN: frozenset(
        {ExitReason.MOVED_IN, ExitReason.RENOVATING, ExitReason.RENTED}
    ),
    Category.UNOCCUPIED: frozenset({ExitReason.MOVED_IN, ExitReason.RENOVATING, ExitReason.RENTED}),
    Category.LONG_ABSENCE: frozenset(
        {ExitReason.RETURNED, ExitReason.SOLD, ExitReason.RENTED, ExitReason.RENOVATING}
    ),
}
UNIT_STATUS_AFTER: dict[str, str] = {
    ExitReason.MOVED_IN: S.OCCUPIED,
    ExitReason.RENOVATING: S.RENOVATING,
    ExitReason.RENTED: S.RENTED,
}


def _authorisation_max(community: Community) -> int:
    return int(policy(community, "vacant.photo_max_mb")) * 1024 * 1024


@transaction.atomic
def register_vacancy(
    *,
    community: Community,
    unit: Unit,
    category: str,
    by: User,
    since: dt.date | None = None,
    key: Key | None = None,
    water: str = PowerState.OFF,
    power: str = PowerState.OFF,
    notes: str = "",
    requested_by: str = "",
    authorisation: UploadedFile | None = None,
    entry_scope: str = "",
    liability_waiver: bool = False,
) -> VacantUnit:
    """Enter a unit in the register. Refused: a unit of another community, a category that
    does not fit the unit's status, a unit already in the register, a date in the future, a
    key of another unit; an owner's request without the written authorisation, the scope of
    entry or the signed liability waiver."""
    require_perm(by, "vacant.add_vacantunit", community)
    if unit.community_id != community.pk:
        raise field_error("unit", _("Choose a unit of this community."), "other_community")
    if category not in Category.values:
        raise field_error("category", _("Choose the category."), "invalid")
    today = timezone.localdate()
    since = since or today
    if since > today:
        raise field_error("since", _("A unit cannot be vacant from a future date."), "future")
    for name, value in (("water", water), ("power", power)):
        if value not in PowerState.values:
            raise field_error(name, _("Choose on or off."), "invalid")
    if key is not None and (key.community_id != community.pk or key.unit_id != unit.pk):
        raise field_error("key", _("Choose a key of this unit."), "other_unit")
    locked = Unit.objects.select_for_update().get(pk=unit.pk)
    if locked.status not in CATEGORY_STATUSES[category]:
        raise field_error(
            "category",
            _("A unit that is “%(status)s” cannot be registered as “%(category)s”.")
            % {"status": locked.get_status_display(), "category": Category(category).label},
            "status_mismatch",
        )
    if VacantUnit.objects.filter(unit=locked, status=VacancyStatus.VACANT).exists():
        raise field_error(
            "unit", _("This unit is already in the vacant-unit register."), "already_vacant"
        )
    vacancy = VacantUnit(
        community=community,
        unit=locked,
        category=category,
        source=Source.OFFICE,
        since=since,
        key=key,
        water=water,
        power=power,
        notes=notes.strip()[:500],
        registered_by=by,
    )
    if category == Category.LONG_ABSENCE:
        _owner_request(vacancy, requested_by, authorisation, entry_scope, liability_waiver)
    try:
        with transaction.atomic():
            vacancy.save()
    except IntegrityError:  # the same unit registered at the same moment elsewhere
        raise field_error(
            "unit", _("This unit is already in the vacant-unit register."), "already_vacant"
        ) from None
    workflows.record_creation(vacancy, by=by, action="registered")
    if category == Category.UNOCCUPIED and locked.status != S.VACANT:
        change_unit_status(unit=locked, to=S.VACANT, by=by, note=_("Vacant-unit register"))
    return vacancy


def _owner_request(
    vacancy: VacantUnit,
    requested_by: str,
    authorisation: UploadedFile | None,
    entry_scope: str,
    liability_waiver: bool,
) -> None:
    """An owner's long absence (spec §13, edge cases): all three papers, or nothing saved."""
    vacancy.source = Source.OWNER_REQUEST
    vacancy.requested_by = required(
        requested_by, "requested_by", _("Give the name of the owner who asks.")
    )[:50]
    vacancy.entry_scope = required(
        entry_scope, "entry_scope", _("Write down what the office may enter the unit for.")
    )[:300]
    if not liability_waiver:
        raise field_error(
            "liability_waiver",
            _("The owner signs the liability waiver before the office holds the keys."),
            "required",
        )
    vacancy.liability_waiver = True
    if authorisation is None:
        raise field_error(
            "authorisation",
            _("Attach the owner's written authorisation (a scan or a photo)."),
            "required",
        )
    if (authorisation.size or 0) > _authorisation_max(vacancy.community):
        raise field_error("authorisation", _("The file is too large."), "too_large")
    checked = check_upload(authorisation, PICTURES_AND_PDF, field="authorisation")
    vacancy.authorisation = checked.file
    vacancy.authorisation_name = checked.original_name


@transaction.atomic
def update_vacancy(
    *,
    vacancy: VacantUnit,
    by: User,
    key: Key | None,
    water: str,
    power: str,
    notes: str = "",
) -> VacantUnit:
    """The register line's key and water and power as they are now."""
    require_perm(by, "vacant.change_vacantunit", vacancy.community_id)
    locked = workflows.lock(vacancy)
    if not locked.is_open:
        raise field_error("key", _("This unit is no longer vacant."), "not_vacant")
    for name, value in (("water", water), ("power", power)):
        if value not in PowerState.values:
            raise field_error(name, _("Choose on or off."), "invalid")
    if key is not None and (
        key.community_id != locked.community_id or key.unit_id != locked.unit_id
    ):
        raise field_error("key", _("Choose a key of this unit."), "other_unit")
    locked.key, locked.water, locked.power = key, water, power
    locked.notes = notes.strip()[:500]
    locked.save(update_fields=["key", "water", "power", "notes", "updated_at"])
    return locked


@transaction.atomic
def leave_vacancy(
    *, vacancy: VacantUnit, reason: str, by: User, on: dt.date | None = None, note: str = ""
) -> VacantUnit:
    """The unit leaves the register: its open tasks are cancelled and a `vacant` unit moves
    to occupied, renovating or rented (estates' lifecycle)."""
    require_perm(by, "vacant.change_vacantunit", vacancy.community_id)
    locked = workflows.lock(vacancy)
    if not locked.is_open:
        raise field_error("reason", _("This unit is no longer vacant."), "not_vacant")
    if reason not in ExitReason.values:
        raise field_error("reason", _("Choose why the unit is no longer vacant."), "invalid")
    if reason not in EXIT_REASONS[locked.category]:
        raise field_error(
            "reason",
            _("A unit registered as “%(category)s” does not leave vacancy by “%(reason)s”.")
            % {"category": locked.get_category_display(), "reason": ExitReason(reason).label},
            "reason_mismatch",
        )
    today = timezone.localdate()
    on = on or today
    if on > today or on < locked.since:
        raise field_error("on", _("The date is between the vacancy's start and today."), "invalid")
    unit = Unit.objects.select_for_update().get(pk=locked.unit_id)
    workflows.transition(
        locked,
        VacancyStatus.LEFT,
        by=by,
        action="left",
        note=note.strip()[:500] or str(ExitReason(reason).label),
        left_on=on,
        exit_reason=reason,
    )
    CareTask.objects.open().filter(vacant_unit=locked).update(
        cancelled_at=timezone.now(), updated_at=timezone.now()
    )
    after = UNIT_STATUS_AFTER.get(reason)
    if unit.status == S.VACANT and after:
        change_unit_status(unit=unit, to=after, by=by, note=_("Left the vacant-unit register"))
    elif unit.status == S.UNSOLD and reason == ExitReason.SOLD:
        change_unit_status(
            unit=unit, to=S.SOLD_NOT_NOTIFIED, by=by, note=_("Left the vacant-unit register")
        )
    return locked


@transaction.atomic
def sync_from_units(*, community: Community, by: User) -> int:
    """Enter every unit whose status makes it vacant (unsold, sold but not moved in, vacant)
    and that is not in the register yet; a second run adds nothing. Returns how many."""
    require_perm(by, "vacant.add_vacantunit", community)
    advisory_lock(f"vacant.register:{community.pk}")
    open_units = VacantUnit.objects.filter(community=community, status=VacancyStatus.VACANT).values(
        "unit_id"
    )
    # Since: the day the unit entered its status (its last status event), else today.
    entered = UnitEvent.objects.filter(unit=OuterRef("pk"), to_status=OuterRef("status"))
    rows = (
        Unit.objects.filter(community=community, status__in=list(STATUS_CATEGORY))
        .exclude(pk__in=open_units)
        .annotate(entered=Subquery(entered.order_by("-at").values("at")[:1]))
        .values_list("pk", "status", "entered")
    )
    today, now = timezone.localdate(), timezone.now()
    made = [
        VacantUnit(
            community=community,
            unit_id=pk,
            category=STATUS_CATEGORY[status],
            source=Source.UNIT_STATUS,
            since=timezone.localdate(at) if at else today,
            registered_by=by,
        )
        for pk, status, at in rows.iterator(chunk_size=2000)
    ]
    created = VacantUnit.objects.bulk_create(made, batch_size=1000)
    VacantUnitEvent.objects.bulk_create(
        [
            VacantUnitEvent(
                vacant_unit=v,
                actor=by,
                at=now,
                action="registered",
                from_status="",
                to_status=VacancyStatus.VACANT,
                note=_("From the unit's status"),
            )
            for v in created
        ],
        batch_size=1000,
    )
    return len(created)

"""The contractor register and the banned list (spec §16, §19). `ban_contractor` is the one
service other apps (the violations app, §19) call to ban."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.core.access import User, require_perm
from guanjia.core.models import Community

from ..models import Contractor, ContractorBan
from ._common import refuse, text

LICENCE_MAX = 30


def _clean(contractor: Contractor) -> None:
    contractor.name = text(contractor.name, "name", 100, required=True)
    contractor.licence_no = text(contractor.licence_no, "licence_no", LICENCE_MAX, required=True)
    contractor.licence_no = contractor.licence_no.upper()
    contractor.qualification = text(contractor.qualification, "qualification", 100)
    contractor.person_in_charge = text(
        contractor.person_in_charge, "person_in_charge", 50, required=True
    )
    contractor.phone = text(contractor.phone, "phone", 30, required=True)
    contractor.fire_safety_person = text(
        contractor.fire_safety_person, "fire_safety_person", 50, required=True
    )


@transaction.atomic
def save_contractor(*, contractor: Contractor, by: User) -> Contractor:
    """Register a contractor or correct its details (the licence no. is unique)."""
    perm = "renovation.change_contractor" if contractor.pk else "renovation.add_contractor"
    require_perm(by, perm, contractor.community_id)
    _clean(contractor)
    taken = Contractor.objects.filter(
        community_id=contractor.community_id, licence_no=contractor.licence_no
    ).exclude(pk=contractor.pk)
    if taken.exists():
        raise refuse(
            "licence_no", _("A contractor with this licence no. is registered."), "duplicate"
        )
    try:
        with transaction.atomic():
            contractor.save()
    except IntegrityError:
        raise refuse(
            "licence_no", _("A contractor with this licence no. is registered."), "duplicate"
        ) from None
    return contractor


@transaction.atomic
def ban_contractor(
    *,
    contractor: Contractor,
    reason: str,
    by: User,
    until: dt.date | None = None,
    starts_on: dt.date | None = None,
    source: str = "",
) -> ContractorBan:
    """Put the contractor on the banned list from `starts_on` (today) until `until` (None:
    for good). Its new applications are refused at once while the ban is in force."""
    require_perm(by, "renovation.ban_contractor", contractor.community_id)
    reason = text(reason, "reason", 500, required=True)
    start = starts_on or timezone.localdate()
    if until is not None and until < start:
        raise refuse("until", _("A ban ends on or after the day it starts."), "until_before_start")
    Contractor.objects.select_for_update().filter(pk=contractor.pk).first()
    return ContractorBan.objects.create(
        community_id=contractor.community_id,
        contractor=contractor,
        reason=reason,
        starts_on=start,
        until=until,
        by=by,
        source=text(source, "source", 60),
    )


@transaction.atomic
def lift_ban(*, ban: ContractorBan, by: User) -> ContractorBan:
    """End a ban early (an appeal upheld): the row stays on the list as history."""
    require_perm(by, "renovation.ban_contractor", ban.community_id)
    locked = ContractorBan.objects.select_for_update().get(pk=ban.pk)
    if locked.lifted_at is not None:
        raise ValidationError(_("This ban is already lifted."), code="already_lifted")
    locked.lifted_at = timezone.now()
    locked.lifted_by = by
    locked.save(update_fields=["lifted_at", "lifted_by", "updated_at"])
    return locked


def banned_contractor_ids(community: Community, day: dt.date | None = None) -> set[int]:
    """The contractors of `community` banned on `day` (today)."""
    on = day or timezone.localdate()
    rows: Any = ContractorBan.objects.in_community(community)
    rows = rows.in_force(on)
    return set(rows.values_list("contractor_id", flat=True))

"""The inspection of a vacant unit (空置房巡查记录表, spec §13 steps 3 and 7), taken on a phone:
each item checked, photos, and for a problem the repair opened in the same step and the
owner told. A meter running in an empty unit is a problem of its own (flagged)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.core.access import User, require_perm
from guanjia.core.files.checks import check_upload
from guanjia.core.files.types import PICTURES
from guanjia.core.notifications.services import Channel as SendChannel
from guanjia.core.notifications.services import notify_address
from guanjia.core.policies.selectors import policy
from guanjia.estates.models import Ownership, Unit
from guanjia.tickets.models import (
    Channel,
    Location,
    RepairCategory,
    RepairOrder,
    RequestKind,
    Urgency,
)
from guanjia.tickets.services import Contact, RepairDetails, take_contact

from ..models import (
    TASK_KINDS_INSPECTING,
    CareTask,
    Inspection,
    InspectionPhoto,
    TaskKind,
    VacancyStatus,
    VacantUnit,
)
from ._common import field_error

MAX_PHOTOS = 6


@dataclass(frozen=True)
class Checklist:
    """The items of the record: True is as it should be."""

    doors_ok: bool
    no_leaks: bool
    no_damp: bool
    fixtures_ok: bool
    meters_still: bool
    clean_ok: bool
    ventilated: bool

    @property
    def has_problem(self) -> bool:
        return not all(
            (
                self.doors_ok,
                self.no_leaks,
                self.no_damp,
                self.fixtures_ok,
                self.meters_still,
                self.clean_ok,
            )
        )


def open_vacancy(unit: Unit) -> VacantUnit:
    """The unit's open register line, or the refusal: only a vacant unit is inspected."""
    vacancy = VacantUnit.objects.filter(unit=unit, status=VacancyStatus.VACANT).first()
    if vacancy is None:
        raise field_error(
            "unit",
            _("This unit is not in the vacant-unit register: only vacant units are inspected."),
            "not_vacant",
        )
    return vacancy


@transaction.atomic
def record_inspection(
    *,
    vacancy: VacantUnit,
    checklist: Checklist,
    by: User,
    problems: str = "",
    photos: Sequence[UploadedFile] = (),
    open_repair: bool = False,
    repair_category: str = "",
    now: dt.datetime | None = None,
) -> Inspection:
    """Record one inspection. Refused, with nothing saved: a unit no longer vacant, a problem
    without its description, a repair asked for with no problem or no category, a photo that
    is not a picture or too large, more than MAX_PHOTOS photos."""
    require_perm(by, "vacant.add_inspection", vacancy.community_id)
    locked = VacantUnit.objects.select_for_update().get(pk=vacancy.pk)
    if locked.status != VacancyStatus.VACANT:
        raise field_error(
            "unit",
            _("This unit is no longer vacant: it cannot be inspected as a vacant unit."),
            "not_vacant",
        )
    text = (problems or "").strip()
    if checklist.has_problem and not text:
        raise field_error("problems", _("Describe the problem found (what, where)."), "required")
    if open_repair and not checklist.has_problem:
        raise field_error(
            "open_repair",
            _("A repair is opened for a problem found: tick what is wrong."),
            "invalid",
        )
    if open_repair and repair_category not in RepairCategory.values:
        raise field_error("repair_category", _("Choose the kind of repair."), "required")
    if len(photos) > MAX_PHOTOS:
        raise field_error(
            "photos", _("At most %(count)s photos.") % {"count": MAX_PHOTOS}, "too_many"
        )
    limit = int(policy(locked.community, "vacant.photo_max_mb"))
    checked = []
    for photo in photos:
        if (photo.size or 0) > limit * 1024 * 1024:
            raise field_error(
                "photos", _("A photo is larger than %(mb)s MB.") % {"mb": limit}, "too_large"
            )
        checked.append(check_upload(photo, PICTURES, field="photos"))
    now = now or timezone.now()
    today = timezone.localdate(now)
    inspection = Inspection.objects.create(
        community_id=locked.community_id,
        vacant_unit=locked,
        unit_id=locked.unit_id,
        inspected_at=now,
        inspector=by,
        problems=text[:2000],
        **checklist.__dict__,
    )
    for upload in checked:
        InspectionPhoto.objects.create(
            community_id=locked.community_id,
            inspection=inspection,
            image=upload.file,
            original_name=upload.original_name,
        )
    _complete_tasks(locked, inspection, checklist, by, now, today)
    if open_repair:
        inspection.repair = _open_repair(locked, text, repair_category, by)
    if checklist.has_problem:
        inspection.owner_told = _tell_owners(locked, inspection, today)
    inspection.save(update_fields=["task", "repair", "owner_told", "updated_at"])
    return inspection


def _complete_tasks(
    vacancy: VacantUnit,
    inspection: Inspection,
    checklist: Checklist,
    by: User,
    now: dt.datetime,
    today: dt.date,
) -> None:
    """The inspection ticks off the inspections (and, ventilated, the ventilations) due."""
    kinds = list(TASK_KINDS_INSPECTING)
    if checklist.ventilated:
        kinds.append(TaskKind.VENTILATE)
    due = CareTask.objects.open().filter(vacant_unit=vacancy, kind__in=kinds, due_on__lte=today)
    first = due.filter(kind__in=TASK_KINDS_INSPECTING).order_by("due_on", "pk").first()
    inspection.task = first
    due.update(done_at=now, done_by=by, updated_at=now)


def _open_repair(vacancy: VacantUnit, problems: str, category: str, by: User) -> RepairOrder:
    """The service desk's one step (register entry and work order) for the problem found."""
    entry = take_contact(
        community=vacancy.community,
        contact=Contact(
            channel=Channel.PATROL,
            kind=RequestKind.REPAIR,
            content=_("Vacant-unit inspection: %(problems)s") % {"problems": problems},
            unit=vacancy.unit,
        ),
        repair=RepairDetails(location=Location.HOME, category=category, urgency=Urgency.ORDINARY),
        by=by,
    )
    return RepairOrder.objects.get(request=entry)


def _tell_owners(vacancy: VacantUnit, inspection: Inspection, today: dt.date) -> bool:
    """Text the unit's current owners what was found (after the row commits)."""
    owners = (
        Ownership.objects.filter(unit_id=vacancy.unit_id, starts_on__lte=today)
        .exclude(ends_on__lt=today)
        .select_related("person")
    )
    phones = sorted({o.person.mobile for o in owners if o.person.mobile})
    context = {
        "room": vacancy.unit.room_code,
        "community": vacancy.community.name,
        "problems": inspection.problems,
        "repair": inspection.repair.number if inspection.repair else "",
    }
    for phone in phones:
        notify_address(
            phone,
            "vacant.problem_found",
            context,
            channel=SendChannel.SMS,
            community=vacancy.community,
        )
    return bool(phones)

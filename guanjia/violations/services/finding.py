"""A violation found (spec §11 step 1): on a patrol, a renovation inspection, from a complaint
or by any staff member. The one entry point other apps call: `report_violation`."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.core import workflows
from guanjia.core.access import User, require_perm
from guanjia.core.files.checks import CheckedUpload, check_upload
from guanjia.core.files.types import PICTURES
from guanjia.core.models import Community
from guanjia.core.numbering.services import next_number
from guanjia.core.policies.selectors import policy
from guanjia.estates.models import Unit

from .. import notifications
from ..models import (
    Responsible,
    Source,
    Violation,
    ViolationPhoto,
    ViolationType,
)
from ._common import field_error, required

FIND = "violations.add_violation"


def _check_choices(*, community: Community, unit: Unit, kind: ViolationType) -> None:
    if unit.community_id != community.pk:
        raise field_error("unit", _("Choose a unit of this community."), "other_community")
    usable = ViolationType.objects.for_community(community).filter(pk=kind.pk).exists()
    if not usable:
        raise field_error("kind", _("Choose a violation type of this community's list."), "invalid")


def _choice(value: str, allowed: list[str], field: str, message: str) -> str:
    if value not in allowed:
        raise field_error(field, message, "invalid")
    return value


@transaction.atomic
def report_violation(
    *,
    community: Community,
    unit: Unit,
    kind: ViolationType,
    description: str,
    responsible: str,
    source: str,
    by: User,
    location: str = "",
    person_name: str = "",
    source_ref: str = "",
    rule: str = "",
    photos: Iterable[UploadedFile] = (),
    predates_office: bool = False,
) -> Violation:
    """Record a violation found: numbered (WZ-…), its photos kept, its event written. A
    tenant's violation tells the unit's owners too (the covenant makes them liable)."""
    require_perm(by, FIND, community)
    _check_choices(community=community, unit=unit, kind=kind)
    violation = Violation(
        community=community,
        unit=unit,
        kind=kind,
        description=required(description, "description", _("Describe the violation.")),
        location=(location or "").strip(),
        responsible=_choice(
            responsible,
            Responsible.values,
            "responsible",
            _("Choose who is responsible: the owner, a tenant or a contractor."),
        ),
        person_name=(person_name or "").strip(),
        source=_choice(source, Source.values, "source", _("Choose how it was found.")),
        source_ref=(source_ref or "").strip(),
        rule=(rule or "").strip(),
        predates_office=bool(predates_office),
        found_at=timezone.now(),
        found_by=by,
    )
    violation.full_clean(exclude=["number", "found_by", "community", "unit", "kind"])
    checked = [_checked_photo(community, photo) for photo in photos]
    violation.number = str(next_number(community=community, kind="violation"))
    violation.save()
    for photo in checked:
        ViolationPhoto.objects.create(
            violation=violation, image=photo.file, original_name=photo.original_name, taken_by=by
        )
    workflows.record_creation(violation, by=by, action="found", note=violation.description)
    if violation.responsible == Responsible.TENANT:
        notifications.tell_owners(violation, "violation.tenant_found")
    return violation


def _checked_photo(
    community: Community, upload: UploadedFile, field: str = "photos"
) -> CheckedUpload:
    limit_mb = int(policy(community, "violation.photo_max_mb"))
    if (upload.size or 0) > limit_mb * 1024 * 1024:
        raise field_error(
            field, _("A photo is larger than %(mb)s MB.") % {"mb": limit_mb}, "too_large"
        )
    return check_upload(upload, PICTURES, field=field)


@transaction.atomic
def add_photo(*, violation: Violation, image: UploadedFile, by: User) -> ViolationPhoto:
    """A further photo as evidence (at a re-check, say)."""
    locked = workflows.lock(violation)
    require_perm(by, FIND, locked.community)
    photo = _checked_photo(locked.community, image, "image")
    row = ViolationPhoto.objects.create(
        violation=locked, image=photo.file, original_name=photo.original_name, taken_by=by
    )
    workflows.record_event(locked, by=by, action="photo", note=row.original_name)
    return row

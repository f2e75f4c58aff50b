"""Viewings of a vacant unit by a buyer or an agent (spec §13, edge cases): only with the
owner's or developer's written consent, and a staff member goes along."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.core.access import User, has_perm_in, require_perm
from guanjia.core.files.checks import check_upload
from guanjia.core.files.types import PICTURES_AND_PDF
from guanjia.core.policies.selectors import policy

from ..models import VacancyStatus, VacantUnit, Viewing
from ._common import field_error, required


@transaction.atomic
def record_viewing(
    *,
    vacancy: VacantUnit,
    visitor_name: str,
    consent_by: str,
    consent: UploadedFile | None,
    accompanied_by: User | None,
    by: User,
    visitor_phone: str = "",
    viewed_at: dt.datetime | None = None,
) -> Viewing:
    """Record a viewing. Refused: a unit no longer vacant, no written consent or who gave it,
    nobody of the office going along, a time in the future."""
    require_perm(by, "vacant.add_viewing", vacancy.community_id)
    locked = VacantUnit.objects.select_for_update().get(pk=vacancy.pk)
    if locked.status != VacancyStatus.VACANT:
        raise field_error("visitor_name", _("This unit is no longer vacant."), "not_vacant")
    name = required(visitor_name, "visitor_name", _("Give the visitor's name."))[:50]
    giver = required(
        consent_by, "consent_by", _("Give the owner or developer who consented in writing.")
    )[:50]
    if consent is None:
        raise field_error(
            "consent", _("A viewing needs the owner's or developer's written consent."), "required"
        )
    if accompanied_by is None or not has_perm_in(
        accompanied_by, "vacant.view_vacantunit", locked.community_id
    ):
        raise field_error(
            "accompanied_by", _("A staff member of this community goes along."), "required"
        )
    now = timezone.now()
    viewed_at = viewed_at or now
    if viewed_at > now + dt.timedelta(minutes=5):
        raise field_error("viewed_at", _("The viewing cannot be in the future."), "future")
    if (consent.size or 0) > int(policy(locked.community, "vacant.photo_max_mb")) * 1024 * 1024:
        raise field_error("consent", _("The file is too large."), "too_large")
    checked = check_upload(consent, PICTURES_AND_PDF, field="consent")
    return Viewing.objects.create(
        community_id=locked.community_id,
        vacant_unit=locked,
        visitor_name=name,
        visitor_phone=(visitor_phone or "").strip()[:20],
        consent_by=giver,
        consent=checked.file,
        consent_name=checked.original_name,
        accompanied_by=accompanied_by,
        viewed_at=viewed_at,
        recorded_by=by,
    )

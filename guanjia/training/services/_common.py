"""Small helpers of the training services."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from guanjia.core.access import User, staff_holding
from guanjia.core.files.checks import check_upload
from guanjia.core.files.types import PICTURES_AND_PDF
from guanjia.core.models import Community
from guanjia.core.policies.selectors import policy

TAKE = "training.take_training"


def field_error(field: str, message: Any, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def text(value: str | None, field: str, limit: int, *, required: Any = None) -> str:
    """The stripped text; a field error when required and blank, or longer than `limit`."""
    cleaned = (value or "").strip()
    if "\x00" in cleaned:
        raise field_error(field, _("This text holds a character that cannot be saved."), "nul")
    if required is not None and not cleaned:
        raise field_error(field, required, "required")
    if len(cleaned) > limit:
        raise field_error(
            field, _("At most %(limit)s characters, please.") % {"limit": limit}, "too_long"
        )
    return cleaned


def staff_of(community: Community) -> QuerySet[User]:
    """The community's staff today (every community role may take training)."""
    return staff_holding([TAKE], company_id=community.company_id, community_id=community.pk)


def is_staff_of(community: Community, user: User) -> bool:
    return staff_of(community).filter(pk=user.pk).exists()


def checked_file(community: Community, upload: UploadedFile, field: str) -> Any:
    """A PDF or a picture within the size policy, else a field error."""
    limit_mb = policy(community, "training.file_max_mb")
    if (upload.size or 0) > limit_mb * 1024 * 1024:
        raise field_error(
            field, _("The file is larger than %(mb)s MB.") % {"mb": limit_mb}, "too_large"
        )
    return check_upload(upload, PICTURES_AND_PDF, field=field)

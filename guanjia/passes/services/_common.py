from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from guanjia.core.personal_data import mask_id_number
from guanjia.estates.models.identity import (
    encrypt_pii,
    lookup_hash,
    normalise_id_number,
    validate_resident_id,
)


def field_error(field: str, message: Any, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def required(value: str, field: str, message: Any, *, limit: int = 100) -> str:
    text = (value or "").strip()
    if not text:
        raise field_error(field, message, "required")
    if len(text) > limit:
        raise field_error(field, _("At most %(limit)s characters.") % {"limit": limit}, "too_long")
    return text


def same_community(obj: Any, community_id: int, field: str, message: Any) -> None:
    if obj is not None and obj.community_id != community_id:
        raise field_error(field, message, "other_community")


class IdNumber:
    """A resident ID number checked (length, birth date, check digit), then kept only
    encrypted, as a lookup hash and masked."""

    def __init__(self, raw: str, *, field: str = "id_number") -> None:
        number = normalise_id_number(raw)
        if not number:
            raise field_error(field, _("Give the ID number."), "required")
        try:
            validate_resident_id(number)
        except ValidationError as exc:
            raise ValidationError({field: exc.error_list}) from None
        self.cipher = encrypt_pii(number)
        self.hash = lookup_hash(number)
        self.masked = mask_id_number(number)

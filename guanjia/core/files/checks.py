"""The check every upload passes before it is stored: its name, its declared content type and
its content must all say the same accepted type."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext as _

from .types import FileType, content_type_of, extension_of, labels


@dataclass(frozen=True)
class CheckedUpload:
    """An upload whose type is verified. `file` carries a neutral name ending with the
    type's extension: hand it to the model's file field, whose `RandomName` stores it
    under a random name. `original_name` is the name the user gave (for downloads)."""

    file: File[Any]
    type: FileType
    original_name: str
    size: int


def check_upload(upload: Any, types: Sequence[FileType], *, field: str) -> CheckedUpload:
    """The verified upload, or a ValidationError on `field` (translated, with a code) when its
    name, declared content type and content are not all one of `types`."""
    original_name = PurePosixPath(getattr(upload, "name", "") or "").name[-200:]
    size = int(getattr(upload, "size", 0) or 0)
    if not size:
        raise _error(field, _("The file is empty."), "empty_file")
    extension = extension_of(original_name)
    by_name = next((t for t in types if extension in t.extensions), None)
    if by_name is None:
        message = _("Only %(types)s files are accepted.") % {"types": labels(types)}
        raise _error(field, message, "bad_file_type")
    declared = (getattr(upload, "content_type", "") or "").split(";")[0].strip().lower()
    if declared not in by_name.declared:
        message = _(
            "The file is named .%(extension)s but was sent as “%(declared)s”: a %(type)s "
            "file must be sent as %(expected)s."
        ) % {
            "extension": extension,
            "declared": declared or "?",
            "type": by_name.label,
            "expected": by_name.content_type,
        }
        raise _error(field, message, "declared_type_mismatch")
    if content_type_of(upload) != by_name:
        message = _("The file's content is not the %(type)s its name says.") % {
            "type": by_name.label
        }
        raise _error(field, message, "file_content_mismatch")
    neutral = File(upload, name=f"upload.{by_name.extension}")
    return CheckedUpload(file=neutral, type=by_name, original_name=original_name, size=size)


def _error(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})

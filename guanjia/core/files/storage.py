"""Where uploads are stored: under random names, never the name the user gave.

`RandomName("tickets/photos")` is the `upload_to` of every file field:
`tickets/photos/2026/12/<32 hex digits>.<extension of the verified type>`. The original name,
where a page shows it, stays in a column of its own. `rename_stored_files` moves the files
stored before this rule to such names (the data migrations of each app call it).
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.deconstruct import deconstructible

from .types import KNOWN_TYPES, UNKNOWN, FileType, content_type_of, extension_of, is_random_name

logger = logging.getLogger(__name__)


@deconstructible
class RandomName:
    """`upload_to` for a file field: a random name under `<prefix>/<yyyy>/<mm>/`, ending with
    the extension of the name it is given. `check_upload` gives a name ending with the
    verified type's extension; any other extension is stored as `.bin` (a download)."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix.strip("/")

    def __call__(self, instance: models.Model, filename: str) -> str:
        extension = extension_of(filename)
        known = next((t for t in KNOWN_TYPES if t.extension == extension), UNKNOWN)
        return self.name_for(known, timezone.localdate())

    def name_for(self, file_type: FileType, day: dt.date) -> str:
        return f"{self.prefix}/{day:%Y/%m}/{uuid.uuid4().hex}.{file_type.extension}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RandomName) and other.prefix == self.prefix

    def __hash__(self) -> int:
        return hash(self.prefix)


def rename_stored_files(
    model: type[models.Model], field: str, *, content_type_field: str = ""
) -> int:
    """Move every file of `model.field` not yet under a random name to one, typed from its
    content, and point the row at it; returns how many moved.

    Idempotent: a file already under a random name is left alone. A row whose file is
    missing is left as it is (its link answers 404). Each row is saved before its old file
    is deleted, so an interruption leaves at worst an orphaned old file, never a dead row;
    run it in a non-atomic migration."""
    upload_to = model._meta.get_field(field).upload_to  # type: ignore[union-attr]
    namer = upload_to if isinstance(upload_to, RandomName) else RandomName(model._meta.app_label)
    moved = 0
    rows = model._default_manager.exclude(**{field: ""}).order_by("pk")
    for row in rows.iterator():
        if _rename_one(row, field, namer, content_type_field):
            moved += 1
    return moved


def _rename_one(row: Any, field: str, namer: RandomName, content_type_field: str) -> bool:
    stored = getattr(row, field)
    old_name = stored.name
    if is_random_name(old_name):
        return False
    storage = stored.storage
    if not storage.exists(old_name):
        logger.warning(
            "file %s of %s %s is missing; left as it is", old_name, row._meta.label, row.pk
        )
        return False
    day = timezone.localdate(getattr(row, "created_at", None) or timezone.now())
    with storage.open(old_name, "rb") as handle:
        file_type = content_type_of(handle) or UNKNOWN
        new_name = storage.save(namer.name_for(file_type, day), handle)
    changes: dict[str, Any] = {field: new_name}
    if content_type_field:
        changes[content_type_field] = file_type.content_type
    type(row)._default_manager.filter(pk=row.pk).update(**changes)
    storage.delete(old_name)
    return True

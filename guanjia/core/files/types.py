"""The file types Guanjia accepts, and how each is recognised from its content.

A type is decided by the bytes, never by the name or the declared content type: pictures are
opened and verified by Pillow (the format Pillow reads must be the type's), a PDF must start
with `%PDF-`. The stored name of a file ends with the canonical extension of its verified
type, so the serving view (and nginx, behind X-Accel-Redirect) types it from that name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO

from PIL import Image


@dataclass(frozen=True)
class FileType:
    """One accepted kind of file: its label for messages, the names and declared types that
    may carry it, and whether a browser may show it inline."""

    label: str  # as messages name it: "JPEG"
    extension: str  # the canonical extension of a stored file, without the dot
    content_type: str  # the type it is served as
    extensions: frozenset[str]  # accepted endings of an uploaded file's name
    declared: frozenset[str]  # accepted declared content types (browsers differ a little)
    pillow_format: str = ""  # for pictures: the format Pillow must read
    inline: bool = True  # a verified picture or PDF is shown in the browser


JPEG = FileType(
    "JPEG",
    "jpg",
    "image/jpeg",
    frozenset({"jpg", "jpeg"}),
    frozenset({"image/jpeg", "image/jpg", "image/pjpeg"}),
    pillow_format="JPEG",
)
PNG = FileType(
    "PNG",
    "png",
    "image/png",
    frozenset({"png"}),
    frozenset({"image/png", "image/x-png"}),
    pillow_format="PNG",
)
WEBP = FileType(
    "WebP", "webp", "image/webp", frozenset({"webp"}), frozenset({"image/webp"}), "WEBP"
)
PDF = FileType(
    "PDF",
    "pdf",
    "application/pdf",
    frozenset({"pdf"}),
    frozenset({"application/pdf", "application/x-pdf"}),
)
# A stored file whose content is none of the above (only files stored before the check, found
# by the renaming migration): served as a download, never inline.
UNKNOWN = FileType("?", "bin", "application/octet-stream", frozenset(), frozenset(), inline=False)

KNOWN_TYPES: tuple[FileType, ...] = (JPEG, PNG, WEBP, PDF)
PICTURES: tuple[FileType, ...] = (JPEG, PNG, WEBP)
PICTURES_AND_PDF: tuple[FileType, ...] = (PDF, JPEG, PNG, WEBP)

_BY_STORED_EXTENSION = {t.extension: t for t in (*KNOWN_TYPES, UNKNOWN)}
# Names given by `RandomName`: 32 hex digits and a type's canonical extension.
RANDOM_NAME = re.compile(r"^[0-9a-f]{32}\.(?:" + "|".join(_BY_STORED_EXTENSION) + r")$")
_SNIFF_BYTES = 16


def extension_of(name: str) -> str:
    """The lower-case extension of a file name, without the dot ("" when it has none)."""
    return PurePosixPath(name or "").suffix.lower().removeprefix(".")


def content_type_of(handle: IO[bytes]) -> FileType | None:
    """The known type the content really is, or None. Reads the file and rewinds it."""
    handle.seek(0)
    head = handle.read(_SNIFF_BYTES)
    handle.seek(0)
    try:
        if head.startswith(b"%PDF-"):
            return PDF
        return _picture_type(handle)
    finally:
        handle.seek(0)


def _picture_type(handle: IO[bytes]) -> FileType | None:
    """The picture type Pillow reads and verifies, or None for anything else."""
    try:
        with Image.open(handle) as image:
            found = image.format
            image.verify()  # the whole structure, not only the first bytes
    except Exception:  # Pillow raises many kinds (and bomb errors) for a non-picture
        return None
    return next((t for t in PICTURES if t.pillow_format == found), None)


def is_random_name(name: str) -> bool:
    """Whether a stored file's name is one `RandomName` gave."""
    return bool(RANDOM_NAME.match(PurePosixPath(name or "").name))


def stored_type(name: str) -> FileType:
    """The verified type of a file stored under a random name (see `RandomName`); any other
    name is a file nobody verified: UNKNOWN, served as a download."""
    if not is_random_name(name):
        return UNKNOWN
    return _BY_STORED_EXTENSION[extension_of(name)]


def labels(types: Iterable[FileType]) -> str:
    """The types as a message lists them: "PDF, JPEG, PNG"."""
    return ", ".join(t.label for t in types)

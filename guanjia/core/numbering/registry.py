"""Document kinds: each app registers the kinds of numbered document it issues.

An app calls `register_kind("complaint", _("Complaint record"), "TS")` in its
`AppConfig.ready()`; `next_number(kind="complaint", ...)` then hands out `TS-2026-0001`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

CODE_MAX_LENGTH = 20  # DocumentSequence.kind
_CODE = re.compile(r"^[a-z][a-z0-9_.-]*$|^[A-Z][A-Z0-9]*$")
_PREFIX = re.compile(r"^[A-Z][A-Z0-9]{0,7}$")


class UnknownDocumentKindError(LookupError):
    """A kind that no app registered: a programming error, not bad user input."""


@dataclass(frozen=True)
class DocumentKind:
    """One kind of numbered document: its stored code, a label and the printed prefix."""

    code: str
    label: StrOrPromise = field(compare=False)
    prefix: str
    padding: int = 4


_KINDS: dict[str, DocumentKind] = {}


def register_kind(code: str, label: StrOrPromise, prefix: str, *, padding: int = 4) -> DocumentKind:
    """Declare a document kind. Registering the same kind again is harmless; a clash is not."""
    if not (0 < len(code) <= CODE_MAX_LENGTH and _CODE.match(code)):
        raise ImproperlyConfigured(f"document kind code {code!r} is not a short identifier")
    if not _PREFIX.match(prefix):
        raise ImproperlyConfigured(f"document prefix {prefix!r}: 1-8 capital letters or digits")
    if not 1 <= padding <= 9:
        raise ImproperlyConfigured(f"document kind {code!r}: padding must be 1 to 9 digits")
    kind = DocumentKind(code=code, label=label, prefix=prefix, padding=padding)
    existing = _KINDS.get(code)
    if existing is not None and existing != kind:
        raise ImproperlyConfigured(f"document kind {code!r} is already registered differently")
    for other in _KINDS.values():
        if other.code != code and other.prefix == prefix:
            raise ImproperlyConfigured(f"prefix {prefix!r} already belongs to kind {other.code!r}")
    _KINDS[code] = kind
    return kind


def get_kind(code: str) -> DocumentKind:
    """The registered kind with this code; UnknownDocumentKindError if no app registered it."""
    try:
        return _KINDS[code]
    except KeyError:
        raise UnknownDocumentKindError(f"no app registered the document kind {code!r}") from None


def registered_kinds() -> list[DocumentKind]:
    """Every registered kind, by code."""
    return sorted(_KINDS.values(), key=lambda kind: kind.code)

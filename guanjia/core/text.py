"""Normalising what people type or paste: full-width forms, invisible characters, blanks.

Chinese input methods produce full-width digits, letters and punctuation (３栋Ａ１２０１, １３８…),
the ideographic space U+3000, and text pasted from web pages or Word carries zero-width and
non-breaking characters. Every app normalises through these functions so that the same input
gives the same result everywhere (search, forms, imports).
"""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

FULL_WIDTH_OFFSET = 0xFEE0
# Full-width forms of the punctuation that Chinese text keeps as it is: ，：；（）！？
CHINESE_PUNCTUATION = frozenset("，：；（）！？")

_ALL_FULL_WIDTH = {code: code - FULL_WIDTH_OFFSET for code in range(0xFF01, 0xFF5F)} | {
    0x3000: 0x20
}
_KEEP_PUNCTUATION = {
    code: target for code, target in _ALL_FULL_WIDTH.items() if chr(code) not in CHINESE_PUNCTUATION
}
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))


def to_half_width(value: str, *, keep_chinese_punctuation: bool = False) -> str:
    """Full-width digits, letters and punctuation (and U+3000) become their ASCII forms;
    with `keep_chinese_punctuation`, ，：；（）！？ stay as they are (prose, addresses)."""
    return value.translate(_KEEP_PUNCTUATION if keep_chinese_punctuation else _ALL_FULL_WIDTH)


def drop_invisible(value: str) -> str:
    """Zero-width spaces and joiners, word joiners, byte-order marks and soft hyphens removed."""
    return value.translate(_INVISIBLE)


# Control characters, format characters (text-direction overrides and isolates, which make a
# name display differently from what it is), private-use, surrogates and unassigned points.
_NOT_IN_NAMES = frozenset({"Cc", "Cf", "Co", "Cs", "Cn"})


def clean_name(value: str) -> str:
    """A name as typed, with zero-width characters dropped; ValidationError when nothing
    visible is left of a non-empty name, or when it holds control or text-direction
    characters (used for people's and staff names everywhere)."""
    text = drop_invisible(value)
    if value and not text.strip():
        raise ValidationError(
            _("This name is made only of invisible characters: type the name."),
            code="invisible_name",
        )
    bad = [char for char in text if unicodedata.category(char) in _NOT_IN_NAMES]
    if bad:
        raise ValidationError(
            _("A name cannot hold control or text-direction characters (%(codes)s).")
            % {"codes": ", ".join(f"U+{ord(char):04X}" for char in bad[:3])},
            code="control_characters",
        )
    return text


def scripts_of(value: str) -> set[str]:
    """The writing systems of the letters of `value` (LATIN, CYRILLIC, GREEK, CJK, …), read
    from the characters' Unicode names; digits and punctuation have none."""
    return {unicodedata.name(char, "?").split(" ")[0] for char in value if char.isalpha()}


NATURAL_DIGITS = 8  # digits a number run is padded to (room and building numbers are shorter)
_DIGIT_RUN = re.compile(r"\d+")


def natural_key(value: str) -> str:
    """A text key that sorts numbers by value, for a `sort_key` column: every run of digits
    zero-padded to NATURAL_DIGITS, letters upper-cased ("1-1-201" -> "00000001-00000001-
    00000201", so 1-1-201 comes before 1-1-1001 and building 2 before building 10). A plain
    string comparison (and an index) then gives the natural order on every database."""
    return _DIGIT_RUN.sub(lambda match: match.group().zfill(NATURAL_DIGITS), value.upper())

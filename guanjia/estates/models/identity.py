"""Identity values people type: normalisers, validators, masks, encryption and pinyin keys.

Everything here is a pure function, so forms, services, imports and the API share one rule.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import hmac
import re
import unicodedata
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from pypinyin import Style, lazy_pinyin

from guanjia.core.personal_data import LANDLINE_RE, MOBILE_RE
from guanjia.core.text import to_half_width

# --- Normalising what people type -----------------------------------------------------------

_SPACES = re.compile(r"\s+")


def squeeze(value: str | None) -> str:
    """Half-width, trimmed, runs of blanks (also U+3000 and NBSP) collapsed to one space."""
    return _SPACES.sub(" ", to_half_width(value or "").replace("\xa0", " ")).strip()


def strip_blanks(value: str | None) -> str:
    """Half-width with every blank removed: for codes, numbers and plates."""
    return _SPACES.sub("", to_half_width(value or "").replace("\xa0", ""))


def normalise_name(value: str | None) -> str:
    """A person's name: blanks between Chinese characters go; Latin names keep one space."""
    name = squeeze(value)
    return re.sub(r"(?<=[\u3400-\u9fff]) (?=[\u3400-\u9fff])", "", name)


def field_error(field: str, message: Any, code: str) -> ValidationError:
    """A ValidationError on one field that keeps its code (a dict of strings would drop it)."""
    return ValidationError({field: ValidationError(message, code=code)})


# --- Phones ---------------------------------------------------------------------------------


def normalise_phone(value: str | None) -> str:
    """'+86 138 1234 5678' -> '13812345678'; '(020) 8888-1234' -> '020-88881234'."""
    phone = strip_blanks(value).replace("(", "").replace(")", "")
    phone = re.sub(r"^(\+?86)(?=1[3-9]\d{9}$)", "", phone.replace("-", "")) if phone else ""
    digits = phone.replace("-", "")
    if MOBILE_RE.match(digits):
        return digits
    match = re.match(r"^(0(?:10|2\d|[3-9]\d{2}))(\d{7,8})$", digits)
    if match:
        return f"{match.group(1)}-{match.group(2)}"
    return phone


def validate_phone(value: str) -> None:
    """A Chinese mobile (1[3-9] and nine digits) or landline (area code, 7 or 8 digits)."""
    if value and not (MOBILE_RE.match(value) or LANDLINE_RE.match(value)):
        raise ValidationError(
            _("%(value)s is not a valid Chinese mobile or landline number."),
            code="bad_phone",
            params={"value": value},
        )


def last4(phone: str) -> str:
    digits = re.sub(r"\D", "", phone)
    return digits[-4:] if len(digits) >= 4 else ""


# --- Identity documents ---------------------------------------------------------------------

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def normalise_id_number(value: str | None) -> str:
    return strip_blanks(value).upper()


def resident_id_check_digit(first17: str) -> str:
    """GB 11643-1999: weighted sum of the first 17 digits modulo 11 picks the check digit."""
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def validate_resident_id(value: str) -> None:
    """A resident ID: 18 characters (17 digits, a valid birth date and the right check digit),
    or an old first-generation card's 15 digits (birth date 19YYMMDD, no check digit)."""
    if re.match(r"^\d{15}$", value):
        try:
            dt.date(1900 + int(value[6:8]), int(value[8:10]), int(value[10:12]))
        except ValueError:
            raise ValidationError(
                _("The birth date inside this ID number is not a real date."), code="bad_id_date"
            ) from None
        return
    if not re.match(r"^\d{17}[\dX]$", value):
        raise ValidationError(
            _(
                "A resident ID number has 18 characters (17 digits and a digit or X), "
                "or 15 digits on an old card; this one has %(count)s."
            )
            % {"count": len(value)},
            code="bad_id_format",
        )
    try:
        born = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        born = None
    if born is None or born.year < 1900:
        raise ValidationError(
            _("The birth date inside this ID number is not a real date."), code="bad_id_date"
        )
    if resident_id_check_digit(value[:17]) != value[17]:
        raise ValidationError(
            _("This ID number fails its check digit: please check each digit again."),
            code="bad_id_checksum",
        )


def validate_credit_code(value: str) -> None:
    """An 18-character unified social credit code (GB 32100-2015) with its check character."""
    if not re.match(rf"^[{_USCC_CHARS}]{{18}}$", value):
        raise ValidationError(
            _("A unified social credit code has 18 digits or capital letters."),
            code="bad_credit_code_format",
        )
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(value[:17], _USCC_WEIGHTS, strict=True))
    if _USCC_CHARS[(31 - total % 31) % 31] != value[17]:
        raise ValidationError(
            _("This credit code fails its check character: please check it again."),
            code="bad_credit_code_checksum",
        )


def validate_other_id(value: str) -> None:
    if not re.match(r"^[A-Z0-9()\-]{5,30}$", value):
        raise ValidationError(
            _("A document number has 5 to 30 letters or digits."), code="bad_id_format"
        )


# --- Encryption at rest and the keyed lookup hash -------------------------------------------


@functools.lru_cache(maxsize=4)
def _derived(key: str, purpose: bytes) -> bytes:
    """A 32-byte key for one purpose, derived from settings.PII_KEY (HKDF-SHA256)."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"guanjia-pii", info=purpose)
    return hkdf.derive(key.encode())


def _fernet() -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_derived(settings.PII_KEY, b"encrypt")))


def encrypt_pii(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode() if value else ""


def decrypt_pii(token: str) -> str:
    """The plain value, or '' when the token was written with another key."""
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        return ""


def lookup_hash(value: str) -> str:
    """HMAC-SHA256 of the normalised value: exact search without storing the number."""
    if not value:
        return ""
    key = _derived(settings.PII_KEY, b"lookup")
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


# --- Pinyin search keys ---------------------------------------------------------------------

# Surnames whose reading differs from the character's everyday one. pypinyin (0.55) has no
# surname mode, so the surname is read from this table and only the given name by pypinyin.
SURNAME_READINGS: dict[str, str] = {
    "万俟": "mo qi", "尉迟": "yu chi", "单于": "chan yu", "长孙": "zhang sun", "澹台": "tan tai",
    "曾": "zeng", "单": "shan", "解": "xie", "仇": "qiu", "区": "ou", "朴": "piao",
    "查": "zha", "盖": "ge", "乐": "yue", "华": "hua", "任": "ren", "缪": "miao",
    "覃": "qin", "翟": "zhai", "尉": "yu", "秘": "bi", "冼": "xian", "过": "guo",
    "纪": "ji", "燕": "yan", "种": "chong", "繁": "po", "瞿": "qu", "折": "she",
    "那": "na", "难": "nan", "藏": "zang", "都": "du", "六": "lu", "薄": "bo",
    "贾": "jia", "居": "ju", "盛": "sheng", "柏": "bai", "牟": "mou", "陆": "lu",
    "乜": "nie", "阚": "kan", "叶": "ye", "沈": "shen", "宿": "su", "卜": "bu",
    "召": "shao", "句": "gou", "员": "yun", "贠": "yun", "莘": "shen", "重": "chong",
    "能": "nai", "石": "shi", "隗": "wei", "谌": "chen", "不": "fou", "角": "jue",
}  # fmt: skip


def _syllables(text: str) -> list[str]:
    return [s.lower() for s in lazy_pinyin(text, style=Style.NORMAL, errors="default") if s]


def name_syllables(name: str, *, is_person: bool = True) -> list[str]:
    """Pinyin syllables of a name, the surname read as a surname for natural persons."""
    name = re.sub(r"[\s·•.]", "", name)
    if not is_person:
        return _syllables(name)
    for surname in (name[:2], name[:1]):
        if surname and surname in SURNAME_READINGS:
            return SURNAME_READINGS[surname].split() + _syllables(name[len(surname) :])
    return _syllables(name)


def pinyin_keys(name: str, *, is_person: bool = True) -> tuple[str, str]:
    """(full pinyin, initials) in lower-case ASCII: '曾志强' -> ('zengzhiqiang', 'zzq')."""
    syllables = [re.sub(r"[^a-z0-9]", "", s) for s in name_syllables(name, is_person=is_person)]
    syllables = [s for s in syllables if s]
    full = "".join(syllables)[:200]
    initials = "".join(s[0] for s in syllables if s[0].isalpha())[:30]
    return full, initials


def is_ascii_letters(value: str) -> bool:
    return bool(value) and unicodedata.normalize("NFKC", value).isascii() and value.isalpha()


# --- Vehicle plates -------------------------------------------------------------------------

PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼使领"
PLATE_RE = re.compile(rf"^[{PROVINCES}][A-Z][A-Z0-9]{{4,6}}[挂学警港澳领试超]?$")


def normalise_plate(value: str | None) -> str:
    """'粤a·12345' or '粤A-12345' -> '粤A12345'."""
    plate = strip_blanks(value).upper()
    return re.sub(r"[·•.\-_]", "", plate)


def validate_plate(value: str) -> None:
    if not PLATE_RE.match(value):
        raise ValidationError(
            _("%(value)s is not a Chinese licence plate such as 粤A12345."),
            code="bad_plate",
            params={"value": value},
        )

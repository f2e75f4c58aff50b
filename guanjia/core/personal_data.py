"""Personal information (PIPL, ARCHITECTURE mechanism 12): how phone numbers look and are
masked everywhere — lists, exports, the outbox, logs, import errors. One rule each, used by
every app."""

import re

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}$")


def mask_phone(phone: str) -> str:
    """138****1234 for a mobile, 020-****1234 for a landline; short numbers keep 2 digits."""
    if not phone:
        return ""
    if "-" in phone:
        area, number = phone.split("-", 1)
        return f"{area}-{'*' * max(len(number) - 4, 0)}{number[-4:]}"
    if len(phone) <= 6:
        return "*" * max(len(phone) - 2, 0) + phone[-2:]
    keep = 3 if len(phone) >= 11 else 0
    return phone[:keep] + "*" * (len(phone) - keep - 4) + phone[-4:]


def mask_id_number(value: str) -> str:
    """4401**********123X: the region and the last four stay readable."""
    if len(value) <= 8:
        return value[:1] + "*" * max(len(value) - 2, 0) + value[-1:] if value else ""
    return value[:4] + "*" * (len(value) - 8) + value[-4:]

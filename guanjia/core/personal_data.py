"""Personal information (PIPL, ARCHITECTURE mechanism 12): how phone numbers look and are
masked everywhere — lists, exports, the outbox, logs. One rule, used by every app."""

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

"""The guard's check at the gate: a scanned QR code ("<number>.<token>") or a typed number
reads valid, expired, suspended site, blacklisted or not found, and every check is logged.
A number of another community, a forged number and a QR code whose token does not match all
read "not found": nothing tells a forger which part was wrong."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.core.access import User, require_perm
from guanjia.core.models import Community

from ..models import BLACKLISTED, GateCheck, GateResult, GroupStatus, Pass, PassStatus
from ._common import field_error

MAX_TYPED = 80


@dataclass(frozen=True)
class GateOutcome:
    result: str
    pass_obj: Pass | None
    check: GateCheck

    @property
    def label(self) -> str:
        return str(GateResult(self.result).label)


def parse(text: str) -> tuple[str, str | None]:
    """(number, token): a QR code carries both, a typed number has no token."""
    number, dot, token = text.strip().upper().partition(".")
    return number.strip(), (token.strip().lower() if dot else None)


def lookup(community_id: int, text: str) -> Pass | None:
    """The pass `text` names in this community (one indexed query), or None."""
    number, token = parse(text)
    if not number:
        return None
    found = (
        Pass.objects.filter(community_id=community_id, number=number)
        .select_related("group")
        .first()
    )
    if found is None or (token is not None and token != found.token):
        return None
    return found


def verdict(found: Pass | None, today: dt.date) -> str:
    if found is None:
        return GateResult.NOT_FOUND
    if found.status in BLACKLISTED:
        return GateResult.BLACKLISTED
    group = found.group
    if group is not None and group.status == GroupStatus.SUSPENDED:
        return GateResult.SUSPENDED
    if (
        found.status == PassStatus.ISSUED
        and found.valid_from <= today <= found.valid_to
        and (group is None or group.status == GroupStatus.ACTIVE)
    ):
        return GateResult.VALID
    return GateResult.EXPIRED


def check_pass(*, community: Community, text: str, by: User) -> GateOutcome:
    """Check one pass at the gate and log it: one indexed read, one insert (autocommit: no
    transaction of its own, the log row is its only write)."""
    require_perm(by, "passes.check_pass", community)
    typed = (text or "").strip()
    if not typed:
        raise field_error("number", _("Scan the pass or type its number."), "required")
    if len(typed) > MAX_TYPED:
        raise field_error("number", _("This is not a pass number."), "too_long")
    found = lookup(community.pk, typed)
    result = verdict(found, timezone.localdate())
    check = GateCheck.objects.create(
        community=community, guard=by, typed=typed, pass_obj=found, result=result
    )
    return GateOutcome(result=result, pass_obj=found, check=check)

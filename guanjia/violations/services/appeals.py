"""An appeal of the resident who disputes a notice (spec §11): lodged within the policy's
days of the notice, decided by the director: upheld, modified (a new deadline) or cancelled."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.core import workflows
from guanjia.core.access import User, require_perm
from guanjia.core.policies.selectors import policy

from ..models import AWAITING_RECHECK, AppealDecision, Violation, ViolationStatus
from ._common import field_error, refusal, required, today

APPEAL = "violations.decide_violation_appeal"


@transaction.atomic
def lodge_appeal(*, violation: Violation, grounds: str, by: User) -> Violation:
    """Recorded by staff for the resident; refused without a notice, after its period, or
    when an appeal was already made."""
    locked = workflows.lock(violation)
    require_perm(by, "violations.change_violation", locked.community)
    notice = locked.notices.order_by("-issued_on", "-pk").first()
    if notice is None or locked.status not in AWAITING_RECHECK:
        raise refusal(_("Only a notice that is out can be appealed."), "no_notice")
    if locked.appeal_on is not None:
        raise refusal(_("This violation was already appealed."), "already_appealed")
    text = required(grounds, "grounds", _("Write the grounds of the appeal."))
    days = int(policy(locked.community, "violation.appeal_days"))
    last_day = notice.issued_on + dt.timedelta(days=days)
    on = today()
    if on > last_day:
        raise refusal(
            _("The appeal period ended on %(date)s (%(days)s days from the notice).")
            % {"date": last_day.isoformat(), "days": days},
            "appeal_late",
        )
    locked.appeal_on = on
    locked.appeal_grounds = text
    locked.save(update_fields=["appeal_on", "appeal_grounds", "updated_at"])
    workflows.record_event(locked, by=by, action="appealed", note=text)
    return locked


@transaction.atomic
def decide_appeal(
    *,
    violation: Violation,
    decision: str,
    note: str,
    by: User,
    deadline: dt.date | None = None,
) -> Violation:
    """The director's decision: upheld (the notice stands), modified (a new deadline),
    cancelled (the violation is closed as cancelled)."""
    locked = workflows.lock(violation)
    require_perm(by, APPEAL, locked.community)
    if locked.appeal_on is None:
        raise refusal(_("No appeal waits for a decision here."), "no_appeal")
    if locked.appeal_decision:
        raise refusal(_("This appeal has already been decided."), "already_decided")
    if decision not in AppealDecision.values:
        raise field_error("decision", _("Choose upheld, modified or cancelled."), "invalid")
    text = required(note, "note", _("Give the reasons of the decision."))
    fields: dict[str, Any] = {
        "appeal_decision": decision,
        "appeal_note": text,
        "appeal_decided_by": by,
        "appeal_decided_at": timezone.now(),
    }
    if decision == AppealDecision.CANCELLED:
        workflows.transition(
            locked,
            ViolationStatus.CANCELLED,
            by=by,
            action="appeal_cancelled",
            note=text,
            closed_on=today(),
            **fields,
        )
        return locked
    if decision == AppealDecision.MODIFIED:
        if deadline is None:
            raise field_error("deadline", _("Give the new deadline."), "required")
        if deadline < today():
            raise field_error(
                "deadline",
                _("The rectification deadline cannot be in the past."),
                "deadline_in_past",
            )
        fields["deadline"] = deadline
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.save()
    workflows.record_event(
        locked,
        by=by,
        action=f"appeal_{decision}",
        note=text,
        data={"deadline": deadline.isoformat()} if deadline else None,
    )
    return locked

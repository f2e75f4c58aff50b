"""Completion and acceptance (spec §16 steps 9-10): the completion request, the initial
acceptance against the application (passed: observation; failed: rectify and ask again), and
the final acceptance once `reno.refund_after_days` have passed."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guanjia.core import workflows
from guanjia.core.access import User
from guanjia.core.policies.selectors import policy

from ..models import RenoStatus, Renovation
from ._common import done, lock, refuse, text

S = RenoStatus
# The acceptance form's checks (装修验收表).
CHECKS = {
    "as_applied": gettext_lazy("Works as applied (no unapproved items)"),
    "structure": gettext_lazy("Structure intact"),
    "facade": gettext_lazy("Façade intact"),
    "leak_test": gettext_lazy("Waterproofing: closed-water test passed"),
    "electrical": gettext_lazy("Electrical insulation test passed"),
    "public": gettext_lazy("Public facilities undamaged"),
    "debris": gettext_lazy("Debris cleared"),
}


@transaction.atomic
def request_completion(*, renovation: Renovation, by: User) -> Renovation:
    locked = lock(renovation)
    workflows.transition(
        locked, S.COMPLETION_REQUESTED, by=by, completion_requested_on=timezone.localdate()
    )
    return done(renovation, locked)


@transaction.atomic
def accept_initial(
    *, renovation: Renovation, checks: dict[str, bool], by: User, defects: str = ""
) -> Renovation:
    """The initial acceptance: every check passed starts the observation; any failed needs
    the defects to rectify (acceptance failed)."""
    locked = lock(renovation)
    unknown = set(checks) - set(CHECKS)
    if unknown:
        raise refuse("checks", _("Unknown acceptance check."), "bad_check")
    passed = all(bool(checks.get(name)) for name in CHECKS)
    defects = text(defects, "defects", 2000)
    data = {"checks": {name: bool(checks.get(name)) for name in CHECKS}}
    attempts = locked.acceptance_attempts + 1
    if not passed:
        if not defects:
            raise refuse("defects", _("List the defects to rectify."), "defects_required")
        workflows.transition(
            locked,
            S.ACCEPTANCE_FAILED,
            by=by,
            note=defects,
            data=data,
            acceptance_attempts=attempts,
        )
        return done(renovation, locked)
    today = timezone.localdate()
    community = locked.community
    workflows.transition(
        locked,
        S.INITIAL_ACCEPTED,
        by=by,
        note=defects,
        data=data,
        acceptance_attempts=attempts,
        initial_accepted_on=today,
    )
    workflows.transition(
        locked,
        S.OBSERVATION,
        by=by,
        refund_due_on=today + dt.timedelta(days=policy(community, "reno.refund_after_days")),
        leak_check_on=today + dt.timedelta(days=policy(community, "reno.leak_observation_days")),
        next_inspection_on=None,
    )
    return done(renovation, locked)


@transaction.atomic
def accept_final(*, renovation: Renovation, note: str, by: User) -> Renovation:
    """After the observation period: no leaks, no façade problems."""
    locked = lock(renovation)
    workflows.check_transition(locked, S.FINAL_ACCEPTED, by=by)
    today = timezone.localdate()
    if locked.refund_due_on is not None and today < locked.refund_due_on:
        raise ValidationError(
            _("The observation period runs until %(day)s.") % {"day": locked.refund_due_on},
            code="observation",
        )
    words = text(note, "note", 2000)
    workflows.transition(locked, S.FINAL_ACCEPTED, by=by, note=words, final_accepted_on=today)
    return done(renovation, locked)

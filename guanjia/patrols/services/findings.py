"""A finding becomes an action in one step (the registry in `patrols.actions`) and is
followed until the action closes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.core import workflows
from guanjia.core.access import User, has_perm_in, require_perm

from ..actions import get_action
from ..models import Finding, FindingStatus

ACT = "patrols.change_finding"


def _lock(finding: Finding) -> Finding:
    locked: Finding = workflows.lock(finding)
    return locked


@transaction.atomic
def take_action(*, finding: Finding, kind: str, by: User, data: Mapping[str, Any]) -> Finding:
    """Do the chosen action now (a repair order, a note, fixed on the spot) and record it on
    the finding; an action that is done at once closes the finding."""
    locked = _lock(finding)
    require_perm(by, ACT, locked.community)
    if locked.status != FindingStatus.OPEN:
        raise ValidationError(
            _("An action was already taken on this finding."), code="already_actioned"
        )
    action = get_action(kind)
    if not has_perm_in(by, action.permission, locked.community):
        raise PermissionDenied(_("You may not take this action."))
    note = str(data.get("note") or "").strip()
    if len(note) > 500:
        raise ValidationError({"note": _("The note is too long.")})
    outcome = action.handler(locked, by, data)
    fields: dict[str, Any] = {
        "action_kind": action.kind,
        "action_ref": outcome.reference[:40],
        "action_id": outcome.object_id,
    }
    if outcome.closed:
        workflows.transition(
            locked,
            FindingStatus.CLOSED,
            by=by,
            action=action.kind,
            note=note,
            closed_on=timezone.localdate(),
            **fields,
        )
    else:
        workflows.transition(
            locked,
            FindingStatus.ACTION,
            by=by,
            action=action.kind,
            note=note or outcome.reference,
            **fields,
        )
    return locked


@transaction.atomic
def close_finding(*, finding: Finding, note: str, by: User) -> Finding:
    """The department reports the note done (an action without a state reader)."""
    locked = _lock(finding)
    require_perm(by, ACT, locked.community)
    if locked.status != FindingStatus.ACTION:
        raise ValidationError(
            _("Only a finding whose action is under way is closed."), code="state"
        )
    action = get_action(locked.action_kind)
    if action.state is not None:
        raise ValidationError(
            _("This finding closes when its %(action)s closes.") % {"action": action.label},
            code="follows_action",
        )
    if not note.strip():
        raise ValidationError({"note": _("Say what was done.")})
    workflows.transition(
        locked,
        FindingStatus.CLOSED,
        by=by,
        action="closed",
        note=note.strip()[:500],
        closed_on=timezone.localdate(),
    )
    return locked


def follow_actions() -> int:
    """The scheduled job: a finding whose action (a repair order) closed in its own app
    closes too, on the day the action closed. Returns how many closed."""
    closed = 0
    for finding in Finding.objects.filter(status=FindingStatus.ACTION).iterator():
        try:
            action = get_action(finding.action_kind)
        except ValidationError:
            continue
        if action.state is None:
            continue
        state = action.state(finding)
        if state.closed:
            with transaction.atomic():
                locked = _lock(finding)
                if locked.status == FindingStatus.ACTION:
                    workflows.transition(
                        locked,
                        FindingStatus.CLOSED,
                        by=None,
                        action="action_closed",
                        note=state.label,
                        closed_on=state.closed_on or timezone.localdate(),
                    )
                    closed += 1
    return closed

"""What a finding becomes, in one step (spec §12: "each issue becomes an action"): a small
registry. Each action has a kind, a label, the permission the person acting needs in the
finding's community, a handler that does it (through the owning app's services) and,
optionally, a reader of its state so the finding is followed until the action closes.

Other apps register their own in their `AppConfig.ready()` (docs/patrols.md):

    from guanjia.patrols.actions import FindingAction, register_action
    register_action(FindingAction(kind="violation", label=_("Resident violation"),
                                  permission="violations.add_violation",
                                  handler=open_violation_from_finding, state=violation_state))
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from guanjia.core.access import User

    from .models import Finding


@dataclass(frozen=True)
class ActionOutcome:
    """What the handler did: a reference to show (a work order's number), the object's id
    for the state reader, and whether the finding is closed at once (fixed on the spot)."""

    reference: str = ""
    object_id: int | None = None
    closed: bool = False


@dataclass(frozen=True)
class ActionState:
    """The action's state now, read from its own app: closed or not, and in words."""

    closed: bool
    label: str
    closed_on: dt.date | None = None


Handler = Callable[["Finding", "User", Mapping[str, Any]], ActionOutcome]
StateReader = Callable[["Finding"], ActionState]


@dataclass(frozen=True)
class FindingAction:
    kind: str
    label: Promise | str
    permission: str
    handler: Handler
    state: StateReader | None = None  # None: closed by hand ("done" recorded by a person)
    order: int = 50


_ACTIONS: dict[str, FindingAction] = {}


def register_action(action: FindingAction) -> None:
    known = _ACTIONS.get(action.kind)
    if known is not None and known != action:
        raise ImproperlyConfigured(f"finding action {action.kind!r} is already registered")
    _ACTIONS[action.kind] = action


def actions() -> list[FindingAction]:
    return sorted(_ACTIONS.values(), key=lambda a: (a.order, a.kind))


def get_action(kind: str) -> FindingAction:
    try:
        return _ACTIONS[kind]
    except KeyError:
        raise ValidationError({"kind": _("Choose what is done about the finding.")}) from None


# ---- the built-in actions ------------------------------------------------------------------


def _repair(finding: Finding, by: User, data: Mapping[str, Any]) -> ActionOutcome:
    """A work order (§15) through the service desk's own one step: the register entry of
    channel "found on patrol" and its repair order."""
    from guanjia.tickets import services as tickets
    from guanjia.tickets.models import Channel, Location, RepairCategory, RequestKind, Urgency

    errors: dict[str, str] = {}
    category = data.get("category") or ""
    urgency = data.get("urgency") or Urgency.ORDINARY
    if category not in RepairCategory.values:
        errors["category"] = _("Choose the kind of repair.")
    if urgency not in (Urgency.EMERGENCY, Urgency.ORDINARY):
        errors["urgency"] = _("Choose emergency or ordinary.")
    if errors:
        raise ValidationError(errors)
    where = finding.location or (str(finding.checkpoint) if finding.checkpoint_id else "")
    content = f"{where}: {finding.description}" if where else finding.description
    entry = tickets.take_contact(
        community=finding.community,
        contact=tickets.Contact(
            channel=Channel.PATROL, kind=RequestKind.REPAIR, content=content, unit=finding.unit
        ),
        repair=tickets.RepairDetails(
            location=Location.HOME if finding.unit_id else Location.COMMON,
            category=category,
            urgency=urgency,
            place=where[:100],
        ),
        by=by,
    )
    order = entry.repair
    return ActionOutcome(reference=order.number, object_id=order.pk)


def _repair_state(finding: Finding) -> ActionState:
    from guanjia.tickets.models import RepairOrder

    if finding.action_id is None:
        return ActionState(closed=False, label="")
    order = RepairOrder.objects.filter(pk=finding.action_id).only("status", "updated_at").first()
    if order is None:
        return ActionState(closed=False, label="")
    closed = order.status in RepairOrder.FINAL_STATUSES
    when = order.updated_at.date() if closed else None
    return ActionState(closed=closed, label=order.get_status_display(), closed_on=when)


def _note(department: str) -> Handler:
    def handler(finding: Finding, by: User, data: Mapping[str, Any]) -> ActionOutcome:
        note = str(data.get("note") or "").strip()
        if not note:
            raise ValidationError({"note": _("Write what the department is asked to do.")})
        return ActionOutcome(reference=department)

    return handler


def _fixed(finding: Finding, by: User, data: Mapping[str, Any]) -> ActionOutcome:
    if not str(data.get("note") or "").strip():
        raise ValidationError({"note": _("Say what was done on the spot.")})
    return ActionOutcome(closed=True)


register_action(
    FindingAction(
        kind="repair",
        label=gettext_lazy("Repair order"),
        permission="tickets.add_servicerequest",
        handler=_repair,
        state=_repair_state,
        order=10,
    )
)


def _violation(finding: Finding, by: User, data: Mapping[str, Any]) -> ActionOutcome:
    """A resident violation (§11) through the violations app's one entry: the unit, the
    type, who is responsible; the finding's description and place; its source the patrol."""
    from guanjia.violations import services as violations
    from guanjia.violations.models import Responsible, Source, ViolationType

    errors: dict[str, str] = {}
    kind = None
    if not finding.unit_id:
        errors["kind"] = _("A violation belongs to a unit: record the finding's unit first.")
    elif data.get("violation_kind"):
        kind = (
            ViolationType.objects.for_community(finding.community_id)
            .filter(pk=data["violation_kind"])
            .first()
        )
    if kind is None and not errors:
        errors["violation_kind"] = _("Choose the type of violation.")
    responsible = data.get("responsible") or Responsible.OWNER
    if responsible not in Responsible.values:
        errors["responsible"] = _("Choose who is responsible.")
    if errors or kind is None or finding.unit is None:
        raise ValidationError(errors)
    violation = violations.report_violation(
        community=finding.community,
        unit=finding.unit,
        kind=kind,
        description=finding.description,
        location=finding.location or (str(finding.checkpoint) if finding.checkpoint_id else ""),
        responsible=responsible,
        source=Source.PATROL,
        source_ref=f"patrol-finding:{finding.pk}",
        by=by,
    )
    return ActionOutcome(reference=violation.number, object_id=violation.pk)


def _violation_state(finding: Finding) -> ActionState:
    from guanjia.violations.models import Violation, ViolationStatus

    if finding.action_id is None:
        return ActionState(closed=False, label="")
    violation = Violation.objects.filter(pk=finding.action_id).only("status", "updated_at").first()
    if violation is None:
        return ActionState(closed=False, label="")
    done = (ViolationStatus.CORRECTED, ViolationStatus.TRANSFERRED, ViolationStatus.CANCELLED)
    closed = violation.status in done
    when = violation.updated_at.date() if closed else None
    return ActionState(closed=closed, label=violation.get_status_display(), closed_on=when)


register_action(
    FindingAction(
        kind="violation",
        label=gettext_lazy("Resident violation"),
        permission="violations.add_violation",
        handler=_violation,
        state=_violation_state,
        order=20,
    )
)
register_action(
    FindingAction(
        kind="cleaning",
        label=gettext_lazy("Note to cleaning"),
        permission="patrols.change_finding",
        handler=_note("cleaning"),
        order=30,
    )
)
register_action(
    FindingAction(
        kind="security",
        label=gettext_lazy("Note to security"),
        permission="patrols.change_finding",
        handler=_note("security"),
        order=31,
    )
)
register_action(
    FindingAction(
        kind="fixed",
        label=gettext_lazy("Fixed on the spot"),
        permission="patrols.change_finding",
        handler=_fixed,
        order=90,
    )
)

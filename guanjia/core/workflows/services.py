"""The one way to move a workflow object and to decide an approval.

`transition` locks the row (SELECT ... FOR UPDATE, re-read), checks the move against the
model's table and the actor against its rule, applies the given fields, saves and appends
an event row; every event row, once committed, goes to the notification rules declared for
its model (`core.notifications.rules`). `request_approval` and `decide` are transitions of
an approval: the decision is an event, never an overwrite, and the requester never decides.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import Code, WorkflowDenied, WorkflowError
from .models import Decision, WorkflowEvent
from .registry import Approvals, Transitions, workflow_for

if TYPE_CHECKING:
    from guanjia.core.access import User

_LOCKED = "_workflow_locked"


ModelT = TypeVar("ModelT", bound=models.Model)


def lock(obj: ModelT) -> ModelT:
    """The row of `obj` re-read under SELECT ... FOR UPDATE, for a service that checks or
    changes more before it calls `transition` (which then does not lock again)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("workflows.lock() needs a transaction (transaction.atomic)")
    manager = type(obj)._default_manager
    locked: ModelT = manager.select_for_update().get(pk=obj.pk)
    setattr(locked, _LOCKED, True)
    return locked


def _state_label(flow: Transitions, obj: models.Model, value: str) -> str:
    choices = dict(getattr(obj._meta.get_field(flow.field), "choices", None) or [])
    return str(choices.get(value, value))


def check_transition(
    obj: models.Model, to: str, *, by: User | None, field: str | None = None
) -> None:
    """Refuse a move the table does not list (`move_not_allowed`), an actor the rule refuses
    (`not_permitted`, a PermissionDenied) or a condition that fails (`condition`). `field`:
    the workflow of that state field (None: the model's main one)."""
    flow = workflow_for(obj, field)
    current = getattr(obj, flow.field)
    if to not in flow.moves.get(current, frozenset()):
        raise WorkflowError(
            Code.MOVE_NOT_ALLOWED,
            _("“%(object)s” is “%(old)s”: it cannot move to “%(new)s”."),
            object=str(obj),
            old=_state_label(flow, obj, current),
            new=_state_label(flow, obj, to),
        )
    # A system move (a scheduled job: by=None) is judged by the same rule, which says whether
    # the system may make it; rules are written for a person and read None as "the system".
    if not flow.rule_for(to)(cast("User", by), obj):
        raise WorkflowDenied(Code.NOT_PERMITTED)
    guard = flow.guards.get(to)
    refusal = guard(obj) if guard is not None else None
    if refusal:
        raise WorkflowError(Code.CONDITION, refusal)


def can_transition(obj: models.Model, to: str, *, by: User, field: str | None = None) -> bool:
    """Whether `by` may move `obj` to `to` now (for showing or hiding a button)."""
    try:
        check_transition(obj, to, by=by, field=field)
    except (WorkflowError, WorkflowDenied):
        return False
    return True


@transaction.atomic
def transition(
    obj: models.Model,
    to: str,
    *,
    by: User | None,
    note: str = "",
    action: str = "",
    data: dict[str, Any] | None = None,
    expected: str | None = None,
    field: str | None = None,
    **fields: Any,
) -> WorkflowEvent:
    """Move `obj` to `to` for `by`: lock, check, apply `fields`, save, append the event.

    `field` names the state field's workflow when the model has several (None: its main
    one). `expected` is the state the user saw: a different current state is `stale`. `obj`
    is updated in place to what was saved. Returns the event row."""
    flow = workflow_for(obj, field)
    target = obj if getattr(obj, _LOCKED, False) else lock(obj)
    current = getattr(target, flow.field)
    if expected is not None and current != expected:
        raise WorkflowError(Code.STALE)
    check_transition(target, to, by=by, field=field)
    for name, value in fields.items():
        setattr(target, name, value)
    setattr(target, flow.field, to)
    target.save()
    event = _record(flow, target, old=current, by=by, note=note, action=action, data=data)
    if target is not obj:
        for model_field in obj._meta.concrete_fields:
            setattr(obj, model_field.attname, getattr(target, model_field.attname))
    return event


def _record(
    flow: Transitions,
    obj: models.Model,
    *,
    old: str,
    by: User | None,
    note: str,
    action: str,
    data: dict[str, Any] | None,
) -> WorkflowEvent:
    extra = flow.event_fields(obj) if flow.event_fields is not None else {}
    event = flow.event_model(
        **{flow.event_object: obj},
        **extra,
        actor=by,
        at=timezone.now(),
        action=action or getattr(obj, flow.field),
        from_status=old,
        to_status=getattr(obj, flow.field),
        note=note,
        data=data or {},
    )
    event.save()
    _announce(obj, event)
    return event


def _announce(obj: models.Model, event: WorkflowEvent) -> None:
    """After commit, the notification rules declared for the object's model tell the people
    who must act (`core.notifications.rules`); nothing is sent if the transaction rolls back."""
    from guanjia.core.notifications.rules import Happening, announce_on_commit

    announce_on_commit(obj, Happening.of(event))


def record_creation(
    obj: models.Model, *, by: User | None, note: str = "", action: str = "created"
) -> WorkflowEvent:
    """The first event of a new object: from no state to the one it was created in."""
    return _record(workflow_for(obj), obj, old="", by=by, note=note, action=action, data=None)


def record_event(
    obj: models.Model,
    *,
    by: User | None,
    action: str,
    note: str = "",
    data: dict[str, Any] | None = None,
) -> WorkflowEvent:
    """An event of `obj` that changes no state (a note, a reminder, a linked record): the
    from and to states are both the current one."""
    flow = workflow_for(obj)
    current = getattr(obj, flow.field)
    return _record(flow, obj, old=current, by=by, note=note, action=action, data=data)


def _approval(flow: Transitions) -> Approvals:
    if flow.approval is None:
        raise LookupError("this workflow has no approval")
    return flow.approval


@transaction.atomic
def request_approval(
    obj: models.Model, *, by: User, note: str = "", amount: Decimal | None = None, **fields: Any
) -> WorkflowEvent:
    """Put `obj` to awaiting a decision, requested by `by` now. The previous decision's
    columns are cleared; its event row keeps it."""
    flow = workflow_for(obj)
    spec = _approval(flow)
    names = spec.fields
    columns: dict[str, Any] = {names.requested_by: by, **fields}
    _set(columns, names.requested_at, timezone.now())
    for name in (names.decided_by, names.decided_at):
        _set(columns, name, None)
    _set(columns, names.decision, Decision.NONE)
    _set(columns, names.reason, "")
    if amount is not None and names.amount:
        columns[names.amount] = amount
    data = {"amount": f"{amount:.2f}"} if amount is not None else None
    return transition(
        obj, spec.requested, by=by, note=note, action="requested", data=data, **columns
    )


def _set(columns: dict[str, Any], name: str | None, value: Any) -> None:
    if name:
        columns.setdefault(name, value)


@transaction.atomic
def decide(
    obj: models.Model,
    approve: bool,
    *,
    by: User,
    reason: str = "",
    reference: str = "",
    **fields: Any,
) -> WorkflowEvent:
    """Approve or reject what awaits a decision. Refused: a decided or unrequested row, the
    requester (`own_request`), a decider without authority, an amount above the decider's
    limit, a rejection without a reason or an approval without a required reference."""
    flow = workflow_for(obj)
    spec = _approval(flow)
    target = obj if getattr(obj, _LOCKED, False) else lock(obj)
    _check_decider(flow, spec, target, by=by, approve=approve)
    reason, reference = _clean_texts(spec, target, approve, reason=reason, reference=reference)
    names = spec.fields
    columns: dict[str, Any] = dict(fields)
    _set(columns, names.decided_by, by)
    _set(columns, names.decided_at, timezone.now())
    _set(columns, names.decision, Decision.APPROVED if approve else Decision.REJECTED)
    _set(columns, names.reason, reason)
    if reference:
        _set(columns, names.reference, reference)
    amount = getattr(target, names.amount, None) if names.amount else None
    data = {"decision": "approved" if approve else "rejected", "reference": reference}
    if amount is not None:
        data["amount"] = f"{amount:.2f}"
    event = transition(
        target,
        spec.approved if approve else spec.rejected,
        by=by,
        note=reason or reference,
        action="approved" if approve else "rejected",
        data=data,
        **columns,
    )
    if target is not obj:
        for model_field in obj._meta.concrete_fields:
            setattr(obj, model_field.attname, getattr(target, model_field.attname))
    return event


def _check_decider(
    flow: Transitions, spec: Approvals, obj: models.Model, *, by: User, approve: bool
) -> None:
    if getattr(obj, flow.field) != spec.requested:
        raise WorkflowError(
            Code.ALREADY_DECIDED if _last_action(flow, obj) in _DECIDED else Code.NOT_REQUESTED
        )
    requester_id = getattr(obj, f"{spec.fields.requested_by}_id", None)
    if requester_id is not None and requester_id == by.pk:
        raise WorkflowDenied(Code.OWN_REQUEST)
    if not spec.may_decide(by, obj):
        raise WorkflowDenied(Code.NOT_PERMITTED)
    if approve and spec.limit_policy:
        _check_limit(spec, obj, by=by)


_DECIDED = frozenset({"approved", "rejected"})


def _last_action(flow: Transitions, obj: models.Model) -> str | None:
    """The action of the object's latest event: a row back in the state that precedes a
    request (a run posted again) is "not requested" unless a decision put it there."""
    events = flow.event_model._default_manager.filter(**{flow.event_object: obj})
    last = events.order_by("-at", "-pk").values_list("action", flat=True).first()
    return str(last) if last is not None else None


def _check_limit(spec: Approvals, obj: models.Model, *, by: User) -> None:
    from guanjia.core.policies.selectors import policy

    amount = getattr(obj, spec.fields.amount or "", None)
    limit = policy(getattr(obj, "community", None), spec.limit_policy or "")
    if amount is None or limit is None or amount <= limit:
        return
    if spec.may_exceed_limit is not None and spec.may_exceed_limit(by, obj):
        return
    raise WorkflowDenied(
        Code.OVER_LIMIT,
        _("%(amount)s is above %(limit)s, the most you may approve.")
        % {"amount": f"{amount:.2f}", "limit": f"{limit:.2f}"},
    )


def _clean_texts(
    spec: Approvals, obj: models.Model, approve: bool, *, reason: str, reference: str
) -> tuple[str, str]:
    reason, reference = (reason or "").strip(), (reference or "").strip()
    if not approve and spec.reason_required and not reason:
        raise WorkflowError(Code.REASON_REQUIRED)
    if approve and spec.reference_required and not reference:
        raise WorkflowError(Code.REFERENCE_REQUIRED)
    for name, text in ((spec.fields.reason, reason), (spec.fields.reference, reference)):
        limit = getattr(obj._meta.get_field(name), "max_length", None) if name else None
        if limit is not None and len(text) > limit:
            raise WorkflowError(
                Code.TOO_LONG,
                _("At most %(limit)s characters, please."),
                limit=limit,
            )
    return reason, reference

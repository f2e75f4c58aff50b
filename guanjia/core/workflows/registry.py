"""Which models have a workflow, and what it is: the table of moves, who may make each move,
the event table, and (for "propose, then a different person decides") the approval.

Declared beside the model, after its event table:

    workflows.register(RepairOrder, Transitions(
        moves=REPAIR_MOVES, event_model=RepairEvent, event_object="order",
        actor=is_repair_staff, actors={R.DISPATCHED: may_dispatch},
    ))
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db import models

from .models import WorkflowEvent

if TYPE_CHECKING:
    from guanjia.core.access import User

# Who may make a move: (user, the locked object) -> bool.
Rule = Callable[[Any, Any], bool]
# A condition of a move on the locked object: a translated refusal, or None when it holds.
Guard = Callable[[Any], str | None]


def anyone(user: User, obj: Any) -> bool:
    """The rule of a move whose page or API permission is the whole check."""
    return True


@dataclass(frozen=True)
class ApprovalFieldNames:
    """Where an approval keeps its columns. The defaults are `ApprovalFields`' names; a model
    that predates that mixin names its own columns (None: the model has no such column)."""

    requested_by: str = "requested_by"
    requested_at: str | None = "requested_at"
    decided_by: str | None = "decided_by"
    decided_at: str | None = "decided_at"
    decision: str | None = "decision"
    reason: str | None = "reason"
    reference: str | None = "reference"
    amount: str | None = "amount"


@dataclass(frozen=True)
class Approvals:
    """One approval: the state that awaits a decision, the two outcomes, who may decide
    (never the requester), and optionally an amount limit read from a policy."""

    requested: str
    approved: str
    rejected: str
    may_decide: Rule
    fields: ApprovalFieldNames = ApprovalFieldNames()
    reference_required: bool = False
    reason_required: bool = True  # a rejection says why
    # A money policy key: approving an amount above it needs `may_exceed_limit`.
    limit_policy: str | None = None
    may_exceed_limit: Rule | None = None


@dataclass(frozen=True)
class Transitions:
    """The whole workflow of one model: any move not listed in `moves` is refused.

    `actor` is the rule for every move, `actors` overrides it per target state, `guards`
    adds conditions per target state. `event_object` is the event table's foreign key to
    the object; `event_fields` gives further columns of an event row (e.g. its community).
    """

    moves: Mapping[str, frozenset[str]]
    event_model: type[WorkflowEvent]
    event_object: str
    actor: Rule
    field: str = "status"
    actors: Mapping[str, Rule] = dataclasses.field(default_factory=dict)
    guards: Mapping[str, Guard] = dataclasses.field(default_factory=dict)
    event_fields: Callable[[Any], dict[str, Any]] | None = None
    approval: Approvals | None = None

    def rule_for(self, to: str) -> Rule:
        if self.approval is not None and to in (self.approval.approved, self.approval.rejected):
            return self.actors.get(to, self.approval.may_decide)
        return self.actors.get(to, self.actor)

    def next_statuses(self, state: str) -> list[str]:
        return sorted(self.moves.get(state, frozenset()))


# Keyed by (model, state field): a model may have a workflow per state field (a register
# entry's `status` and its written reply's `letter_status`). The first registered for a model
# is its main workflow (what `workflow_for(obj)` without a field gives).
_REGISTRY: dict[tuple[type[models.Model], str], Transitions] = {}
_MAIN: dict[type[models.Model], str] = {}


def register(model: type[models.Model], transitions: Transitions) -> None:
    """Declare a workflow of `model` on the state field `transitions.field`. A table that
    names unknown states or an event table without a key to the model is a programming
    error, reported at start-up."""
    _check(model, transitions)
    _REGISTRY[(model, transitions.field)] = transitions
    _MAIN.setdefault(model, transitions.field)


def _check(model: type[models.Model], flow: Transitions) -> None:
    label = model._meta.label
    try:
        state_field = model._meta.get_field(flow.field)
        fk = flow.event_model._meta.get_field(flow.event_object)
    except FieldDoesNotExist as exc:
        raise ImproperlyConfigured(f"workflow of {label}: {exc}") from exc
    if not issubclass(flow.event_model, WorkflowEvent):
        raise ImproperlyConfigured(f"workflow of {label}: events must subclass WorkflowEvent")
    remote = getattr(fk.remote_field, "model", None)
    if remote not in (model, model.__name__, model._meta.label):
        raise ImproperlyConfigured(f"workflow of {label}: {flow.event_object} is not a key to it")
    known = {value for value, _label in (getattr(state_field, "choices", None) or [])}
    named = set(flow.moves) | set().union(*flow.moves.values())
    if known and not named <= known:
        raise ImproperlyConfigured(f"workflow of {label}: unknown states {named - known}")
    if known and set(flow.moves) != known:
        raise ImproperlyConfigured(f"workflow of {label}: no moves from {known - set(flow.moves)}")


def workflow_for(
    model_or_obj: type[models.Model] | models.Model, field: str | None = None
) -> Transitions:
    """The workflow of a model or object on its state `field` (None: its main workflow, the
    first registered); LookupError when it has none."""
    model = model_or_obj if isinstance(model_or_obj, type) else type(model_or_obj)
    concrete = model._meta.concrete_model or model
    try:
        return _REGISTRY[(concrete, field or _MAIN[concrete])]
    except KeyError:
        on = f" on {field}" if field else ""
        raise LookupError(f"{model._meta.label} has no registered workflow{on}") from None


def registered() -> dict[type[models.Model], Transitions]:
    """Every model with a workflow and its main table (the workflows-everywhere test)."""
    return {model: _REGISTRY[(model, field)] for model, field in _MAIN.items()}


def registered_fields() -> dict[tuple[type[models.Model], str], Transitions]:
    """Every workflow by (model, state field), a model's further state fields included."""
    return dict(_REGISTRY)

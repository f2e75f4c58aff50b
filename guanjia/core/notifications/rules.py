"""Who is told when a workflow records an event: rules declared per model next to its workflow.

`core.workflows` records every event (a move, a creation, a note, a decision) through one
function; after the transaction commits it hands what happened to `announce()`, which runs
the rules registered for the model and the event's action or new state:

    notice(
        BillingRun,
        on={"requested"},                      # an action, or a state the object moved to
        event="billing.run_reversal_requested",  # a registered notification event
        recipients=lambda run, happened: approvers_of(run),
        context=lambda run, happened: {"run": str(run), "by": happened.actor_name},
        link=lambda run: reverse("billing:run-detail", args=[run.pk]),
    )

The actor is never told about their own act, each person is told once per event (the first
matching rule wins), an inactive account is told nothing, and the channels are the event's
default channels less the outside ones the person turned off (`NotificationPreference`).
Nothing is sent for a transaction that rolls back: `announce_on_commit` waits for the commit.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

from django.db import models, transaction

if TYPE_CHECKING:
    from guanjia.core.access import User

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Happening:
    """What a workflow event says happened: the action, the states, who, the note."""

    action: str
    to_status: str
    from_status: str = ""
    actor: User | None = None
    note: str = ""
    data: Mapping[str, Any] = field(default_factory=dict)

    @property
    def actor_name(self) -> str:
        if self.actor is None:
            return ""
        return str(getattr(self.actor, "display_name", "") or self.actor)

    @classmethod
    def of(cls, event: Any) -> Happening:
        """From a `WorkflowEvent` row (or an older event table with old/new status)."""
        return cls(
            action=str(event.action),
            to_status=str(getattr(event, "to_status", getattr(event, "new_status", "")) or ""),
            from_status=str(getattr(event, "from_status", getattr(event, "old_status", "")) or ""),
            actor=event.actor,
            note=str(event.note or ""),
            data=dict(getattr(event, "data", None) or {}),
        )


Recipients = Callable[[Any, Happening], Iterable[Any]]


@dataclass(frozen=True)
class Notice:
    """One rule: on these actions or new states of this model, tell these people."""

    model: type[models.Model]
    on: frozenset[str]
    event: str
    recipients: Recipients
    context: Callable[[Any, Happening], Mapping[str, Any]]
    link: Callable[[Any], str] | None = None
    when: Callable[[Any, Happening], bool] | None = None

    def matches(self, obj: Any, happened: Happening) -> bool:
        if happened.action not in self.on and happened.to_status not in self.on:
            return False
        return self.when is None or bool(self.when(obj, happened))


_NOTICES: dict[type[models.Model], list[Notice]] = {}


def notice(
    model: type[models.Model],
    *,
    on: Collection[str],
    event: str,
    recipients: Recipients,
    context: Callable[[Any, Happening], Mapping[str, Any]],
    link: Callable[[Any], str] | None = None,
    when: Callable[[Any, Happening], bool] | None = None,
) -> Notice:
    """Declare a rule (in the app's `ready()`, beside its workflow). The notification event
    must be registered; a rule without triggers is a programming error."""
    from .registry import get_event

    get_event(event)  # ValueError for an unregistered event
    if not on:
        raise ValueError(f"notice for {model._meta.label} needs at least one action or state")
    rule = Notice(model, frozenset(on), event, recipients, context, link, when)
    _NOTICES.setdefault(_concrete(model), []).append(rule)
    return rule


def _concrete(model: type[models.Model]) -> type[models.Model]:
    return model._meta.concrete_model or model


def notices_for(model: type[models.Model]) -> list[Notice]:
    return list(_NOTICES.get(_concrete(model), []))


def registered_notices() -> dict[type[models.Model], list[Notice]]:
    return {model: list(rules) for model, rules in _NOTICES.items()}


def has_notice(model: type[models.Model], happened: Happening) -> bool:
    keys = {happened.action, happened.to_status}
    return any(keys & rule.on for rule in _NOTICES.get(_concrete(model), []))


def announce_on_commit(obj: models.Model, happened: Happening) -> None:
    """After the current transaction commits, run the rules for `obj` (re-read then)."""
    if not has_notice(type(obj), happened):
        return
    transaction.on_commit(partial(_announce_committed, type(obj), obj.pk, happened), robust=True)


def _announce_committed(model: type[models.Model], pk: Any, happened: Happening) -> None:
    obj = model._default_manager.filter(pk=pk).first()
    if obj is not None:
        announce(obj, happened)


@transaction.atomic
def announce(obj: models.Model, happened: Happening) -> list[Any]:
    """Run the rules of `obj`'s model for what happened; returns the notifications written.

    Called after commit by the workflow hook; a test may call it with an event of a
    workflow that does not go through `core.workflows` yet."""
    from .services import notify_by_preference

    told: set[int] = set()
    if happened.actor is not None:
        told.add(happened.actor.pk)  # nobody is told of their own act
    written = []
    for rule in notices_for(type(obj)):
        if not rule.matches(obj, happened):
            continue
        fresh: dict[int, Any] = {}
        for person in rule.recipients(obj, happened):
            if person is not None and person.is_active and person.pk not in told:
                fresh.setdefault(person.pk, person)
        if not fresh:
            continue
        told.update(fresh)
        context = rule.context(obj, happened)
        link = rule.link(obj) if rule.link is not None else ""
        community = getattr(obj, "community", None)
        for person in fresh.values():
            written.append(
                notify_by_preference(person, rule.event, context, community=community, link=link)
            )
    return written

"""The events a notification can be about, declared in code.

Each app declares its events in its own `notifications.py` with `register_event(...)`; the
modules are imported when Django starts (`NotificationsConfig.ready`). Subjects and bodies are
Django template strings; write them as lazy translated strings so `makemessages` finds them,
with `{{ placeholders }}` for the context the caller passes to `notify()`:

    register_event(
        "repair.dispatched",
        label=_("A repair was dispatched"),
        subject=_("Repair {{ number }} was dispatched to you"),
        body=_("{{ unit }}: {{ summary }}"),
        default_channels=(Channel.INBOX, Channel.SMS),
    )
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import Channel

StrOrPromise = str | Promise


@dataclass(frozen=True)
class Event:
    """One kind of notification: its label, how its subject and body read, where it goes."""

    code: str
    label: StrOrPromise
    subject: StrOrPromise
    body: StrOrPromise
    default_channels: tuple[Channel, ...]


_EVENTS: dict[str, Event] = {}


def register_event(
    code: str,
    *,
    label: StrOrPromise,
    subject: StrOrPromise,
    body: StrOrPromise,
    default_channels: tuple[Channel, ...] = (Channel.INBOX,),
) -> Event:
    """Declare an event. Codes are `<app>.<what_happened>`; declaring one twice is an error."""
    if code in _EVENTS:
        raise ValueError(f"notification event {code!r} is already registered")
    channels = tuple(Channel(channel) for channel in default_channels)
    if not channels:
        raise ValueError(f"notification event {code!r} needs at least one channel")
    event = Event(code, label, subject, body, channels)
    _EVENTS[code] = event
    return event


def get_event(code: str) -> Event:
    """The registered event; ValueError for a code nobody declared."""
    try:
        return _EVENTS[code]
    except KeyError:
        raise ValueError(f"unknown notification event {code!r}") from None


def registered_events() -> Iterable[Event]:
    return sorted(_EVENTS.values(), key=lambda event: event.code)


# The foundation's own events. Domain apps declare theirs in `<app>/notifications.py`.
register_event(
    "policy.proposal_submitted",
    label=_("A policy change was proposed"),
    subject=_("Policy change proposed: {{ policy }}"),
    body=_(
        "{{ proposed_by }} proposed to change {{ policy }} in {{ scope }} from {{ old_value }} "
        "to {{ new_value }}. Please review it."
    ),
    default_channels=(Channel.INBOX, Channel.EMAIL),
)
register_event(
    "system.test",
    label=_("Test message"),
    subject=_("Test message from Guanjia"),
    body=_(
        "This is a test message sent by {{ sent_by }} at {{ sent_at }} to check that the "
        "notification channels work. No action is needed."
    ),
    default_channels=(Channel.INBOX, Channel.EMAIL, Channel.SMS, Channel.WECHAT),
)

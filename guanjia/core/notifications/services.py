"""Every write to notifications: notify someone, mark read, send and retry outside messages.

`notify()` writes the inbox row and one outbox row per outside channel in the caller's
transaction; the outside messages go out only after that transaction commits, so a rolled-back
business change sends nothing, and a failing gateway never breaks the business change.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping, Sequence
from email.utils import make_msgid
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.template import Context, Template
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guanjia.core.access import User
from guanjia.core.models import Community

from .backends import backend_path, get_backend
from .models import (
    OUTSIDE_CHANNELS,
    Channel,
    Notification,
    NotificationPreference,
    OutboundMessage,
    OutboundStatus,
)
from .registry import Event, StrOrPromise, get_event

__all__ = [
    "Channel",
    "mark_all_read",
    "mark_read",
    "notify",
    "notify_address",
    "notify_by_preference",
    "retry_outbound_messages",
    "send_outbound_messages",
    "send_test_message",
    "set_preference",
]

logger = logging.getLogger(__name__)

NO_ADDRESS = {
    Channel.EMAIL: gettext_lazy("The recipient has no e-mail address."),
    Channel.SMS: gettext_lazy("The recipient has no mobile phone number."),
    Channel.WECHAT: gettext_lazy("The recipient has not linked a WeChat account."),
}
SUBJECT_MAX = Notification._meta.get_field("subject").max_length or 200


@transaction.atomic
def notify(
    recipient: User,
    event: str,
    context: Mapping[str, Any],
    *,
    channels: Sequence[Channel] | None = None,
    community: Community | None = None,
    link: str = "",
) -> Notification:
    """Tell `recipient` about `event`: an inbox row now, outside messages after commit.

    Raises ValueError for an unregistered event, an unknown channel or an over-long link.
    """
    spec = get_event(event)
    wanted = _channels(spec, channels)
    if len(link) > Notification._meta.get_field("link").max_length:  # type: ignore[operator]
        raise ValueError("notification link is too long")
    language = getattr(recipient, "language", "") or settings.LANGUAGE_CODE
    notification = Notification.objects.create(
        recipient=recipient,
        community=community,
        event=spec.code,
        subject=_render(spec.subject, context, language)[:SUBJECT_MAX],
        body=_render(spec.body, context, language),
        link=link,
        in_inbox=Channel.INBOX in wanted,
    )
    outbound = [_queue(notification, channel) for channel in wanted if channel in OUTSIDE_CHANNELS]
    pending = [message.pk for message in outbound if message.status == OutboundStatus.PENDING]
    if pending:
        transaction.on_commit(partial(send_outbound_messages, pending), robust=True)
    return notification


def notify_by_preference(
    recipient: User,
    event: str,
    context: Mapping[str, Any],
    *,
    community: Community | None = None,
    link: str = "",
) -> Notification:
    """`notify()` on the event's default channels less those the recipient turned off."""
    spec = get_event(event)
    preference = NotificationPreference.objects.filter(user=recipient).first()
    wanted = [c for c in spec.default_channels if preference is None or preference.allows(c)]
    if Channel.INBOX not in wanted:
        wanted.insert(0, Channel.INBOX)  # nothing is ever lost: the inbox keeps it
    return notify(recipient, event, context, channels=wanted, community=community, link=link)


@transaction.atomic
def set_preference(*, by: User, sms: bool, wechat: bool, email: bool) -> NotificationPreference:
    """Which outside channels `by` accepts; only for themselves, so no permission to check."""
    preference, _created = NotificationPreference.objects.update_or_create(
        user=by, defaults={"sms": sms, "wechat": wechat, "email": email}
    )
    return preference


@transaction.atomic
def notify_address(
    to: str,
    event: str,
    context: Mapping[str, Any],
    *,
    channel: Channel,
    community: Community | None = None,
) -> OutboundMessage:
    """Tell someone who has no staff account (a resident) on an outside channel: one outbox
    row now, written in the caller's transaction, sent after it commits (like `notify`).

    No address: the row is kept as skipped, so the outbox shows who could not be told.
    Raises ValueError for an unregistered event or a channel that is not an outside one."""
    spec = get_event(event)
    channel = Channel(channel)
    if channel not in OUTSIDE_CHANNELS:
        raise ValueError("notify_address() sends on an outside channel only")
    language = settings.LANGUAGE_CODE
    subject = _render(spec.subject, context, language)[:SUBJECT_MAX]
    body = _render(spec.body, context, language)
    status, error = OutboundStatus.PENDING, ""
    if not to:
        status, error = OutboundStatus.SKIPPED, str(NO_ADDRESS[channel])
    message = OutboundMessage.objects.create(
        community=community,
        channel=channel,
        to=to,
        subject=subject,
        text=body or subject,
        template=spec.code,
        data={"subject": subject, "body": body, "link": ""},
        status=status,
        error=error,
    )
    if status == OutboundStatus.PENDING:
        transaction.on_commit(partial(send_outbound_messages, [message.pk]), robust=True)
    return message


def _channels(spec: Event, channels: Sequence[Channel] | None) -> tuple[Channel, ...]:
    if channels is None:
        return spec.default_channels
    wanted = tuple(dict.fromkeys(Channel(channel) for channel in channels))  # ValueError if unknown
    if not wanted:
        raise ValueError("notify() needs at least one channel")
    return wanted


def _render(source: StrOrPromise, context: Mapping[str, Any], language: str) -> str:
    """An event's subject or body in the recipient's language, as plain text."""
    with translation.override(language):
        template = Template("{% load i18n %}" + str(source))
        return template.render(Context(dict(context), autoescape=False)).strip()


def _address(recipient: User, channel: Channel) -> str:
    if channel == Channel.EMAIL:
        return recipient.email
    if channel == Channel.SMS:
        return recipient.phone
    return str(getattr(recipient, "wechat_openid", "") or "")  # no WeChat binding exists yet


def _queue(notification: Notification, channel: Channel) -> OutboundMessage:
    """The outbox row for one outside channel: pending, or skipped when it cannot be sent."""
    recipient = notification.recipient
    address = _address(recipient, channel)
    status, error = OutboundStatus.PENDING, ""
    if not recipient.is_active:
        status, error = OutboundStatus.SKIPPED, _("The account is deactivated.")
    elif not address:
        status, error = OutboundStatus.SKIPPED, str(NO_ADDRESS[channel])
    return OutboundMessage.objects.create(
        notification=notification,
        recipient=recipient,
        community=notification.community,
        channel=channel,
        to=address,
        subject=notification.subject,
        text=_text(notification, channel),
        template=notification.event,
        data={
            "subject": notification.subject,
            "body": notification.body,
            "link": notification.link,
        },
        status=status,
        error=error,
    )


def _text(notification: Notification, channel: Channel) -> str:
    parts = [notification.body or notification.subject]
    if channel == Channel.EMAIL and notification.link:
        parts.append(notification.link)
    return "\n\n".join(parts)


def send_outbound_messages(message_ids: Sequence[int]) -> None:
    """Send the given pending or failed outbox rows; each records sent or failed, none raises."""
    for message in OutboundMessage.objects.filter(pk__in=message_ids).sendable().order_by("pk"):
        _send_one(message)


def _send_one(message: OutboundMessage) -> None:
    if not _claim(message):  # another worker is sending it or has sent it
        return
    try:
        provider_id = _deliver(message)
    except Exception as exc:  # any gateway failure: keep it for the retry job, never raise
        logger.warning("sending outbound message %s failed: %r", message.pk, exc)
        OutboundMessage.objects.filter(pk=message.pk).update(
            status=OutboundStatus.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:2000],
            updated_at=timezone.now(),
        )
        return
    OutboundMessage.objects.filter(pk=message.pk).update(
        status=OutboundStatus.SENT,
        provider_id=str(provider_id)[:200],
        error="",
        sent_at=timezone.now(),
        updated_at=timezone.now(),
    )


def _claim(message: OutboundMessage) -> bool:
    """Move the row from the state it was read in to SENDING; only one worker can."""
    return bool(
        OutboundMessage.objects.filter(
            pk=message.pk, status=message.status, attempts=message.attempts
        ).update(
            status=OutboundStatus.SENDING,
            attempts=F("attempts") + 1,
            backend=backend_path(Channel(message.channel)),
            updated_at=timezone.now(),
        )
    )


def _deliver(message: OutboundMessage) -> str:
    channel = Channel(message.channel)
    if channel == Channel.EMAIL:
        domain = str(settings.DEFAULT_FROM_EMAIL).rpartition("@")[2] or "guanjia.local"
        message_id = make_msgid(domain=domain)
        email = EmailMessage(
            subject=message.subject,
            body=message.text,
            to=[message.to],
            headers={"Message-ID": message_id},
        )
        email.send(fail_silently=False)
        return message_id
    backend = get_backend(channel)
    return backend.send(
        to=message.to, text=message.text, template=message.template, data=message.data
    )


def retry_outbound_messages(
    *,
    max_attempts: int = 5,
    stale_after: dt.timedelta = dt.timedelta(minutes=10),
    limit: int = 200,
) -> int:
    """Send again what failed, and what stayed pending or sending (a crash). Returns count.

    The job that calls this runs every few minutes; the numbers are operational limits of the
    gateways, not business rules, so they are keyword defaults rather than policies.
    """
    due = OutboundMessage.objects.due_for_retry(
        before=timezone.now() - stale_after, max_attempts=max_attempts
    ).order_by("pk")[:limit]
    messages = list(due)
    for message in messages:
        _send_one(message)
    return len(messages)


@transaction.atomic
def mark_read(*, notification: Notification, by: User) -> Notification:
    """Mark one notification read; only its recipient may. Reading it twice changes nothing."""
    if notification.recipient_id != by.pk:
        raise PermissionDenied
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at", "updated_at"])
    return notification


@transaction.atomic
def mark_all_read(*, by: User) -> int:
    """Mark every unread notification of `by` read; returns how many were unread."""
    now = timezone.now()
    return Notification.objects.filter(recipient=by, read_at__isnull=True).update(
        read_at=now, updated_at=now
    )


@transaction.atomic
def send_test_message(*, by: User) -> Notification:
    """The `system.test` event to `by` on every channel, to check the gateways work."""
    return notify(
        by,
        "system.test",
        {"sent_by": by.display_name, "sent_at": timezone.now()},
        channels=list(Channel),
    )

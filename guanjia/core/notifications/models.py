"""Notifications: the inbox row each recipient reads, and every message sent outside."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guanjia.core.models import Community, TimeStampedModel
from guanjia.core.personal_data import mask_phone

if TYPE_CHECKING:
    from guanjia.core.access import AnyUser


class Channel(models.TextChoices):
    """Where a notification goes: the in-app inbox or an outside channel."""

    INBOX = "inbox", _("Inbox")  # 站内消息
    EMAIL = "email", _("E-mail")  # 电子邮件
    SMS = "sms", _("SMS")  # 短信
    WECHAT = "wechat", _("WeChat")  # 微信模板消息


OUTSIDE_CHANNELS: tuple[Channel, ...] = (Channel.EMAIL, Channel.SMS, Channel.WECHAT)


class OutboundStatus(models.TextChoices):
    PENDING = "pending", _("Pending")  # 待发送
    SENDING = "sending", _("Sending")  # 发送中
    SENT = "sent", _("Sent")  # 已发送
    FAILED = "failed", _("Failed")  # 发送失败
    SKIPPED = "skipped", _("Skipped")  # 已跳过（无联系方式）


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user: AnyUser) -> NotificationQuerySet:
        """A notification is only ever visible to its recipient, whatever their roles."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(recipient=user)

    def in_inbox(self) -> NotificationQuerySet:
        return self.filter(in_inbox=True)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(TimeStampedModel):
    """One message to one staff member about one event; it shows in their inbox."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    community = models.ForeignKey(
        Community,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("community"),
    )
    event = models.CharField(_("event"), max_length=64)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    in_inbox = models.BooleanField(_("shown in the inbox"), default=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_recipient_new"),
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True, in_inbox=True),
                name="notification_unread",
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class OutboundMessageQuerySet(models.QuerySet):
    def visible_to(self, user: AnyUser) -> OutboundMessageQuerySet:
        """Messages of the user's communities, and company-level ones to their colleagues."""
        from guanjia.core.access import visible_community_ids

        ids = visible_community_ids(user)
        if ids is None:  # superuser
            return self.all()
        if user is None or isinstance(user, AnonymousUser):
            return self.none()
        company_level = Q(community__isnull=True, recipient__company_id=user.company_id)
        if user.company_id is None:
            company_level = Q(community__isnull=True, recipient=user)
        return self.filter(Q(community__in=ids) | company_level)

    def sendable(self) -> OutboundMessageQuerySet:
        """Waiting to be sent, or failed and waiting to be tried again."""
        return self.filter(status__in=[OutboundStatus.PENDING, OutboundStatus.FAILED])

    def due_for_retry(self, *, before: dt.datetime, max_attempts: int) -> OutboundMessageQuerySet:
        """Failed, still pending (a crash after commit) or stuck sending since before `before`."""
        return self.filter(
            status__in=[OutboundStatus.PENDING, OutboundStatus.FAILED, OutboundStatus.SENDING],
            attempts__lt=max_attempts,
            updated_at__lt=before,
        )


class OutboundMessage(TimeStampedModel):
    """One message to one address on one outside channel (e-mail, SMS, WeChat) and its fate.

    The row is written with the notification, in the caller's transaction, and sent after
    commit; a failed send keeps the row for the retry job.
    """

    notification = models.ForeignKey(
        Notification,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="outbound_messages",
        verbose_name=_("notification"),
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recipient"),
    )
    community = models.ForeignKey(
        Community,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("community"),
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel)
    to = models.CharField(_("to"), max_length=254, blank=True)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    text = models.TextField(_("text"), blank=True)
    template = models.CharField(_("template"), max_length=64, blank=True)
    data = models.JSONField(_("template data"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=OutboundStatus, default=OutboundStatus.PENDING
    )
    backend = models.CharField(_("backend"), max_length=200, blank=True)
    provider_id = models.CharField(_("provider message id"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    objects = OutboundMessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("outbound message")
        verbose_name_plural = _("outbound messages")
        ordering = ["-created_at", "-pk"]
        permissions = [("send_test_message", _("Can send a test message to themselves"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(channel__in=[c.value for c in OUTSIDE_CHANNELS]),
                name="outboundmessage_outside_channel",
                violation_error_message=_("An outbound message goes by e-mail, SMS or WeChat."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=OutboundStatus.values),
                name="outboundmessage_known_status",
                violation_error_message=_("Unknown message status."),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"], name="outboundmessage_status"),
            models.Index(fields=["channel", "-created_at"], name="outboundmessage_channel"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.masked_to}"

    @property
    def masked_to(self) -> str:
        """The address as lists show it: a phone keeps its first 3 and last 4 digits."""
        return mask_address(self.channel, self.to)


def mask_address(channel: str, address: str) -> str:
    if not address:
        return ""
    if channel == Channel.EMAIL and "@" in address:
        name, _at, domain = address.partition("@")
        return f"{name[:1]}***@{domain}"
    return mask_phone(address)


class NotificationPreference(TimeStampedModel):
    """Which outside channels one staff member accepts notifications on (the inbox always).

    No row: every channel an event declares. A channel turned off is never used for them,
    whatever the event says."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
        verbose_name=_("staff member"),
    )
    sms = models.BooleanField(_("SMS"), default=True)
    wechat = models.BooleanField(_("WeChat"), default=True)
    email = models.BooleanField(_("E-mail"), default=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return str(self.user_id)

    def allows(self, channel: Channel) -> bool:
        """Whether this person accepts `channel` (the inbox is always accepted)."""
        return channel == Channel.INBOX or bool(getattr(self, str(channel), True))

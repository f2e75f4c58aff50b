"""Gateways for the outside channels SMS and WeChat (e-mail goes through Django's mail).

A backend is any class with `send(*, to, text, template, data) -> str` returning the provider's
message id and raising on failure. `settings.SMS_BACKEND` and `settings.WECHAT_BACKEND` name the
class. The recording backends below send nothing: the outbox row written for every message
(`OutboundMessage`) is the record of what a real gateway would have been given.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from typing import Any, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from .models import Channel, mask_address

logger = logging.getLogger(__name__)


class MessageBackend(Protocol):
    """What a real SMS or WeChat gateway implements."""

    def send(self, *, to: str, text: str, template: str, data: Mapping[str, Any]) -> str: ...


class RecordingBackend:
    """Development and test gateway: keeps the message in the outbox, sends nothing."""

    channel: Channel
    records_only = True

    def send(self, *, to: str, text: str, template: str, data: Mapping[str, Any]) -> str:
        message_id = f"rec-{self.channel}-{uuid.uuid4().hex[:16]}"
        logger.info(
            "recorded %s to %s (template %s): %s",
            self.channel,
            mask_address(self.channel, to),
            template,
            message_id,
        )
        return message_id


class RecordingSmsBackend(RecordingBackend):
    channel = Channel.SMS


class RecordingWechatBackend(RecordingBackend):
    channel = Channel.WECHAT


def backend_path(channel: Channel) -> str:
    """The dotted path of the class that sends `channel` (read at call time, not import)."""
    if channel == Channel.SMS:
        return str(settings.SMS_BACKEND)
    if channel == Channel.WECHAT:
        return str(settings.WECHAT_BACKEND)
    return str(settings.EMAIL_BACKEND)


def get_backend(channel: Channel) -> MessageBackend:
    backend: MessageBackend = import_string(backend_path(channel))()
    return backend

"""Messages to someone without a staff account (a resident): outbox rows on an outside
channel, sent after commit, skipped without an address."""

import pytest

from guanjia.core.notifications.models import Channel, OutboundMessage, OutboundStatus
from guanjia.core.notifications.services import notify_address

pytestmark = pytest.mark.django_db

EVENT = "system.test"  # the foundation's own event


def test_sent_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = notify_address("13800000000", EVENT, {}, channel=Channel.SMS)
    message.refresh_from_db()
    assert message.status == OutboundStatus.SENT
    assert message.recipient is None
    assert message.text


def test_no_address_is_kept_as_skipped():
    message = notify_address("", EVENT, {}, channel=Channel.WECHAT)
    assert message.status == OutboundStatus.SKIPPED
    assert OutboundMessage.objects.count() == 1


def test_only_outside_channels_and_known_events():
    with pytest.raises(ValueError, match="outside channel"):
        notify_address("13800000000", EVENT, {}, channel=Channel.INBOX)
    with pytest.raises(ValueError, match="unknown notification event"):
        notify_address("13800000000", "nobody.declared", {}, channel=Channel.SMS)

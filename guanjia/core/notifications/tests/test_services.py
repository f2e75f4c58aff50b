import datetime as dt
import threading
from typing import ClassVar

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone

from guanjia.accounts.tests.factories import UserFactory
from guanjia.core.notifications import registry
from guanjia.core.notifications.models import Notification, OutboundMessage, OutboundStatus
from guanjia.core.notifications.services import (
    Channel,
    mark_all_read,
    mark_read,
    notify,
    retry_outbound_messages,
    send_outbound_messages,
    send_test_message,
)
from guanjia.core.notifications.tests.factories import NotificationFactory

POLICY_CONTEXT = {
    "policy": "complaint.first_reply_hours",
    "proposed_by": "王主管",
    "scope": "翠湖花园",
    "old_value": "24",
    "new_value": "12",
}
FAILING = "guanjia.core.notifications.tests.test_services.FailingBackend"


class FailingBackend:
    def send(self, *, to, text, template, data):
        raise ConnectionError("gateway down")


@pytest.fixture
def recipient(db):
    return UserFactory(phone="13812345678", email="wang@example.com")


def test_notify_writes_the_inbox_row_with_the_rendered_event(recipient):
    notification = notify(recipient, "policy.proposal_submitted", POLICY_CONTEXT, link="/x/")

    row = Notification.objects.get()
    assert row == notification
    assert row.recipient == recipient
    assert row.event == "policy.proposal_submitted"
    assert "complaint.first_reply_hours" in row.subject
    assert "王主管" in row.body
    assert "24" in row.body
    assert "12" in row.body
    assert row.link == "/x/"
    assert row.in_inbox
    assert row.read_at is None


def test_context_values_are_not_html_escaped_in_the_stored_text(recipient):
    notify(recipient, "policy.proposal_submitted", {**POLICY_CONTEXT, "scope": "A & B <楼>"})

    assert "A & B <楼>" in Notification.objects.get().body


def test_an_unknown_event_is_refused_and_nothing_is_written(recipient):
    with pytest.raises(ValueError, match="unknown notification event"):
        notify(recipient, "no.such_event", {})

    assert not Notification.objects.exists()
    assert not OutboundMessage.objects.exists()


def test_an_unknown_channel_is_refused_and_nothing_is_written(recipient):
    with pytest.raises(ValueError, match="pigeon"):
        notify(recipient, "system.test", {}, channels=["pigeon"])

    assert not Notification.objects.exists()


def test_an_empty_channel_list_is_refused(recipient):
    with pytest.raises(ValueError, match="at least one channel"):
        notify(recipient, "system.test", {}, channels=[])


def test_an_overlong_link_is_refused(recipient):
    with pytest.raises(ValueError, match="link"):
        notify(recipient, "system.test", {}, link="/" + "x" * 600)

    assert not Notification.objects.exists()


def test_outside_channels_are_sent_only_after_commit(recipient, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(recipient, "system.test", {}, channels=[Channel.INBOX, Channel.EMAIL, Channel.SMS])
        pending = set(OutboundMessage.objects.values_list("channel", "status"))
        assert pending == {("email", "pending"), ("sms", "pending")}
        assert mail.outbox == []

    for callback in callbacks:
        callback()

    assert set(OutboundMessage.objects.values_list("channel", "status")) == {
        ("email", "sent"),
        ("sms", "sent"),
    }
    assert len(mail.outbox) == 1


def _business_change_that_fails(recipient):
    with transaction.atomic():
        notify(recipient, "system.test", {}, channels=[Channel.EMAIL, Channel.SMS])
        raise RuntimeError("the business change failed")


def test_a_rolled_back_transaction_sends_nothing(recipient, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
    ):
        _business_change_that_fails(recipient)

    assert callbacks == []
    assert mail.outbox == []
    assert not Notification.objects.exists()
    assert not OutboundMessage.objects.exists()


def test_the_recording_backends_record_sms_and_wechat_without_sending(
    recipient, django_capture_on_commit_callbacks
):
    recipient.wechat_openid = "oWx1234567890abcd"  # no binding model yet: an attribute suffices
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient, "policy.proposal_submitted", POLICY_CONTEXT, channels=["sms", "wechat"])

    sms = OutboundMessage.objects.get(channel=Channel.SMS)
    wechat = OutboundMessage.objects.get(channel=Channel.WECHAT)
    assert sms.status == wechat.status == OutboundStatus.SENT
    assert sms.to == "13812345678"
    assert sms.masked_to == "138****5678"
    assert wechat.masked_to == "oWx**********abcd"
    assert sms.provider_id.startswith("rec-sms-")
    assert wechat.provider_id.startswith("rec-wechat-")
    assert sms.backend.endswith("RecordingSmsBackend")
    assert "王主管" in sms.text
    assert sms.template == "policy.proposal_submitted"
    assert sms.data["subject"] == sms.subject
    assert sms.attempts == 1
    assert sms.sent_at is not None


def test_email_goes_through_django_mail_with_the_link(
    recipient, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient, "system.test", {"sent_by": "管理员"}, channels=["email"], link="/inbox/")

    (email,) = mail.outbox
    row = OutboundMessage.objects.get()
    assert email.to == ["wang@example.com"]
    assert email.subject == row.subject
    assert "管理员" in email.body
    assert "/inbox/" in email.body
    assert email.extra_headers["Message-ID"] == row.provider_id
    assert row.masked_to == "w***@example.com"


def test_a_failing_backend_is_recorded_as_failed_and_the_caller_goes_on(
    recipient, settings, django_capture_on_commit_callbacks
):
    settings.SMS_BACKEND = FAILING
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        notification = notify(recipient, "system.test", {}, channels=["inbox", "sms"])

    row = OutboundMessage.objects.get()
    assert Notification.objects.filter(pk=notification.pk).exists()
    assert row.status == OutboundStatus.FAILED
    assert row.error == "ConnectionError: gateway down"
    assert row.attempts == 1


def test_the_retry_job_sends_failed_messages_again(
    recipient, settings, django_capture_on_commit_callbacks
):
    settings.SMS_BACKEND = FAILING
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient, "system.test", {}, channels=["sms"])
    settings.SMS_BACKEND = "guanjia.core.notifications.backends.RecordingSmsBackend"

    with time_machine.travel(timezone.now() + dt.timedelta(minutes=11)):
        retried = retry_outbound_messages()

    row = OutboundMessage.objects.get()
    assert retried == 1
    assert row.status == OutboundStatus.SENT
    assert row.attempts == 2
    assert row.error == ""


def test_the_retry_job_leaves_recent_and_exhausted_messages_alone(
    recipient, settings, django_capture_on_commit_callbacks
):
    settings.SMS_BACKEND = FAILING
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient, "system.test", {}, channels=["sms"])
        notify(recipient, "system.test", {}, channels=["sms"])
    exhausted = OutboundMessage.objects.order_by("pk").last()
    OutboundMessage.objects.filter(pk=exhausted.pk).update(attempts=5)

    assert retry_outbound_messages() == 0  # the first failed a moment ago
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=11)):
        assert retry_outbound_messages() == 1  # the exhausted one is left for a person


def test_a_message_already_sent_is_not_sent_again(recipient, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notify(recipient, "system.test", {}, channels=["email"])

    callbacks[0]()  # the same after-commit work run a second time

    assert len(mail.outbox) == 1
    assert OutboundMessage.objects.get().attempts == 1


def test_a_recipient_without_an_address_is_skipped_and_recorded(
    db, django_capture_on_commit_callbacks
):
    recipient = UserFactory(phone="", email="")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notify(recipient, "system.test", {}, channels=["inbox", "email", "sms", "wechat"])

    rows = {row.channel: row for row in OutboundMessage.objects.all()}
    assert callbacks == []
    assert {row.status for row in rows.values()} == {OutboundStatus.SKIPPED}
    assert rows["sms"].error == "The recipient has no mobile phone number."
    assert rows["email"].error == "The recipient has no e-mail address."
    assert rows["wechat"].error == "The recipient has not linked a WeChat account."
    assert Notification.objects.get().in_inbox


def test_a_deactivated_account_gets_no_outside_messages(db, django_capture_on_commit_callbacks):
    recipient = UserFactory(phone="13812345678", is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient, "system.test", {}, channels=["sms"])

    row = OutboundMessage.objects.get()
    assert row.status == OutboundStatus.SKIPPED
    assert row.error == "The account is deactivated."


def test_without_the_inbox_channel_the_row_stays_out_of_the_inbox(recipient):
    notify(recipient, "system.test", {}, channels=["sms"])

    assert not Notification.objects.get().in_inbox


def test_the_default_channels_of_the_event_are_used(recipient):
    notify(recipient, "policy.proposal_submitted", POLICY_CONTEXT)

    assert list(OutboundMessage.objects.values_list("channel", flat=True)) == ["email"]


def test_the_test_message_goes_to_the_sender_on_every_channel(
    recipient, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notification = send_test_message(by=recipient)

    assert notification.recipient == recipient
    assert notification.event == "system.test"
    assert notification.in_inbox
    statuses = dict(OutboundMessage.objects.values_list("channel", "status"))
    assert statuses == {"email": "sent", "sms": "sent", "wechat": "skipped"}


def test_every_registered_event_renders_its_subject_and_body(recipient):
    for event in registry.registered_events():
        notification = notify(recipient, event.code, {}, channels=["inbox"])
        assert notification.subject, event.code


def test_an_event_code_cannot_be_registered_twice():
    with pytest.raises(ValueError, match="already registered"):
        registry.register_event(
            "system.test", label="x", subject="x", body="x", default_channels=(Channel.INBOX,)
        )


def test_mark_read_sets_the_time_once(recipient):
    notification = NotificationFactory(recipient=recipient)

    with time_machine.travel(dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC), tick=False):
        mark_read(notification=notification, by=recipient)
    mark_read(notification=notification, by=recipient)

    notification.refresh_from_db()
    assert notification.read_at == dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC)


def test_only_the_recipient_may_mark_a_notification_read(recipient):
    notification = NotificationFactory(recipient=recipient)

    with pytest.raises(PermissionDenied):
        mark_read(notification=notification, by=UserFactory())

    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read_marks_only_my_unread_notifications(recipient):
    mine = NotificationFactory.create_batch(3, recipient=recipient)
    other = NotificationFactory()

    assert mark_all_read(by=recipient) == 3

    assert all(n.read_at for n in Notification.objects.filter(pk__in=[n.pk for n in mine]))
    other.refresh_from_db()
    assert other.read_at is None


def test_the_retry_job_is_scheduled_every_five_minutes():
    from guanjia.core.jobs.registry import declared_schedules

    (spec,) = [s for s in declared_schedules() if s.name == "notifications.retry_outbound"]
    assert spec.func == "guanjia.core.notifications.services.retry_outbound_messages"
    assert spec.minutes == 5


class CountingBackend:
    sent: ClassVar[list[str]] = []
    lock = threading.Lock()

    def send(self, *, to, text, template, data):
        with self.lock:
            self.sent.append(to)
        return f"count-{len(self.sent)}"


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="races are proven on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_eight_workers_sending_the_same_message_send_it_once(settings):
    settings.SMS_BACKEND = "guanjia.core.notifications.tests.test_services.CountingBackend"
    CountingBackend.sent.clear()
    recipient = UserFactory(phone="13812345678")
    notify(recipient, "system.test", {}, channels=["inbox"])
    message = OutboundMessage.objects.create(recipient=recipient, channel="sms", to="13812345678")
    barrier = threading.Barrier(8)
    errors = []

    def work():
        try:
            barrier.wait(timeout=10)
            send_outbound_messages([message.pk])
        except Exception as exc:  # collected for the assertion below
            errors.append(exc)
        finally:
            connection.close()

    pool = [threading.Thread(target=work) for _ in range(8)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(timeout=60)

    message.refresh_from_db()
    assert not errors, errors
    assert CountingBackend.sent == ["13812345678"]
    assert message.attempts == 1
    assert message.status == OutboundStatus.SENT


def test_a_message_stuck_sending_after_a_crash_is_retried_later(recipient):
    message = OutboundMessage.objects.create(
        recipient=recipient, channel="sms", to="13812345678", status="sending", attempts=1
    )

    send_outbound_messages([message.pk])  # a late after-commit run leaves it to its sender
    message.refresh_from_db()
    assert message.status == OutboundStatus.SENDING

    with time_machine.travel(timezone.now() + dt.timedelta(minutes=11)):
        assert retry_outbound_messages() == 1

    message.refresh_from_db()
    assert message.status == OutboundStatus.SENT
    assert message.attempts == 2

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guanjia.accounts.tests.factories import staff
from guanjia.core.notifications.models import Notification, OutboundMessage
from guanjia.core.notifications.tests.factories import NotificationFactory
from guanjia.core.tests.factories import CommunityFactory


@pytest.fixture
def me(world):
    return world.user("receptionist")


@pytest.fixture
def client(world, me):
    return world.client("receptionist")


def _unread_count_queries(queries):
    return [
        q["sql"]
        for q in queries
        if "COUNT" in q["sql"].upper() and "notifications_notification" in q["sql"]
    ]


def test_the_inbox_lists_my_notifications_unread_first(world, me, client):
    old_unread = NotificationFactory(recipient=me, subject="旧的未读")
    read = NotificationFactory(recipient=me, subject="已读的新通知")
    read.read_at = read.created_at
    read.save()
    NotificationFactory(recipient=world.user("cashier"), subject="别人的通知")

    response = client.get(reverse("notifications:inbox"))

    assert response.status_code == 200
    items = list(response.context["page_obj"].object_list)
    assert items == [old_unread, read]
    assert "别人的通知" not in response.content.decode()


def test_the_inbox_query_count_does_not_grow_with_rows(me, client, django_assert_max_num_queries):
    NotificationFactory.create_batch(30, recipient=me, community=me.memberships.first().community)

    with django_assert_max_num_queries(14):
        response = client.get(reverse("notifications:inbox"))

    assert len(response.context["page_obj"].object_list) == 25


def test_every_page_counts_unread_notifications_with_one_query(me, client):
    NotificationFactory.create_batch(3, recipient=me)

    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("core:home"))

    assert response.status_code == 200
    assert 'data-unread="3"' in response.content.decode()
    assert len(_unread_count_queries(captured.captured_queries)) == 1


def test_the_bell_partial_shows_the_unread_count_with_one_query(
    me, client, django_assert_max_num_queries
):
    NotificationFactory.create_batch(2, recipient=me)
    NotificationFactory(recipient=me, in_inbox=False)

    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("notifications:bell"), headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert 'data-unread="2"' in response.content.decode()
    assert 'hx-trigger="every 60s' in response.content.decode()
    assert len(_unread_count_queries(captured.captured_queries)) == 1


def test_the_bell_shows_no_badge_when_all_is_read(me, client):
    response = client.get(reverse("notifications:bell"))

    assert "data-unread" not in response.content.decode()


def test_marking_read_with_htmx_returns_the_item_and_refreshes_the_bell(me, client):
    notification = NotificationFactory(recipient=me)

    response = client.post(
        reverse("notifications:read", args=[notification.pk]), headers={"HX-Request": "true"}
    )

    notification.refresh_from_db()
    assert response.status_code == 200
    assert response["HX-Trigger"] == "notificationsChanged"
    assert f'id="notification-{notification.pk}"' in response.content.decode()
    assert notification.read_at is not None


def test_marking_read_without_htmx_redirects_to_the_inbox(me, client):
    notification = NotificationFactory(recipient=me)

    response = client.post(reverse("notifications:read", args=[notification.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("notifications:inbox")


def test_marking_someone_elses_notification_is_404_and_changes_nothing(world, client):
    other = NotificationFactory(recipient=world.user("cashier"))

    response = client.post(reverse("notifications:read", args=[other.pk]))

    other.refresh_from_db()
    assert response.status_code == 404
    assert other.read_at is None


def test_a_read_request_by_get_is_refused(me, client):
    notification = NotificationFactory(recipient=me)

    response = client.get(reverse("notifications:read", args=[notification.pk]))

    notification.refresh_from_db()
    assert response.status_code == 405
    assert notification.read_at is None


def test_mark_all_read_marks_mine_and_says_how_many(world, me, client):
    NotificationFactory.create_batch(2, recipient=me)
    other = NotificationFactory(recipient=world.user("cashier"))

    response = client.post(reverse("notifications:read-all"), follow=True)

    assert not Notification.objects.filter(recipient=me, read_at__isnull=True).exists()
    other.refresh_from_db()
    assert other.read_at is None
    assert "2" in " ".join(str(m) for m in response.context["messages"])


def test_mark_all_read_with_htmx_refreshes_the_page(me, client):
    NotificationFactory(recipient=me)

    response = client.post(reverse("notifications:read-all"), headers={"HX-Request": "true"})

    assert response.status_code == 204
    assert response["HX-Refresh"] == "true"


def test_opening_a_notification_marks_it_read_and_follows_its_link(me, client):
    notification = NotificationFactory(recipient=me, link="/settings/policies/")

    response = client.post(reverse("notifications:open", args=[notification.pk]))

    notification.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == "/settings/policies/"
    assert notification.read_at is not None


def test_a_link_to_another_site_is_not_followed(me, client):
    notification = NotificationFactory(recipient=me, link="https://evil.example.com/")

    response = client.post(reverse("notifications:open", args=[notification.pk]))

    assert response["Location"] == reverse("notifications:inbox")


def test_the_outbox_shows_messages_with_masked_phones(world, django_capture_on_commit_callbacks):
    admin = world.user("admin")
    admin.phone = "13912345678"
    admin.save()
    client = world.client("admin")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("notifications:send-test"))

    response = client.get(reverse("notifications:outbox"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "139****5678" in html
    assert "13912345678" not in html
    assert len(response.context["page_obj"].object_list) == 3


def test_the_outbox_filters_by_channel(world, django_capture_on_commit_callbacks):
    client = world.client("admin")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("notifications:send-test"))

    response = client.get(reverse("notifications:outbox"), {"channel": "sms"})

    assert [m.channel for m in response.context["page_obj"].object_list] == ["sms"]


def test_an_unknown_channel_filter_shows_a_message_and_lists_everything(world):
    client = world.client("admin")

    response = client.get(reverse("notifications:outbox"), {"channel": "pigeon"})

    assert response.status_code == 200
    assert response.context["filter"].errors["channel"]


def test_the_outbox_hides_messages_of_other_companies(world):
    other = staff("receptionist", CommunityFactory())  # another company's community
    OutboundMessage.objects.create(recipient=other, channel="sms", to="13800000000")
    OutboundMessage.objects.create(recipient=world.user("cashier"), channel="sms", to="1")

    response = world.client("admin").get(reverse("notifications:outbox"))

    assert [m.recipient for m in response.context["page_obj"].object_list] == [
        world.user("cashier")
    ]


def test_the_outbox_query_count_does_not_grow_with_rows(world, django_assert_max_num_queries):
    client = world.client("admin")
    for _ in range(30):
        OutboundMessage.objects.create(
            recipient=world.user("admin"), community=world.a, channel="sms", to="13800000000"
        )

    with django_assert_max_num_queries(14):
        response = client.get(reverse("notifications:outbox"))

    assert len(response.context["page_obj"].object_list) == 25


def test_sending_a_test_message_notifies_the_admin(world):
    client = world.client("admin")

    response = client.post(reverse("notifications:send-test"))

    assert response.status_code == 302
    notification = Notification.objects.get()
    assert notification.recipient == world.user("admin")
    assert notification.event == "system.test"


def test_a_receptionist_may_not_send_test_messages(world):
    response = world.client("receptionist").post(reverse("notifications:send-test"))

    assert response.status_code == 403
    assert not Notification.objects.exists()


def test_the_api_lists_only_my_notifications(world, me, client):
    mine = NotificationFactory(recipient=me, subject="我的")
    NotificationFactory(recipient=world.user("cashier"))

    response = client.get(reverse("notifications-api:list"))

    body = response.json()
    assert response.status_code == 200
    assert body["count"] == 1
    assert body["results"][0]["id"] == mine.pk
    assert body["results"][0]["is_read"] is False


def test_the_api_marks_my_notification_read(me, client):
    notification = NotificationFactory(recipient=me)

    response = client.post(reverse("notifications-api:read", args=[notification.pk]))

    assert response.status_code == 200
    assert response.json()["is_read"] is True


def test_the_api_answers_404_for_someone_elses_notification(world, client):
    other = NotificationFactory(recipient=world.user("cashier"))

    response = client.post(
        reverse("notifications-api:read", args=[other.pk]),
        json.dumps({}),
        content_type="application/json",
    )

    other.refresh_from_db()
    assert response.status_code == 404
    assert other.read_at is None


def test_the_api_refuses_anonymous_callers(db, client):
    from django.test import Client

    response = Client().get(reverse("notifications-api:list"))

    assert response.status_code in (401, 403)


def test_a_page_number_that_is_not_a_number_shows_the_first_page(me, client):
    NotificationFactory(recipient=me)

    response = client.get(reverse("notifications:inbox"), {"page": "abc"})

    assert response.status_code == 200
    assert response.context["page_obj"].number == 1


def test_an_unknown_outbox_ordering_is_reported_not_a_500(world):
    response = world.client("admin").get(reverse("notifications:outbox"), {"ordering": "to"})

    assert response.status_code == 200
    assert response.context["filter"].errors["ordering"]

"""What waits at the front desk and who is told: a handover signed over to me, a refused one
for the supervisor, notices to approve (never one's own), keys still out with their due time,
parcels held too long; each card counts what its list shows."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from guanjia.core.notifications.models import Notification
from guanjia.core.workbench.selectors import workbench
from guanjia.desk import services
from guanjia.desk.models import Parcel

from .factories import SIGN, handover, loan, parcel

pytestmark = pytest.mark.django_db


def _tasks(user, community, code):
    return [t for t in workbench(user, community).tasks if t.kind.code == code]


def _told(event):
    return sorted(n.recipient.username for n in Notification.objects.filter(event=event))


def test_a_handover_waits_for_the_incoming_person_then_a_refusal_for_the_supervisor(
    world, django_capture_on_commit_callbacks
):
    supervisor = world.user("supervisor")
    h = handover(world)
    with django_capture_on_commit_callbacks(execute=True):
        h = services.offer_handover(handover=h, signature=SIGN, by=h.outgoing)
    assert _told("desk.handover_offered") == [h.incoming.username]
    (row,) = _tasks(h.incoming, world.a, "desk.handover_to_take")
    assert row.link == reverse("desk:handover-detail", args=[h.pk])
    assert not _tasks(h.outgoing, world.a, "desk.handover_to_take")
    assert not _tasks(supervisor, world.a, "desk.handover_refused")
    services.refuse_handover(handover=h, reason="备用金不符", by=h.incoming)
    assert len(_tasks(supervisor, world.a, "desk.handover_refused")) == 1
    assert not _tasks(supervisor, world.b, "desk.handover_refused")
    assert not _tasks(h.incoming, world.a, "desk.handover_to_take")


def test_a_notice_waits_for_another_approver_and_its_author_hears_the_decision(
    world, django_capture_on_commit_callbacks
):
    author, supervisor = world.user("receptionist"), world.user("supervisor")
    start = timezone.now() + dt.timedelta(days=1)
    item = services.draft_notice(
        community=world.a, title="停水通知", body="周六停水。", starts_at=start,
        ends_at=start + dt.timedelta(days=1), by=author,
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_notice(notice=item, by=author)
    assert _told("desk.notice_to_approve") == [supervisor.username]
    assert len(_tasks(supervisor, world.a, "desk.notice_to_approve")) == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_notice(notice=item, approve=False, by=supervisor, reason="日期有误")
    assert _told("desk.notice_decided") == [author.username]
    assert "日期有误" in Notification.objects.get(event="desk.notice_decided").body
    assert not _tasks(supervisor, world.a, "desk.notice_to_approve")


def test_keys_out_come_overdue_first_and_the_card_counts_the_list(world, client):
    receptionist = world.user("receptionist")
    early = loan(world)
    late = loan(world)
    late.due_at = timezone.now() - dt.timedelta(hours=1)
    late.save(update_fields=["due_at"])
    rows = _tasks(receptionist, world.a, "desk.keys_out")
    assert rows[0].link == reverse("desk:key-detail", args=[late.key_id])
    assert [r.overdue for r in rows] == [True, False]
    assert {r.link for r in rows} == {
        reverse("desk:key-detail", args=[k]) for k in (early.key_id, late.key_id)
    }
    client.force_login(receptionist)
    listing = client.get(reverse("desk:loan-list") + "?out=true")
    assert listing.context["paginator"].count == 2


def test_parcels_held_longer_than_the_policy_wait_for_the_desk(world):
    receptionist = world.user("receptionist")
    fresh, old = parcel(world), parcel(world)
    Parcel.objects.filter(pk=old.pk).update(received_at=timezone.now() - dt.timedelta(days=60))
    rows = _tasks(receptionist, world.a, "desk.parcels_held")
    assert [r.link for r in rows] == [reverse("desk:parcel-detail", args=[old.pk])]
    assert fresh.pk != old.pk

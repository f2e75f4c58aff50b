"""Notices: drafted, approved by someone else, aimed, sent on the chosen channels, printed,
taken down; a period that ends before it starts refused; the outage template."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from guanjia.core.notifications.models import OutboundMessage
from guanjia.core.workflows import WorkflowDenied, WorkflowError
from guanjia.desk import services
from guanjia.desk.models import Notice, NoticeKind, NoticeStatus
from guanjia.estates.tests.factories import BuildingFactory, OwnershipFactory, UnitFactory

pytestmark = pytest.mark.django_db
N = NoticeStatus
START = timezone.now() + dt.timedelta(days=1)


def _draft(world, **kw):
    args = {
        "title": "关于清洗水箱的通知",
        "body": "本周六清洗二次供水水箱。",
        "starts_at": START,
        "ends_at": START + dt.timedelta(days=2),
        **kw,
    }
    return services.draft_notice(community=world.a, by=world.user("receptionist"), **args)


def test_a_period_ending_before_it_starts_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        _draft(world, ends_at=START - dt.timedelta(hours=1))
    assert [e.code for e in exc.value.error_dict["ends_at"]] == ["ends_before_start"]
    assert not Notice.objects.exists()


@pytest.mark.parametrize(
    ("field", "change"),
    [("title", {"title": " "}), ("body", {"body": ""}), ("kind", {"kind": "party"})],
)
def test_bad_notice_fields(world, field, change):
    with pytest.raises(ValidationError) as exc:
        _draft(world, **change)
    assert field in exc.value.error_dict


def test_aim_at_another_communitys_building_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        _draft(world, buildings=[BuildingFactory(community=world.b)])
    assert "buildings" in exc.value.error_dict


def test_approved_by_someone_else_and_sent_to_the_aimed_households(
    world, django_capture_on_commit_callbacks
):
    building = BuildingFactory(community=world.a)
    inside = OwnershipFactory(unit=UnitFactory(community=world.a, building=building))
    OwnershipFactory(unit=UnitFactory(community=world.a))  # another building: not told
    notice = _draft(world, buildings=[building], send_sms=True)
    services.submit_notice(notice=notice, by=world.user("receptionist"))
    assert notice.status == N.PENDING
    with pytest.raises(PermissionDenied):  # a receptionist may not approve
        services.decide_notice(notice=notice, approve=True, by=world.user("receptionist"))
    with django_capture_on_commit_callbacks(execute=True):
        done = services.decide_notice(notice=notice, approve=True, by=world.user("supervisor"))
    assert done.status == N.POSTED
    assert list(OutboundMessage.objects.values_list("to", flat=True)) == [inside.person.mobile]
    assert done.messages_sent == 1
    with pytest.raises(WorkflowError):
        services.decide_notice(notice=notice, approve=True, by=world.user("director"))
    services.take_down_notice(notice=done, by=world.user("receptionist"))
    assert done.status == N.TAKEN_DOWN
    assert [e.to_status for e in done.events.order_by("pk")] == [
        "draft",
        "pending",
        "posted",
        "taken_down",
    ]


def test_the_requester_cannot_approve_and_a_rejection_needs_a_reason(world):
    notice = _draft(world)
    services.submit_notice(notice=notice, by=world.user("supervisor"))
    with pytest.raises(WorkflowDenied):
        services.decide_notice(notice=notice, approve=True, by=world.user("supervisor"))
    with pytest.raises(WorkflowError):
        services.decide_notice(notice=notice, approve=False, by=world.user("director"))
    services.decide_notice(
        notice=notice, approve=False, reason="时间写错", by=world.user("director")
    )
    notice.refresh_from_db()
    assert notice.status == N.DRAFT


def test_the_outage_template(world):
    title, body = services.outage_text(
        NoticeKind.WATER_OUTAGE,
        area="3栋",
        starts_at=START,
        ends_at=START + dt.timedelta(hours=4),
        reason="管道维修",
    )
    assert "water" in title
    assert "3栋" in body
    assert "管道维修" in body


def test_the_outage_form_fills_the_text_in_chinese(world):
    client = world.client("receptionist")
    start = timezone.localtime(START)
    response = client.post(
        reverse("desk:notice-create"),
        {
            "kind": "power_outage",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + dt.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
            "area": "5栋",
            "reason": "电缆检修",
        },
    )
    assert response.status_code == 302
    notice = Notice.objects.get()
    assert "停电" in notice.title
    assert "5栋" in notice.body


def test_the_page_refuses_a_period_ending_before_it_starts(world):
    start = timezone.localtime(START)
    response = world.client("receptionist").post(
        reverse("desk:notice-create"),
        {
            "kind": "general",
            "title": "通知",
            "body": "内容",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start - dt.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 400
    assert not Notice.objects.exists()


def test_the_notice_board_pdf(world):
    notice = _draft(world)
    response = world.client("receptionist").get(
        reverse("desk:notice-print", args=[notice.pk]) + "?format=pdf"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_api_refuses_a_period_ending_before_it_starts(world):
    body = {
        "community": world.a.pk,
        "title": "通知",
        "body": "内容",
        "starts_at": START.isoformat(),
        "ends_at": (START - dt.timedelta(hours=1)).isoformat(),
    }
    response = world.client("receptionist").post(
        reverse("desk-api:notice-list"), body, content_type="application/json"
    )
    assert response.status_code == 400
    assert "ends_at" in response.json()

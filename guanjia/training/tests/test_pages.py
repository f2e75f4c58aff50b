"""The pages and the API: refusals with 400 and nothing saved, 403 and 404, the printable
sheet, the workbench and who is told."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from guanjia.accounts.tests.factories import staff
from guanjia.core.notifications.models import Notification
from guanjia.core.workbench.selectors import workbench
from guanjia.training import services
from guanjia.training.models import Assessment, AssessmentResult, TrainingAttendance, TrainingPlan

from .factories import plan, session, written_test

pytestmark = pytest.mark.django_db


def test_a_plan_submitted_twice_on_the_page_is_400_with_the_message(world):
    made = plan(world, world.a, "submitted")
    response = world.client("supervisor").post(reverse("training:plan-submit", args=[made.pk]))
    assert response.status_code == 400
    assert "不能变为“待审批”" in response.content.decode()
    assert made.events.filter(action="requested").count() == 1


def test_the_author_approving_on_the_page_is_403(world):
    author = staff("hr", company=world.company)
    made = plan(world, world.a, "submitted")
    made.author = author
    TrainingPlan.objects.filter(pk=made.pk).update(author=author)
    client = world.client("director")
    client.force_login(author)
    response = client.post(reverse("training:plan-approve", args=[made.pk]))
    assert response.status_code == 403
    made.refresh_from_db()
    assert made.status == "submitted"


def test_another_communitys_plan_and_session_are_404(world):
    other = plan(world, world.b)
    other_session = session(world, world.b)
    client = world.client("supervisor")
    assert client.get(reverse("training:plan-detail", args=[other.pk])).status_code == 404
    assert (
        client.get(reverse("training:session-detail", args=[other_session.pk])).status_code == 404
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"questions": ""}, "笔试至少需要一道题"),
        ({"pass_mark": "101"}, "高于满分"),
        ({"questions": "只有题目 | A"}, "第 1 行"),
        ({"questions": "题 | 甲 | 乙 | C | 10"}, "正确选项不在选项之中"),
        ({"title": ""}, "title"),
    ],
)
def test_a_bad_test_on_the_page_is_400_and_nothing_saved(world, body, message):
    data = {"title": "笔试", "kind": "written", "pass_mark": "60",
            "questions": "几声铃内接听？ | 三声 | 十声 | A | 100", **body}  # fmt: skip
    response = world.client("supervisor").post(reverse("training:test-new"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Assessment.objects.exists()


def test_a_bad_test_in_the_api_is_400(world):
    client = world.client("supervisor")
    base = {"community": world.a.pk, "title": "笔试", "kind": "written", "pass_mark": "60"}
    response = client.post(reverse("training-api:test-list"), base, content_type="application/json")
    assert response.status_code == 400
    assert "questions" in response.json()
    body = {**base, "pass_mark": "200", "questions": [
        {"text": "几声？", "choices": ["三", "十"], "answer": 0, "points": "100"}]}  # fmt: skip
    response = client.post(reverse("training-api:test-list"), body, content_type="application/json")
    assert response.status_code == 400
    assert "pass_mark" in response.json()
    assert not Assessment.objects.exists()


def test_signing_in_for_someone_else_in_the_api_is_403(world):
    made = session(world, world.a, invited=[world.user("receptionist"), world.user("cashier")])
    url = reverse("training-api:session-sign-in", args=[made.pk])
    response = world.client("cashier").post(
        url, {"employee": world.user("receptionist").pk}, content_type="application/json"
    )
    assert response.status_code == 403
    assert not TrainingAttendance.objects.filter(signed_at__isnull=False).exists()


def test_signing_in_on_the_page_then_twice_is_400(world):
    made = session(world, world.a)
    client = world.client("receptionist")
    url = reverse("training:session-sign-in", args=[made.pk])
    assert client.post(url).status_code == 302
    response = client.post(url)
    assert response.status_code == 400
    assert "您已签到" in response.content.decode()


def test_a_move_without_a_reason_on_the_page_is_400(world):
    made = session(world, world.a)
    response = world.client("supervisor").post(
        reverse("training:session-move", args=[made.pk]),
        {"move-starts_at": "2040-01-02T09:00", "move-reason": ""},
    )
    assert response.status_code == 400
    made.refresh_from_db()
    assert made.reason == ""


def test_a_disguised_scan_is_refused_on_the_page(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    made = session(world, world.a)
    fake = SimpleUploadedFile("sheet.pdf", b"GIF89a not a pdf", "application/pdf")
    response = world.client("supervisor").post(
        reverse("training:session-scan", args=[made.pk]), {"file": fake}
    )
    assert response.status_code == 400
    assert not made.scans.exists()


def test_the_sign_in_sheet_prints_as_a_pdf(world):
    made = session(world, world.a)
    response = world.client("supervisor").get(
        reverse("training:session-print", args=[made.pk]), {"format": "pdf"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_written_test_taken_on_the_page_with_a_question_left_open_is_400(world):
    test = written_test(world, world.a)
    first = test.questions.first()
    response = world.client("receptionist").post(
        reverse("training:test-take", args=[test.pk]), {f"q-{first.pk}": str(first.answer)}
    )
    assert response.status_code == 400
    assert "请回答所有题目" in response.content.decode()
    assert not AssessmentResult.objects.exists()


def test_the_training_file_shows_the_hours(world):
    me = world.user("receptionist")
    made = session(world, world.a, hours="1.5")
    services.sign_in(session=made, employee=me, by=me)
    page = world.client("supervisor").get(reverse("training:staff-file", args=[me.pk]))
    assert page.status_code == 200
    assert "1.5" in page.content.decode()
    assert (
        world.client("supervisor").get(reverse("training:staff-file", args=[10**9])).status_code
        == 404
    )


def test_a_kpi_period_upside_down_is_400(world):
    response = world.client("director").get(
        reverse("training:kpis"), {"start": "2030-02-01", "end": "2030-01-01"}
    )
    assert response.status_code == 400


def _kinds(user, community):
    return {c.kind.code: c.total for c in workbench(user, community).counts}


def test_the_workbench_shows_plans_sessions_and_retests_to_their_people(world):
    draft = plan(world, world.a, year=2040)
    submitted = plan(world, world.a, "submitted", year=2041)
    assert _kinds(world.user("supervisor"), world.a)["training.plan_to_submit"] == 1
    assert _kinds(world.user("director"), world.a)["training.plan_to_approve"] == 1
    assert "training.plan_to_approve" not in _kinds(world.user("supervisor"), world.a)
    assert _kinds(world.user("director"), world.b).get("training.plan_to_approve", 0) == 0
    me = world.user("receptionist")
    session(world, world.a, invited=[me])
    test = written_test(world, world.a)
    wrong = {q.pk: (q.answer + 1) % len(q.choices) for q in test.questions.all()}
    services.take_test(test=test, answers=wrong, by=me)
    mine = _kinds(me, world.a)
    assert (mine["training.sign_in_today"], mine["training.retest_due"]) == (1, 1)
    assert "training.sign_in_today" not in _kinds(world.user("cashier"), world.a)
    assert draft.pk != submitted.pk


def _told(event):
    return sorted(n.recipient.username for n in Notification.objects.filter(event=event))


def test_the_director_is_told_of_a_submitted_plan_and_the_author_of_the_decision(
    world, django_capture_on_commit_callbacks
):
    made = plan(world, world.a)
    world.user("director")
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_plan(plan=made, by=world.user("supervisor"))
    assert _told("training.plan_to_approve") == ["director-a"]
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_plan(plan=made, approve=False, by=world.user("director"), reason="再议")
    assert _told("training.plan_decided") == ["supervisor-a"]


def test_the_invited_are_told_of_a_session_and_of_its_move(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        made = session(world, world.a)
    assert _told("training.session_scheduled") == ["receptionist-a"]
    with django_capture_on_commit_callbacks(execute=True):
        services.move_session(
            session=made,
            starts_at=timezone.now() + dt.timedelta(days=1),
            reason="台风",
            by=world.user("supervisor"),
        )
    assert Notification.objects.filter(event="training.session_scheduled").count() == 2


def test_the_supervisors_are_told_the_annual_plan_is_due(world, django_capture_on_commit_callbacks):
    import time_machine

    world.user("supervisor")
    with (
        time_machine.travel(dt.datetime(2030, 12, 5, 9, tzinfo=dt.UTC), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.remind_annual_plans()
    assert _told("training.plan_due") == ["supervisor-a"]

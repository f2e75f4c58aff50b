"""The pages: the score with its evidence, refusals shown on the form (400, nothing saved),
only the allowed steps offered, another community's rows 404, the reports and the export."""

import pytest
from django.core import mail  # noqa: F401  # the outbox is reset between tests

from guanjia.appraisal.models import Appraisal, MonthlyScore, ScoreAdjustment, Status

from .factories import appraisal, receptionist_month, score_of, this_month

pytestmark = pytest.mark.django_db


def test_the_score_page_shows_each_deduction_with_its_evidence(world):
    facts = receptionist_month(world)
    score = score_of(world)
    page = world.client("supervisor").get(f"/appraisal/scores/{score.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert facts["incomplete"].number in html
    assert f'href="/tickets/requests/{facts["incomplete"].pk}/"' in html
    assert facts["check"].number in html
    assert "登记完整率" in html


def test_the_employee_sees_their_own_score_but_cannot_adjust_it(world):
    score = score_of(world)
    page = world.client("receptionist").get(f"/appraisal/scores/{score.pk}/")
    assert page.status_code == 200
    assert f"/appraisal/scores/{score.pk}/adjust/" not in page.content.decode()
    answer = world.client("receptionist").post(
        f"/appraisal/scores/{score.pk}/adjust/", {"points": "5", "reason": "自己加分"}
    )
    assert answer.status_code == 403
    assert not ScoreAdjustment.objects.exists()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"points": "", "reason": "x"}, "此项为必填项"),
        ({"points": "abc", "reason": "x"}, "请输入数字"),
        ({"points": "3", "reason": ""}, "此项为必填项"),
        ({"points": "0", "reason": "没有变化"}, "不为 0"),
        ({"points": "40", "reason": "超出"}, "须在 0 至 100 之间"),
    ],
)
def test_a_bad_adjustment_is_refused_on_the_form_and_nothing_changes(world, body, message):
    score = score_of(world)
    answer = world.client("supervisor").post(f"/appraisal/scores/{score.pk}/adjust/", body)
    assert answer.status_code == 400
    assert message in answer.content.decode()
    assert not ScoreAdjustment.objects.exists()
    assert MonthlyScore.objects.get(pk=score.pk).total == score.total


def test_another_communitys_score_is_not_found(world):
    score = score_of(world, community=world.b)
    assert world.client("supervisor").get(f"/appraisal/scores/{score.pk}/").status_code == 404


def test_only_the_allowed_steps_are_offered(world):
    found = appraisal(world, "open")
    supervisor_page = world.client("supervisor").get(f"/appraisal/appraisals/{found.pk}/")
    assert 'data-step="rate"' in supervisor_page.content.decode()
    assert 'data-step="confirm"' not in supervisor_page.content.decode()
    employee_page = world.client("receptionist").get(f"/appraisal/appraisals/{found.pk}/")
    html = employee_page.content.decode()
    assert 'data-step="rate"' not in html
    assert 'data-step="dispute"' in html


def test_an_excellent_grade_beyond_the_limits_is_refused_on_the_page(world):
    receptionist_month(world)  # with a written warning in force
    found = appraisal(world, "open")
    answer = world.client("supervisor").post(
        f"/appraisal/appraisals/{found.pk}/rate/",
        {"rate-score": "95", "rate-score_reason": "表现突出"},
    )
    assert answer.status_code == 400
    assert "不能评为优秀" in answer.content.decode()
    assert Appraisal.objects.get(pk=found.pk).status == Status.OPEN


@pytest.mark.parametrize("score", ["", "101", "-1", "abc"])
def test_a_bad_rating_is_refused_and_nothing_changes(world, score):
    found = appraisal(world, "open")
    answer = world.client("supervisor").post(
        f"/appraisal/appraisals/{found.pk}/rate/", {"rate-score": score}
    )
    assert answer.status_code == 400
    assert Appraisal.objects.get(pk=found.pk).status == Status.OPEN


def test_an_unknown_step_is_not_found(world):
    found = appraisal(world, "open")
    answer = world.client("supervisor").post(f"/appraisal/appraisals/{found.pk}/promote/", {})
    assert answer.status_code == 404


@pytest.mark.parametrize("month", ["2026-13", "abc", "2026"])
def test_a_bad_month_is_refused(world, month):
    reports = world.client("supervisor").get(f"/appraisal/reports/?month={month}")
    assert reports.status_code == 400
    assert "YYYY-MM" in reports.content.decode()
    compute = world.client("supervisor").post("/appraisal/scores/compute/", {"month": month})
    assert compute.status_code == 400


def test_a_future_month_is_not_computed(world):
    answer = world.client("supervisor").post("/appraisal/scores/compute/", {"month": "2099-01"})
    assert answer.status_code == 400
    assert "尚未到来" in answer.content.decode()


def test_a_bad_filter_shows_no_rows(world):
    score_of(world)
    page = world.client("supervisor").get("/appraisal/scores/?month=2026-99")
    assert page.status_code == 200
    assert not page.context["object_list"]


def test_the_reports_show_the_distribution_and_who_is_below_two_months_running(world):
    from guanjia.appraisal.selectors import previous_month

    score = score_of(world)
    MonthlyScore.objects.filter(pk=score.pk).update(total=50, grade="E")
    earlier = MonthlyScore.objects.get(pk=score.pk)
    earlier.pk, earlier.month = None, previous_month(this_month())
    earlier.save()
    page = world.client("supervisor").get(f"/appraisal/reports/?month={this_month():%Y-%m}")
    assert page.status_code == 200
    assert [b.employee_id for b in page.context["below"]] == [score.employee_id]
    assert page.context["teams"][0].counts == {"E": 1}


def test_the_performance_pay_export_is_an_excel_file(world):
    score_of(world)
    answer = world.client("finance").get(f"/appraisal/reports/pay/?month={this_month():%Y-%m}")
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("application/vnd.openxmlformats")
    assert answer.content[:2] == b"PK"


def test_the_computation_runs_as_a_job(world, django_capture_on_commit_callbacks):
    world.user("receptionist")
    with django_capture_on_commit_callbacks(execute=True):
        answer = world.client("supervisor").post(
            "/appraisal/scores/compute/", {"month": f"{this_month():%Y-%m}"}
        )
    assert answer.status_code == 302
    assert "/jobs/" in answer["Location"]
    assert MonthlyScore.objects.filter(month=this_month()).exists()

"""The API: scores with their evidence, adjustments, the computation as a job, the steps of
an appraisal, bad bodies (400, nothing saved), another community (404)."""

import pytest

from guanjia.appraisal.models import Appraisal, ScoreAdjustment, Status

from .factories import appraisal, receptionist_month, score_of, this_month

pytestmark = pytest.mark.django_db


def test_a_score_comes_with_its_lines_and_evidence(world):
    facts = receptionist_month(world)
    score = score_of(world)
    data = world.client("supervisor").get(f"/api/v1/appraisal/scores/{score.pk}/").json()
    lines = {line["measure"]: line for line in data["lines"]}
    assert facts["incomplete"].number in lines["register_completeness"]["evidence"][0]["label"]
    assert data["total"] == str(score.total)


def test_the_employee_lists_only_their_own_scores(world):
    score_of(world)
    mine = world.client("receptionist").get("/api/v1/appraisal/scores/").json()
    assert {row["employee"] for row in mine["results"]} == {world.user("receptionist").pk}


@pytest.mark.parametrize(
    "body", [{}, {"points": "x", "reason": "a"}, {"points": "1"}, {"points": "0", "reason": "a"}]
)
def test_a_bad_adjustment_body_is_a_400_and_nothing_is_saved(world, body):
    score = score_of(world)
    answer = world.client("supervisor").post(
        f"/api/v1/appraisal/scores/{score.pk}/adjust/", body, content_type="application/json"
    )
    assert answer.status_code == 400
    assert not ScoreAdjustment.objects.exists()


def test_the_computation_is_started_as_a_job(world):
    answer = world.client("supervisor").post(
        "/api/v1/appraisal/scores/compute/",
        {"community": world.a.pk, "month": f"{this_month():%Y-%m}"},
        content_type="application/json",
    )
    assert answer.status_code == 202
    assert answer.json()["job"]


@pytest.mark.parametrize("month", ["2026-13", "26-01", ""])
def test_a_bad_month_is_a_400(world, month):
    answer = world.client("supervisor").post(
        "/api/v1/appraisal/scores/compute/",
        {"community": world.a.pk, "month": month},
        content_type="application/json",
    )
    assert answer.status_code == 400
    assert "month" in answer.json()


def test_an_appraisal_is_walked_through_the_api(world):
    found = appraisal(world, "open")
    client = world.client("supervisor")
    rated = client.post(
        f"/api/v1/appraisal/appraisals/{found.pk}/rate/",
        {"score": "82", "score_reason": "综合评定"},
        content_type="application/json",
    )
    assert rated.status_code == 200
    assert (rated.json()["status"], rated.json()["grade"]) == ("rated", "B")


def test_rating_without_a_score_is_a_400(world):
    found = appraisal(world, "open")
    answer = world.client("supervisor").post(
        f"/api/v1/appraisal/appraisals/{found.pk}/rate/", {}, content_type="application/json"
    )
    assert answer.status_code == 400
    assert Appraisal.objects.get(pk=found.pk).status == Status.OPEN


def test_rating_oneself_is_a_403_with_the_reason(world):
    found = appraisal(world, "open", role="supervisor")
    answer = world.client("supervisor").post(
        f"/api/v1/appraisal/appraisals/{found.pk}/rate/",
        {"score": "90"},
        content_type="application/json",
    )
    assert answer.status_code == 403
    assert Appraisal.objects.get(pk=found.pk).status == Status.OPEN


def test_another_communitys_appraisal_is_a_404(world):
    found = appraisal(world, "open", community=world.b)
    answer = world.client("supervisor").get(f"/api/v1/appraisal/appraisals/{found.pk}/")
    assert answer.status_code == 404


def test_the_report_of_a_community(world):
    score_of(world)
    answer = world.client("supervisor").get(
        f"/api/v1/appraisal/reports/{world.a.pk}/?month={this_month():%Y-%m}"
    )
    assert answer.status_code == 200
    assert answer.json()["teams"][0]["size"] >= 1

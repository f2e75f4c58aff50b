"""The planning and survey pages and their API: each wrong field is a clear message with a
400 and nothing saved; another community's survey is a 404."""

import pytest
from django.utils import timezone

from guanjia.visits.models import Questionnaire, RoutinePlan, SurveyResponse, Visit, VisitKind
from guanjia.visits.services import surveys

from .factories import households
from .test_surveys import QUESTIONS


def _survey(world, community):
    from .factories import actor

    return surveys.create_questionnaire(
        community=community,
        title="年度调查",
        year=timezone.localdate().year,
        intro="",
        questions=QUESTIONS,
        by=actor(world, community, "supervisor"),
    )


def test_the_supervisor_plans_a_zone_and_sees_its_progress(world):
    units = households(world.a, 4)
    client = world.client("supervisor")
    year = timezone.localdate().year
    data = {"zone": units[0].building.zone_id, "year": year, "note": ""}
    assert client.post("/visits/plans/", data).status_code == 302
    again = client.post("/visits/plans/", data)
    assert again.status_code == 400
    assert "该片区今年已有计划" in again.content.decode()
    page = client.get("/visits/plans/")
    assert units[0].building.zone.name in page.content.decode()
    assert RoutinePlan.objects.count() == 1
    assert world.client("receptionist").post("/visits/plans/", data).status_code == 403


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"unit": "9-9-9999"}, "本小区没有此房号"),
        ({"due_on": "2020-01-01"}, "回访期限不能早于今天"),
        ({"purpose": ""}, "请写明哪项服务"),
        ({"kind": "complaint"}, "有效的选项"),
    ],
)
def test_a_wrong_planned_visit_on_the_page_is_refused(world, change, message):
    unit = households(world.a, 1)[0]
    data = {
        "kind": "special",
        "unit": unit.room_code,
        "due_on": timezone.localdate().isoformat(),
        "purpose": "家政合同中期",
    }
    data.update(change)
    page = world.client("supervisor").post("/visits/plan/", data)
    assert page.status_code == 400
    assert message in page.content.decode()
    assert not Visit.objects.exists()


def test_a_planned_visit_on_the_page(world):
    unit = households(world.a, 1)[0]
    data = {
        "kind": "supervisor",
        "unit": unit.room_code,
        "due_on": timezone.localdate().isoformat(),
    }
    page = world.client("supervisor").post("/visits/plan/", data)
    assert page.status_code == 302
    visit = Visit.objects.get()
    assert (visit.kind, visit.assignee) == (VisitKind.SUPERVISOR, world.user("supervisor"))


@pytest.mark.parametrize(
    ("questions", "message"),
    [
        ("保安 | 50\n保洁 | 40", "权重合计为90"),
        ("保安 50", "第1行"),
        ("保安 | x", "第1行"),
    ],
)
def test_a_survey_whose_weights_do_not_add_up_is_refused_on_the_page(world, questions, message):
    data = {"title": "年度调查", "year": timezone.localdate().year, "questions": questions}
    page = world.client("supervisor").post("/visits/surveys/", data)
    assert page.status_code == 400
    assert message in page.content.decode()
    assert not Questionnaire.objects.exists()


def test_a_survey_made_sent_and_entered_on_the_pages(world):
    households(world.a, 2)
    client = world.client("supervisor")
    data = {
        "title": "年度调查",
        "year": timezone.localdate().year,
        "questions": "保安服务 | 60\n保洁服务 | 40",
    }
    assert client.post("/visits/surveys/", data).status_code == 302
    survey = Questionnaire.objects.get()
    assert [q.weight for q in survey.questions.all()] == [60, 40]
    bad = client.post(f"/visits/surveys/{survey.pk}/send/", {"channel": "fax"})
    assert bad.status_code == 400
    assert client.post(f"/visits/surveys/{survey.pk}/send/", {"channel": "sms"}).status_code == 302
    assert survey.invites.count() == 2
    unit = survey.invites.first().unit
    answers = {f"q{q.pk}": "fairly" for q in survey.questions.all()}
    manager = world.client("area_manager")
    missing = manager.post(f"/visits/surveys/{survey.pk}/enter/", {"unit": unit.room_code})
    assert missing.status_code == 400
    done = manager.post(f"/visits/surveys/{survey.pk}/enter/", {"unit": unit.room_code, **answers})
    assert done.status_code == 302
    page = client.get(f"/visits/surveys/{survey.pk}/").content.decode()
    assert 'id="by-question"' in page
    assert 'id="by-zone"' in page
    assert SurveyResponse.objects.count() == 1


def test_another_community_s_survey_is_not_there(world):
    households(world.b, 1)
    other = _survey(world, world.b)
    client = world.client("supervisor")
    assert client.get(f"/visits/surveys/{other.pk}/").status_code == 404
    assert client.get(f"/api/v1/visits/surveys/{other.pk}/").status_code == 404


def test_the_survey_api_refuses_weights_that_do_not_add_up(world):
    client = world.client("supervisor")
    body = {
        "community": world.a.pk,
        "title": "年度调查",
        "year": timezone.localdate().year,
        "questions": [{"text": "保安", "weight": 70}, {"text": "保洁", "weight": 20}],
    }
    answer = client.post("/api/v1/visits/surveys/", body, content_type="application/json")
    assert answer.status_code == 400
    assert "90" in answer.json()["questions"][0]
    body["questions"][1]["weight"] = 30
    made = client.post("/api/v1/visits/surveys/", body, content_type="application/json")
    assert made.status_code == 201
    assert len(made.json()["questions"]) == 2


def test_the_api_enters_answers_and_reports_the_follow_up_and_the_kpis(world):
    unit = households(world.a, 1)[0]
    survey = _survey(world, world.a)
    ids = list(survey.questions.values_list("pk", flat=True))
    client = world.client("area_manager")
    body = {"unit": unit.pk, "answers": {str(ids[0]): "dissatisfied", str(ids[1]): "great"}}
    url = f"/api/v1/visits/surveys/{survey.pk}/enter/"
    bad = client.post(url, body, content_type="application/json")
    assert bad.status_code == 400
    assert not SurveyResponse.objects.exists()
    body["answers"] = {str(pk): "satisfied" for pk in ids} | {str(ids[0]): "dissatisfied"}
    made = client.post(url, body, content_type="application/json")
    assert made.status_code == 201
    assert made.json()["follow_up_visit"] == Visit.objects.get(kind="survey").pk
    results = client.get(f"/api/v1/visits/surveys/{survey.pk}/results/").json()
    assert results["by_question"][0]["dissatisfied"] == 1
    today = timezone.localdate().isoformat()
    kpis = world.client("supervisor").get(
        "/api/v1/visits/kpis/", {"community": world.a.pk, "start": today, "end": "2000-01-01"}
    )
    assert kpis.status_code == 400
    rows = (
        world.client("supervisor")
        .get("/api/v1/visits/kpis/", {"community": world.a.pk, "start": today, "end": today})
        .json()
    )
    assert rows[-1]["kind"] == "total"
    assert (
        world.client("receptionist")
        .get("/api/v1/visits/kpis/", {"community": world.a.pk, "start": today, "end": today})
        .status_code
        == 403
    )


def test_the_survey_results_export_to_excel(world):
    from io import BytesIO

    from openpyxl import load_workbook

    unit = households(world.a, 1)[0]
    survey = _survey(world, world.a)
    answers = dict.fromkeys(survey.questions.values_list("pk", flat=True), "fairly")
    surveys.enter_survey(
        questionnaire=survey, unit=unit, answers=answers, comments="", by=world.user("supervisor")
    )
    response = world.client("supervisor").get(f"/visits/surveys/{survey.pk}/export/")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    security = next(row for row in values if "保安服务" in row)
    # group, item, weight, satisfied, fairly, dissatisfied, answered
    assert [str(v) for v in security[2:7]] == ["40", "0", "1", "0", "1"]


def test_the_plan_api_refuses_another_community_and_bad_bodies(world):
    unit = households(world.a, 1)[0]
    other = households(world.b, 1)[0]
    client = world.client("supervisor")
    year = timezone.localdate().year
    plans = "/api/v1/visits/plans/"
    body = {"community": world.a.pk, "zone": other.building.zone_id, "year": year}
    assert client.post(plans, body, content_type="application/json").status_code == 400
    body["community"] = world.b.pk
    assert client.post(plans, body, content_type="application/json").status_code == 404
    body = {"community": world.a.pk, "zone": unit.building.zone_id, "year": "x"}
    assert client.post(plans, body, content_type="application/json").status_code == 400
    body["year"] = year
    assert client.post(plans, body, content_type="application/json").status_code == 201
    assert RoutinePlan.objects.count() == 1
    planned = {
        "community": world.a.pk,
        "kind": "special",
        "unit": other.pk,
        "due_on": timezone.localdate().isoformat(),
        "purpose": "家政合同中期",
    }
    refused = client.post("/api/v1/visits/plan/", planned, content_type="application/json")
    assert refused.status_code == 400
    assert "unit" in refused.json()
    planned |= {"unit": unit.pk, "assignee": 999999}
    assert (
        client.post("/api/v1/visits/plan/", planned, content_type="application/json").status_code
        == 400
    )
    assert not Visit.objects.exists()

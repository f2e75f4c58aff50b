"""The annual satisfaction survey: weights that add up, one signed, expiring, single-use link
per household sent through the SMS backend, answers on the link or entered by staff, the
results by question, building and zone, and a follow-up visit for every problem raised."""

import datetime as dt

import pytest
import time_machine
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from guanjia.core.notifications.models import OutboundMessage
from guanjia.estates.models import Occupancy
from guanjia.visits.models import (
    Questionnaire,
    SurveyAnswer,
    SurveyInvite,
    SurveyResponse,
    Visit,
    VisitKind,
)
from guanjia.visits.selectors import survey_results
from guanjia.visits.services import surveys
from guanjia.visits.services.surveys import Question

from .factories import households

QUESTIONS = [Question("保安服务", 40), Question("保洁服务", 35), Question("维修服务", 25)]


def _survey(world, questions=QUESTIONS):
    return surveys.create_questionnaire(
        community=world.a,
        title="2026年度满意度调查",
        year=timezone.localdate().year,
        intro="",
        questions=questions,
        by=world.user("supervisor"),
    )


def _sent(world, count=3):
    units = households(world.a, count)
    survey = _survey(world)
    surveys.send_survey(
        questionnaire=survey,
        channel="sms",
        base_url="https://gj.example",
        by=world.user("supervisor"),
    )
    return survey, units


def _answers(survey, *values):
    return dict(zip(survey.questions.values_list("pk", flat=True), values, strict=True))


@pytest.mark.parametrize(
    ("questions", "message"),
    [
        ([Question("保安", 50), Question("保洁", 40)], "90"),
        ([Question("保安", 60), Question("保洁", 60)], "120"),
        ([Question("保安", 0), Question("保洁", 100)], "1 to 100"),
        ([], "at least one"),
    ],
)
def test_weights_that_do_not_add_up_to_100_are_refused(world, questions, message):
    with pytest.raises(ValidationError) as err:
        _survey(world, questions)
    assert message in err.value.message_dict["questions"][0]
    assert not Questionnaire.objects.exists()


def test_sending_gives_every_household_its_link_by_sms_once(
    world, django_capture_on_commit_callbacks
):
    units = households(world.a, 3)
    survey = _survey(world)
    with django_capture_on_commit_callbacks(execute=True):
        sent = surveys.send_survey(
            questionnaire=survey,
            channel="sms",
            base_url="https://gj.example",
            by=world.user("supervisor"),
        )
    assert sent == 3
    messages = OutboundMessage.objects.filter(template="visit.survey")
    assert {m.to for m in messages} == set(
        Occupancy.objects.filter(unit__in=units).values_list("person__mobile", flat=True)
    )
    assert all("https://gj.example/visits/s/" in m.text for m in messages)
    with pytest.raises(ValidationError):
        surveys.send_survey(
            questionnaire=survey,
            channel="sms",
            base_url="https://gj.example",
            by=world.user("supervisor"),
        )
    assert SurveyInvite.objects.count() == 3


def test_sending_needs_the_permission_and_a_known_channel(world):
    households(world.a, 1)
    survey = _survey(world)
    with pytest.raises(PermissionDenied):
        surveys.send_survey(
            questionnaire=survey, channel="sms", base_url="https://x", by=world.user("receptionist")
        )
    with pytest.raises(ValidationError):
        surveys.send_survey(
            questionnaire=survey, channel="fax", base_url="https://x", by=world.user("supervisor")
        )
    assert not SurveyInvite.objects.exists()


def test_a_household_answers_once_and_a_problem_raised_gets_a_visit(world):
    survey, units = _sent(world)
    invite = SurveyInvite.objects.get(unit=units[0])
    token = surveys.token_for(invite)
    assert surveys.invite_from_token(token) == invite
    surveys.answer_survey(
        invite=invite,
        answers=_answers(survey, "satisfied", "dissatisfied", "fairly"),
        comments="楼道不干净",
    )
    visit = Visit.objects.get(kind=VisitKind.SURVEY)
    assert visit.unit_id == units[0].pk
    assert "保洁服务" in visit.purpose
    assert "楼道不干净" in visit.purpose
    assert visit.due_on == timezone.localdate() + dt.timedelta(days=7)
    with pytest.raises(surveys.SurveyLinkError) as err:
        surveys.invite_from_token(token)
    assert err.value.reason == "used"
    with pytest.raises(ValidationError):
        surveys.answer_survey(
            invite=invite, answers=_answers(survey, *["satisfied"] * 3), comments=""
        )
    assert SurveyResponse.objects.count() == 1


def test_a_forged_or_altered_or_expired_link_is_refused(world):
    survey, units = _sent(world)
    invite = SurveyInvite.objects.get(unit=units[0])
    token = surveys.token_for(invite)
    for bad in (
        "not-a-token",
        token[:-2] + "xx",
        signing.dumps([invite.pk, "guess"], salt="visits.survey"),
    ):
        with pytest.raises(surveys.SurveyLinkError) as err:
            surveys.invite_from_token(bad)
        assert err.value.reason == "forged"
    later = invite.expires_at + dt.timedelta(seconds=1)
    with pytest.raises(surveys.SurveyLinkError) as err:
        surveys.invite_from_token(token, now=later)
    assert err.value.reason == "expired"
    with pytest.raises(ValidationError):
        surveys.answer_survey(
            invite=invite, answers=_answers(survey, *["satisfied"] * 3), comments="", now=later
        )
    assert not SurveyResponse.objects.exists()


def test_an_answer_outside_the_scale_or_missing_is_refused(world):
    survey, units = _sent(world)
    invite = SurveyInvite.objects.get(unit=units[0])
    for values in (("satisfied", "great", "fairly"), ("satisfied", "fairly", "")):
        with pytest.raises(ValidationError):
            surveys.answer_survey(invite=invite, answers=_answers(survey, *values), comments="")
    assert not SurveyAnswer.objects.exists()
    assert SurveyInvite.objects.get(pk=invite.pk).used_at is None


def test_staff_enter_a_household_s_answers_once(world):
    survey, units = _sent(world)
    manager = world.user("area_manager")
    surveys.enter_survey(
        questionnaire=survey,
        unit=units[1],
        answers=_answers(survey, *["satisfied"] * 3),
        comments="",
        by=manager,
    )
    assert SurveyResponse.objects.get().entered_by == manager
    with pytest.raises(ValidationError):
        surveys.enter_survey(
            questionnaire=survey,
            unit=units[1],
            answers=_answers(survey, *["fairly"] * 3),
            comments="",
            by=manager,
        )
    other = households(world.b, 1)[0]
    with pytest.raises(ValidationError):
        surveys.enter_survey(
            questionnaire=survey,
            unit=other,
            answers=_answers(survey, *["fairly"] * 3),
            comments="",
            by=manager,
        )
    with pytest.raises(PermissionDenied):
        surveys.enter_survey(
            questionnaire=survey,
            unit=units[2],
            answers=_answers(survey, *["fairly"] * 3),
            comments="",
            by=world.user("technician"),
        )
    assert SurveyResponse.objects.count() == 1


def test_the_results_by_question_building_and_zone_with_both_definitions(world):
    survey, units = _sent(world, 2)
    for unit, values in zip(
        units, [("satisfied",) * 3, ("fairly", "dissatisfied", "satisfied")], strict=True
    ):
        invite = SurveyInvite.objects.get(unit=unit)
        surveys.answer_survey(invite=invite, answers=_answers(survey, *values), comments="")
    results = survey_results(survey)
    assert (results.invited, results.answered) == (2, 2)
    security, cleaning, _repairs = results.by_question
    assert (security.satisfied, security.fairly, security.dissatisfied) == (1, 1, 0)
    assert security.satisfied_rate.numerator == 1
    assert security.satisfied_or_fairly_rate.numerator == 2
    assert (cleaning.satisfied, cleaning.dissatisfied) == (1, 1)
    # 40 x 1/2 + 35 x 1/2 + 25 x 2/2 = 62.5 ; with fairly: 40 + 17.5 + 25 = 82.5
    assert str(results.weighted_satisfied) == "62.5"
    assert str(results.weighted_satisfied_or_fairly) == "82.5"
    (zone,) = results.by_zone
    assert (zone.satisfied, zone.fairly, zone.dissatisfied) == (4, 1, 1)
    assert len(results.by_building) == 1


def test_the_phone_page_needs_no_login_and_refuses_bad_links_clearly(world, client):
    survey, units = _sent(world)
    invite = SurveyInvite.objects.get(unit=units[0])
    url = reverse("visits:survey-answer", kwargs={"token": surveys.token_for(invite)})
    page = client.get(url)
    assert page.status_code == 200
    assert "保安服务" in page.content.decode()
    data = {f"q{pk}": "satisfied" for pk in survey.questions.values_list("pk", flat=True)}
    data[next(iter(data))] = "bogus"
    assert client.post(url, data).status_code == 400
    assert not SurveyResponse.objects.exists()
    data = {f"q{pk}": "satisfied" for pk in survey.questions.values_list("pk", flat=True)}
    answered = client.post(url, data)
    assert answered.status_code == 200
    assert "data-thanks" in answered.content.decode()
    again = client.get(url)
    assert again.status_code == 409
    assert 'data-refused="used"' in again.content.decode()
    forged = client.get(reverse("visits:survey-answer", kwargs={"token": "abc"}))
    assert forged.status_code == 400
    assert 'data-refused="forged"' in forged.content.decode()
    other = SurveyInvite.objects.get(unit=units[1])
    with time_machine.travel(other.expires_at + dt.timedelta(minutes=1)):
        expired = client.get(
            reverse("visits:survey-answer", kwargs={"token": surveys.token_for(other)})
        )
    assert expired.status_code == 410
    assert 'data-refused="expired"' in expired.content.decode()

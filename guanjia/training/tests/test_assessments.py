"""Tests: written ones with questions and a pass mark, practical scores, retests, induction."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from guanjia.training import services
from guanjia.training.models import Assessment, AssessmentResult, Induction

from .factories import practical_test, written_test

pytestmark = pytest.mark.django_db


def _right(test):
    return {q.pk: q.answer for q in test.questions.all()}


def _wrong(test):
    return {q.pk: (q.answer + 1) % len(q.choices) for q in test.questions.all()}


def test_a_written_test_adds_up_its_questions(world):
    test = written_test(world, world.a)
    assert (test.max_score, test.pass_mark, test.questions.count()) == (
        Decimal("100"),
        Decimal("60"),
        2,
    )


def test_a_written_test_without_questions_is_refused(world):
    with pytest.raises(ValidationError) as caught:
        services.create_test(
            community=world.a,
            data=services.TestData("空卷", "written", Decimal("60")),
            by=world.user("supervisor"),
        )
    assert caught.value.error_dict["questions"][0].code == "empty"
    assert not Assessment.objects.exists()


def test_a_pass_mark_above_the_highest_score_is_refused(world):
    with pytest.raises(ValidationError) as caught:
        written_test(world, world.a, pass_mark="101")
    assert caught.value.error_dict["pass_mark"][0].code == "above_max"
    with pytest.raises(ValidationError):
        services.create_test(
            community=world.a,
            data=services.TestData("实操", "practical", Decimal("120"), Decimal("100")),
            by=world.user("supervisor"),
        )
    assert not Assessment.objects.exists()


@pytest.mark.parametrize(
    "question",
    [
        services.QuestionData("", ["a", "b"], 0, Decimal("10")),
        services.QuestionData("q", ["a"], 0, Decimal("10")),
        services.QuestionData("q", ["a", "b"], 2, Decimal("10")),
        services.QuestionData("q", ["a", "b"], 0, Decimal("0")),
    ],
)
def test_a_bad_question_is_refused(world, question):
    with pytest.raises(ValidationError):
        services.create_test(
            community=world.a,
            data=services.TestData("卷", "written", Decimal("5")),
            questions=[question],
            by=world.user("supervisor"),
        )
    assert not Assessment.objects.exists()


def test_a_receptionist_may_not_make_a_test(world):
    with pytest.raises(PermissionDenied):
        services.create_test(
            community=world.a,
            data=services.TestData("实操", "practical", Decimal("60"), Decimal("100")),
            by=world.user("receptionist"),
        )


def test_the_employee_passes_a_written_test(world):
    test = written_test(world, world.a)
    me = world.user("receptionist")
    result = services.take_test(test=test, answers=_right(test), by=me)
    assert (result.score, result.passed, result.attempt, result.retest_open) == (
        Decimal("100"),
        True,
        1,
        False,
    )


def test_a_failure_opens_a_retest_and_the_retest_closes_it(world):
    test = written_test(world, world.a)
    me = world.user("receptionist")
    first = services.take_test(test=test, answers=_wrong(test), by=me)
    assert (first.passed, first.retest_open) == (False, True)
    assert first.retest_due is not None
    second = services.take_test(test=test, answers=_right(test), by=me)
    first.refresh_from_db()
    assert (second.attempt, second.passed, first.retest_open) == (2, True, False)


def test_a_passed_test_is_not_taken_again(world):
    test = written_test(world, world.a)
    me = world.user("receptionist")
    services.take_test(test=test, answers=_right(test), by=me)
    with pytest.raises(ValidationError) as caught:
        services.take_test(test=test, answers=_right(test), by=me)
    assert caught.value.error_dict["answers"][0].code == "already_passed"
    assert AssessmentResult.objects.count() == 1


def test_every_question_needs_an_answer(world):
    test = written_test(world, world.a)
    answers = _right(test)
    answers.pop(next(iter(answers)))
    with pytest.raises(ValidationError) as caught:
        services.take_test(test=test, answers=answers, by=world.user("receptionist"))
    assert caught.value.error_dict["answers"][0].code == "incomplete"
    bad = dict.fromkeys(_right(test), 9)
    with pytest.raises(ValidationError):
        services.take_test(test=test, answers=bad, by=world.user("receptionist"))
    assert not AssessmentResult.objects.exists()


def test_the_trainer_records_a_practical_score_never_their_own(world):
    test = practical_test(world, world.a)
    boss = world.user("supervisor")
    result = services.record_result(
        test=test, employee=world.user("cashier"), score=Decimal("55"), by=boss
    )
    assert (result.passed, result.retest_open) == (False, True)
    with pytest.raises(PermissionDenied):
        services.record_result(test=test, employee=boss, score=Decimal("90"), by=boss)
    with pytest.raises(ValidationError):
        services.record_result(
            test=test, employee=world.user("receptionist"), score=Decimal("101"), by=boss
        )
    with pytest.raises(PermissionDenied):
        services.record_result(
            test=test,
            employee=world.user("receptionist"),
            score=Decimal("90"),
            by=world.user("cashier"),
        )


def test_passing_the_induction_test_ends_the_induction(world):
    me = world.user("receptionist")
    induction = services.assign_induction(community=world.a, employee=me, by=None)
    test = written_test(world, world.a, is_induction=True)
    services.take_test(test=test, answers=_right(test), by=me)
    induction.refresh_from_db()
    assert induction.passed_on is not None
    assert Induction.objects.count() == 1

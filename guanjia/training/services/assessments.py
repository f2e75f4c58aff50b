"""Assessments (spec §21): a written test with multiple-choice questions and a pass mark, a
practical test or an observation. An employee takes a written test themself; the trainer
records a practical or observed score. A failure opens a retest within
`training.retest_days`; passing an induction test ends the employee's induction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.core.access import User, has_perm_in, require_perm
from guanjia.core.models import Community
from guanjia.core.policies.selectors import policy

from ..models import (
    Assessment,
    AssessmentKind,
    AssessmentResult,
    Induction,
    Question,
    TrainingSession,
)
from ._common import field_error, is_staff_of, text

MANAGE = "training.add_assessment"
TAKE = "training.take_training"
MAX_QUESTIONS = 100
MAX_SCORE = Decimal("1000")


@dataclass(frozen=True)
class QuestionData:
    """One multiple-choice question: its text, 2 to 6 choices, the right one's index (from
    0) and its points."""

    text: str
    choices: Sequence[str]
    answer: int
    points: Decimal


@dataclass(frozen=True)
class TestData:
    title: str
    kind: str
    pass_mark: Decimal
    max_score: Decimal | None = None
    is_induction: bool = False


def _question(index: int, q: QuestionData) -> dict[str, object]:
    field = "questions"
    label = _("Question %(n)s") % {"n": index}
    choices = [str(c).strip() for c in q.choices if str(c).strip()]
    if not (q.text or "").strip():
        raise field_error(field, _("%(q)s has no text.") % {"q": label}, "invalid")
    if not 2 <= len(choices) <= 6 or any(len(c) > 200 for c in choices):
        raise field_error(
            field,
            _("%(q)s needs 2 to 6 choices of at most 200 characters.") % {"q": label},
            "invalid",
        )
    if not 0 <= q.answer < len(choices):
        raise field_error(
            field, _("%(q)s: the right choice is not one of its choices.") % {"q": label}, "invalid"
        )
    if q.points is None or not (Decimal("0.5") <= q.points <= 100) or q.points % Decimal("0.5"):
        raise field_error(
            field, _("%(q)s: give 0.5 to 100 points, in halves.") % {"q": label}, "invalid"
        )
    return {
        "position": index,
        "text": text(q.text, field, 500),
        "choices": choices,
        "answer": q.answer,
        "points": q.points,
    }


def _marks(
    data: TestData, questions: Sequence[QuestionData]
) -> tuple[Decimal, list[dict[str, object]]]:
    if data.kind not in AssessmentKind.values:
        raise field_error("kind", _("Choose a written, practical or observed test."), "invalid")
    if data.kind == AssessmentKind.WRITTEN:
        if not questions:
            raise field_error(
                "questions", _("A written test needs at least one question."), "empty"
            )
        if len(questions) > MAX_QUESTIONS:
            raise field_error("questions", _("At most 100 questions."), "too_many")
        rows = [_question(i, q) for i, q in enumerate(questions, start=1)]
        return sum((Decimal(str(r["points"])) for r in rows), Decimal("0")), rows
    if questions:
        raise field_error("questions", _("Only a written test has questions."), "invalid")
    if data.max_score is None or not (0 < data.max_score <= MAX_SCORE):
        raise field_error("max_score", _("Enter a highest score from 1 to 1000."), "invalid")
    return data.max_score, []


@transaction.atomic
def create_test(
    *,
    community: Community,
    data: TestData,
    questions: Sequence[QuestionData] = (),
    by: User,
    session: TrainingSession | None = None,
) -> Assessment:
    """A test: a written one needs questions (its highest score is their points); the pass
    mark is above 0 and at most the highest score."""
    require_perm(by, MANAGE, community)
    if session is not None and session.community_id != community.pk:
        raise field_error("session", _("Choose a session of this community."), "other_community")
    highest, rows = _marks(data, questions)
    if data.pass_mark is None or data.pass_mark <= 0:
        raise field_error("pass_mark", _("Enter a pass mark above 0."), "invalid")
    if data.pass_mark > highest:
        raise field_error(
            "pass_mark",
            _("The pass mark %(mark)s is above the highest score %(max)s.")
            % {"mark": data.pass_mark, "max": highest},
            "above_max",
        )
    test = Assessment.objects.create(
        community=community,
        session=session,
        title=text(data.title, "title", 200, required=_("Give the test a title.")),
        kind=data.kind,
        is_induction=bool(data.is_induction),
        max_score=highest,
        pass_mark=data.pass_mark,
        created_by=by,
    )
    Question.objects.bulk_create(Question(assessment=test, **row) for row in rows)
    return test


def suggested_pass_mark(community: Community, highest: Decimal) -> Decimal:
    """`training.pass_mark_ratio` of the highest score, to the half point."""
    ratio = Decimal(str(policy(community, "training.pass_mark_ratio")))
    return (highest * ratio * 2).quantize(Decimal("1")) / 2


def _attempt(test: Assessment, employee: User) -> int:
    """The next attempt's number; an employee who passed already takes no more."""
    rows = list(
        AssessmentResult.objects.select_for_update()
        .filter(assessment=test, employee=employee)
        .order_by("attempt")
    )
    if any(r.passed for r in rows):
        raise field_error("answers", _("This test was passed already."), "already_passed")
    return len(rows) + 1


def _save(
    test: Assessment, employee: User, score: Decimal, by: User, **extra: object
) -> AssessmentResult:
    attempt = _attempt(test, employee)
    today = timezone.localdate()
    passed = score >= test.pass_mark
    AssessmentResult.objects.filter(assessment=test, employee=employee, retest_open=True).update(
        retest_open=False
    )
    days = policy(test.community, "training.retest_days")
    result = AssessmentResult.objects.create(
        assessment=test,
        employee=employee,
        attempt=attempt,
        score=score,
        passed=passed,
        recorded_by=by,
        taken_on=today,
        retest_open=not passed,
        retest_due=None if passed else today + dt.timedelta(days=days),
        **extra,
    )
    if passed and test.is_induction:
        Induction.objects.filter(
            community=test.community, employee=employee, passed_on__isnull=True
        ).update(passed_on=today)
    return result


@transaction.atomic
def take_test(*, test: Assessment, answers: Mapping[int, int], by: User) -> AssessmentResult:
    """The employee's own answers to a written test (question id → chosen index), scored
    at once. Every question needs an answer."""
    locked = Assessment.objects.select_for_update().get(pk=test.pk)
    require_perm(by, TAKE, locked.community)
    if locked.kind != AssessmentKind.WRITTEN:
        raise field_error("answers", _("Only a written test is taken on the screen."), "invalid")
    questions = list(locked.questions.all())
    missing = [q.position for q in questions if q.pk not in answers]
    if missing:
        raise field_error(
            "answers",
            _("Answer every question (left open: %(list)s).")
            % {"list": ", ".join(str(n) for n in missing)},
            "incomplete",
        )
    if any(not 0 <= answers[q.pk] < len(q.choices) for q in questions):
        raise field_error("answers", _("Choose one of the question's choices."), "invalid")
    score = sum((q.points for q in questions if answers[q.pk] == q.answer), Decimal("0"))
    chosen = [[q.pk, answers[q.pk]] for q in questions]
    return _save(locked, by, score, by, answers=chosen)


@transaction.atomic
def record_result(
    *, test: Assessment, employee: User, score: Decimal, by: User, note: str = ""
) -> AssessmentResult:
    """The trainer's score of a practical test or an observation (never their own)."""
    locked = Assessment.objects.select_for_update().get(pk=test.pk)
    if not (has_perm_in(by, MANAGE, locked.community) or _is_trainer(locked, by)):
        raise PermissionDenied(_("Only the trainer or a training manager records a score."))
    if employee.pk == by.pk:
        raise PermissionDenied(_("Nobody scores their own test."))
    if locked.kind == AssessmentKind.WRITTEN:
        raise field_error("score", _("A written test is scored from the answers."), "invalid")
    if not is_staff_of(locked.community, employee):
        raise field_error(
            "employee", _("This person does not work in this community."), "not_staff"
        )
    try:
        valid = score is not None and 0 <= score <= locked.max_score
    except (InvalidOperation, TypeError):
        valid = False
    if not valid:
        raise field_error(
            "score", _("Enter a score from 0 to %(max)s.") % {"max": locked.max_score}, "invalid"
        )
    return _save(locked, employee, score, by, note=text(note, "note", 500))


def _is_trainer(test: Assessment, user: User) -> bool:
    return test.session is not None and test.session.trainer_id == user.pk

"""Test pages: the list, a new test, its page (questions for the managers, results, the
trainer's score of a practical test), and the written test taken on a phone."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guanjia.core.access import has_perm_in, request_user
from guanjia.core.pages import CommunityListView, current_community, submit

from .. import forms, services
from ..filters import TestFilter
from ..models import Assessment, AssessmentKind, AssessmentResult
from ._common import MAKE_TESTS, TAKE, VIEW_TESTS, test_of


class TestList(CommunityListView):
    model = Assessment
    perm = VIEW_TESTS
    filterset_class = TestFilter
    related = ("session",)
    add_perm = MAKE_TESTS
    template_name = "training/test_list.html"


def test_new(request: HttpRequest) -> HttpResponse:
    community = current_community(request, MAKE_TESTS)
    form = forms.TestForm(request.POST if request.method == "POST" else None, community=community)
    if request.method == "POST":
        created: list[Assessment] = []

        def act() -> Any:
            data = form.cleaned_data
            created.append(
                services.create_test(
                    community=community,
                    data=services.TestData(
                        title=data["title"],
                        kind=data["kind"],
                        pass_mark=data["pass_mark"],
                        max_score=data["max_score"],
                        is_induction=data["is_induction"],
                    ),
                    questions=data["questions"],
                    session=data["session"],
                    by=request_user(request),
                )
            )

        if submit(request, form, act, _("The test was saved.")):
            return redirect("training:test-detail", pk=created[0].pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "title": _("New test")}
    return render(request, "training/form.html", context, status=status)


def _test_page(
    request: HttpRequest, test: Assessment, status: int = 200, **extra: Any
) -> HttpResponse:
    user = request_user(request)
    manages = has_perm_in(user, VIEW_TESTS, test.community)
    results = AssessmentResult.objects.filter(assessment=test).select_related(
        "employee", "recorded_by"
    )
    if not manages:
        results = results.filter(employee=user)
    records = test.kind != AssessmentKind.WRITTEN and (
        has_perm_in(user, MAKE_TESTS, test.community)
        or (test.session is not None and test.session.trainer_id == user.pk)
    )
    context = {
        "test": test,
        "manages": manages,
        "questions": test.questions.all() if manages else [],
        "results": results.order_by("employee__full_name", "attempt"),
        "may_take": test.kind == AssessmentKind.WRITTEN and has_perm_in(user, TAKE, test.community),
        "may_record": records,
        "result_form": extra.pop("result_form", None) or forms.ResultForm(community=test.community),
        **extra,
    }
    return render(request, "training/test_detail.html", context, status=status)


def test_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _test_page(request, test_of(request, pk))


def _answers(test: Assessment, posted: Any) -> dict[int, int]:
    """The chosen index of each question answered (a value that is no index is skipped, so
    the service names the question as unanswered)."""
    chosen: dict[int, int] = {}
    for question in test.questions.all():
        value = posted.get(f"q-{question.pk}", "")
        if value.isascii() and value.isdigit() and len(value) < 3:
            chosen[question.pk] = int(value)
    return chosen


def test_take(request: HttpRequest, pk: int) -> HttpResponse:
    """The written test on a phone: every question with its choices, one submit."""
    test = test_of(request, pk)
    errors: list[str] = []
    if request.method == "POST":
        try:
            result = services.take_test(
                test=test, answers=_answers(test, request.POST), by=request_user(request)
            )
        except ValidationError as exc:
            errors = list(exc.messages)
        else:
            if result.passed:
                messages.success(request, _("Passed with %(score)s.") % {"score": result.score})
            else:
                messages.warning(
                    request,
                    _("Not passed (%(score)s): retrain and retake it by %(day)s.")
                    % {"score": result.score, "day": result.retest_due},
                )
            return redirect("training:test-detail", pk=test.pk)
    context = {
        "test": test,
        "questions": test.questions.all(),
        "errors": errors,
        "posted": request.POST,
    }
    return render(request, "training/test_take.html", context, status=400 if errors else 200)


@require_POST
def test_record(request: HttpRequest, pk: int) -> HttpResponse:
    """The trainer's score of one employee at a practical test or an observation."""
    test = test_of(request, pk)
    form = forms.ResultForm(request.POST, community=test.community)

    def act() -> Any:
        data = form.cleaned_data
        return services.record_result(
            test=test,
            employee=data["employee"],
            score=data["score"],
            note=data["note"],
            by=request_user(request),
        )

    if submit(request, form, act, _("The score was recorded.")):
        return redirect("training:test-detail", pk=test.pk)
    return _test_page(request, test, status=400, result_form=form)

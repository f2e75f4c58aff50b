"""The satisfaction survey's pages (spec §14): the surveys, a new one, one survey with its
results by question, building and zone, sending it, staff entering a household's answers, and
the household's phone page (no login: the link's signed token is the whole check)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from guanjia.core.access import get_visible_or_404, has_perm_in, request_user, require_perm
from guanjia.core.pages import current_community, submit

from . import forms, selectors
from .models import Questionnaire
from .services import surveys

VIEW = "visits.view_visit"
MANAGE = "visits.add_visit"
ENTER = "visits.change_visit"


@require_http_methods(["GET", "POST"])
def survey_list(request: HttpRequest) -> HttpResponse:
    community = current_community(request, VIEW)
    user = request_user(request)
    form = forms.QuestionnaireForm(
        request.POST or None, community=community, initial={"year": timezone.localdate().year}
    )
    created: list[int] = []
    if request.method == "POST":
        require_perm(user, MANAGE, community)

        def act() -> None:
            data = form.cleaned_data
            survey = surveys.create_questionnaire(community=community, by=user, **data)
            created.append(survey.pk)

        if submit(request, form, act, _("Survey saved.")):
            return redirect("visits:survey-detail", pk=created[0])
    context = {
        "form": form,
        "surveys": Questionnaire.objects.filter(community=community),
        "may_manage": has_perm_in(user, MANAGE, community),
    }
    return render(request, "visits/surveys.html", context, status=400 if form.errors else 200)


def _survey(request: HttpRequest, pk: int, perm: str) -> Questionnaire:
    base = Questionnaire.objects.select_related("community", "sent_by")
    survey: Questionnaire = get_visible_or_404(base, request.user, pk=pk)
    require_perm(request.user, perm, survey.community)
    return survey


def _detail(
    request: HttpRequest, survey: Questionnaire, status: int = 200, **extra: Any
) -> HttpResponse:
    user = request_user(request)
    context = {
        "survey": survey,
        "questions": survey.questions.all(),
        "results": selectors.survey_results(survey),
        "send_form": forms.SendSurveyForm(community=survey.community),
        "may_manage": has_perm_in(user, MANAGE, survey.community),
        "may_enter": has_perm_in(user, ENTER, survey.community),
        "follow_ups": survey.responses.filter(visits__isnull=False).count(),
        **extra,
    }
    return render(request, "visits/survey_detail.html", context, status=status)


def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _survey(request, pk, VIEW))


@require_POST
def survey_send(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk, MANAGE)
    form = forms.SendSurveyForm(request.POST, community=survey.community)
    base = request.build_absolute_uri("/")
    count: list[int] = []

    def act() -> None:
        count.append(
            surveys.send_survey(
                questionnaire=survey,
                channel=form.cleaned_data["channel"],
                base_url=base,
                by=request_user(request),
            )
        )

    if submit(request, form, act, _("Survey sent to the households.")):
        return redirect("visits:survey-detail", pk=survey.pk)
    return _detail(request, survey, status=400, send_form=form)


@require_http_methods(["GET", "POST"])
def survey_enter(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff fill in a household's answers (on paper, by phone)."""
    survey = _survey(request, pk, ENTER)
    form = forms.StaffSurveyForm(request.POST or None, questionnaire=survey)

    def act() -> None:
        surveys.enter_survey(
            questionnaire=survey,
            unit=form.cleaned_data["unit"],
            answers=form.answers(),
            comments=form.cleaned_data["comments"],
            by=request_user(request),
        )

    if request.method == "POST" and submit(request, form, act, _("Answers saved.")):
        return redirect("visits:survey-detail", pk=survey.pk)
    context = {"survey": survey, "form": form}
    return render(request, "visits/survey_enter.html", context, status=400 if form.errors else 200)


LINK_STATUS = {"forged": 400, "expired": 410, "used": 409}


@login_not_required
@require_http_methods(["GET", "POST"])
def survey_answer(request: HttpRequest, token: str) -> HttpResponse:
    """The household's phone page: the questions, once, until the link expires."""
    try:
        invite = surveys.invite_from_token(token)
    except surveys.SurveyLinkError as exc:
        return render(
            request,
            "visits/survey_public.html",
            {"refused": exc.message, "reason": exc.reason},
            status=LINK_STATUS[exc.reason],
        )
    survey = invite.questionnaire
    form = forms.SurveyAnswerForm(request.POST or None, questionnaire=survey)
    if request.method == "POST" and form.is_valid():
        try:
            surveys.answer_survey(
                invite=invite, answers=form.answers(), comments=form.cleaned_data["comments"]
            )
        except ValidationError as exc:
            from guanjia.core.pages import apply_errors

            apply_errors(form, exc)
        else:
            return render(request, "visits/survey_public.html", {"thanks": True, "survey": survey})
    context = {"survey": survey, "invite": invite, "form": form}
    return render(request, "visits/survey_public.html", context, status=400 if form.errors else 200)


RESULT_COLUMNS = [
    ("group", "分组", "Grouped by"),
    ("label", "项目", "Item"),
    ("weight", "权重%", "Weight %"),
    ("satisfied", "满意", "Satisfied"),
    ("fairly", "较满意", "Fairly satisfied"),
    ("dissatisfied", "不满意", "Dissatisfied"),
    ("answered", "答复数", "Answered"),
    ("satisfied_rate", "满意率%(仅满意)", "Satisfaction % (satisfied only)"),
    ("satisfied_or_fairly_rate", "满意率%(满意+较满意)", "Satisfaction % (with fairly)"),
]


def survey_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The results by question, zone and building as an .xlsx file."""
    from guanjia.core.imports.base import Column, ColumnType
    from guanjia.core.imports.xlsx import export_xlsx

    survey = _survey(request, pk, VIEW)
    results = selectors.survey_results(survey)
    rows = []
    groups = (
        (_("Question"), results.by_question),
        (_("Zone"), results.by_zone),
        (_("Building"), results.by_building),
    )
    for group, counts in groups:
        for row in counts:
            rates = {
                name: "" if getattr(row, name).rate is None else str(getattr(row, name).rate)
                for name in ("satisfied_rate", "satisfied_or_fairly_rate")
            }
            rows.append(
                {
                    "group": str(group),
                    "label": row.label,
                    "weight": row.weight or "",
                    "satisfied": row.satisfied,
                    "fairly": row.fairly,
                    "dissatisfied": row.dissatisfied,
                    "answered": row.answered,
                    **rates,
                }
            )
    columns = [
        Column(field=f, header_zh=zh, header_en=en, type=ColumnType.TEXT)
        for f, zh, en in RESULT_COLUMNS
    ]
    content = export_xlsx(rows, columns, title="满意度调查")
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}.xlsx"'
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

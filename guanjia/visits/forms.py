"""The visit pages' forms: they call the services, never save models themselves."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from guanjia.core.access import staff_holding
from guanjia.core.models import Community
from guanjia.estates.models import Unit, Zone

from .models import Answer, Channel, Method, Questionnaire, VisitKind
from .models.visits import AttemptOutcome
from .services.surveys import Question

SCALE = forms.RadioSelect(attrs={"class": "form-check-input"})


class VisitForm(forms.Form):
    """Base: Bootstrap classes on every widget but the radio buttons."""

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.community = community
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect | forms.HiddenInput):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)


def _scale(label: Any) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=Answer.choices, widget=SCALE)


class RecordForm(VisitForm):
    method = forms.ChoiceField(label=_("Method"), choices=Method.choices)
    quality = _scale(_("Quality of the result"))
    timeliness = _scale(_("Timeliness"))
    attitude = _scale(_("Staff attitude"))
    conduct = _scale(_("Staff conduct (shoe covers, left clean, explained the work)"))
    satisfaction = _scale(_("Overall satisfaction"))
    comments = forms.CharField(
        label=_("Comments and suggestions"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    signature = forms.CharField(
        required=False, widget=forms.HiddenInput(attrs={"data-signature": "1"})
    )


class AttemptForm(VisitForm):
    outcome = forms.ChoiceField(label=_("What happened"), choices=AttemptOutcome.choices)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class NoteForm(VisitForm):
    note = forms.CharField(
        label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


def _unit_by_room(community: Community, value: str) -> Unit:
    unit = Unit.objects.filter(community=community, room_code=value.strip()).first()
    if unit is None:
        raise forms.ValidationError(_("No unit with this room number in this community."))
    return unit


class RoutinePlanForm(VisitForm):
    zone = forms.ModelChoiceField(label=_("Zone"), queryset=Zone.objects.none())
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, community=community, **kwargs)
        self.fields["zone"].queryset = Zone.objects.filter(community=community).order_by("name")  # type: ignore[attr-defined]


class PlanVisitForm(VisitForm):
    kind = forms.ChoiceField(
        label=_("Type"),
        choices=[(k.value, k.label) for k in (VisitKind.SPECIAL, VisitKind.SUPERVISOR)],
    )
    unit = forms.CharField(label=_("Room"), max_length=30)
    due_on = forms.DateField(label=_("Due on"), widget=forms.DateInput(attrs={"type": "date"}))
    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=500,
        required=False,
        help_text=_("For a special service: which service, mid-term or end of contract."),
    )
    assignee: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("To be made by"), queryset=None, required=False
    )

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, community=community, **kwargs)
        self.fields["assignee"].queryset = staff_holding(  # type: ignore[attr-defined]
            ["visits.change_visit"], company_id=community.company_id, community_id=community.pk
        ).order_by("pk")

    def clean_unit(self) -> Unit:
        return _unit_by_room(self.community, self.cleaned_data["unit"])


class QuestionnaireForm(VisitForm):
    title = forms.CharField(label=_("Title"), max_length=100)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    intro = forms.CharField(
        label=_("Introduction"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    questions = forms.CharField(
        label=_("Questions"),
        max_length=6000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "One question a line: the question, a bar, its weight (the weights add up to "
            "100). Example: 保安服务 | 20"
        ),
    )

    def clean_questions(self) -> list[Question]:
        questions = []
        for n, line in enumerate(self.cleaned_data["questions"].splitlines(), start=1):
            if not line.strip():
                continue
            text, bar, weight = line.rpartition("|")
            if not bar or not text.strip() or not weight.strip().isdigit():
                raise forms.ValidationError(
                    _("Line %(n)s: write the question, a bar and its weight, e.g. 保洁 | 20.")
                    % {"n": n}
                )
            questions.append(Question(text.strip(), int(weight.strip())))
        return questions


class SendSurveyForm(VisitForm):
    channel = forms.ChoiceField(
        label=_("Send by"), choices=[(Channel.SMS, _("SMS")), (Channel.WECHAT, _("WeChat"))]
    )


class SurveyAnswerForm(forms.Form):
    """The questionnaire's questions as radio buttons (the phone page and the staff's entry)."""

    comments = forms.CharField(
        label=_("Comments and suggestions"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )

    def __init__(self, *args: Any, questionnaire: Questionnaire, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = list(questionnaire.questions.all())
        for q in self.questions:
            self.fields[f"q{q.pk}"] = forms.ChoiceField(
                label=q.text,
                choices=Answer.choices,
                widget=SCALE,
                error_messages={
                    "required": _("Choose satisfied, fairly satisfied or dissatisfied.")
                },
            )
        self.order_fields([*(f"q{q.pk}" for q in self.questions), "comments"])

    def answers(self) -> dict[int, str]:
        return {q.pk: self.cleaned_data.get(f"q{q.pk}", "") for q in self.questions}


class StaffSurveyForm(SurveyAnswerForm):
    unit = forms.CharField(
        label=_("Room"), max_length=30, widget=forms.TextInput(attrs={"class": "form-control"})
    )

    def __init__(self, *args: Any, questionnaire: Questionnaire, **kwargs: Any) -> None:
        super().__init__(*args, questionnaire=questionnaire, **kwargs)
        self.community = questionnaire.community
        self.order_fields(["unit", *(f"q{q.pk}" for q in self.questions), "comments"])

    def clean_unit(self) -> Unit:
        return _unit_by_room(self.community, self.cleaned_data["unit"])

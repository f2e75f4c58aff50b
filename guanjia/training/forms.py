"""The training pages' forms: they call the services, never save models themselves."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanjia.core.models import Community

from .models import (
    MANUAL,
    AssessmentKind,
    PlanKind,
    PlanStatus,
    SessionKind,
    TrainingPlan,
    TrainingSession,
)
from .services import QuestionData
from .services._common import staff_of

TEXTAREA = forms.Textarea(attrs={"rows": 3})
LETTERS = "ABCDEF"


class TrainingForm(forms.Form):
    """Base: Bootstrap classes on every widget but radio buttons and checkboxes."""

    def __init__(self, *args: Any, community: Community | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.community = community
        for field in self.fields.values():
            widget = field.widget
            if isinstance(
                widget, forms.RadioSelect | forms.CheckboxSelectMultiple | forms.CheckboxInput
            ):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)


class EmployeeField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(getattr(obj, "full_name", "") or obj.get_username())


class EmployeesField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(getattr(obj, "full_name", "") or obj.get_username())


def _staff(community: Community | None) -> Any:
    queryset = staff_of(community) if community is not None else get_user_model().objects.none()
    return queryset.order_by("full_name", "pk")


class PlanContentForm(TrainingForm):
    title = forms.CharField(label=_("Title"), max_length=100)
    topics = forms.CharField(label=_("Topics"), max_length=4000, widget=TEXTAREA)
    target_staff = forms.CharField(label=_("Target staff"), max_length=200)
    schedule = forms.CharField(
        label=_("Schedule"), max_length=2000, required=False, widget=TEXTAREA
    )
    trainer = forms.CharField(label=_("Trainer"), max_length=100, required=False)
    method = forms.CharField(label=_("Method"), max_length=200, required=False)
    assessment_standard = forms.CharField(
        label=_("Assessment standard"), max_length=500, required=False
    )
    budget = forms.DecimalField(
        label=_("Budget (yuan)"),
        min_value=0,
        max_value=10_000_000,
        decimal_places=2,
        max_digits=10,
        initial=0,
    )


class PlanForm(PlanContentForm):
    kind = forms.ChoiceField(label=_("Plan"), choices=PlanKind.choices)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    month = forms.IntegerField(
        label=_("Month"),
        min_value=1,
        max_value=12,
        required=False,
        help_text=_("Only for a monthly plan."),
    )
    field_order = ["kind", "year", "month"]


class DecisionForm(TrainingForm):
    reason = forms.CharField(label=_("Comments"), max_length=500, required=False, widget=TEXTAREA)


class NoteForm(TrainingForm):
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class ReasonForm(TrainingForm):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class MoveForm(ReasonForm):
    starts_at = forms.DateTimeField(
        label=_("New start"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    field_order = ["starts_at", "reason"]


class SessionForm(TrainingForm):
    plan = forms.ModelChoiceField(
        label=_("Plan"), queryset=TrainingPlan.objects.none(), required=False
    )
    kind = forms.ChoiceField(label=_("Type"), choices=SessionKind.choices)
    topic = forms.CharField(label=_("Topic"), max_length=200)
    trainer = EmployeeField(label=_("Trainer"), queryset=get_user_model().objects.none())
    starts_at = forms.DateTimeField(
        label=_("Starts at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    hours = forms.DecimalField(
        label=_("Hours"), min_value=Decimal("0.5"), max_value=24, decimal_places=1, max_digits=4
    )
    place = forms.CharField(label=_("Place"), max_length=100, required=False)
    method = forms.CharField(label=_("Method"), max_length=100, required=False)
    content = forms.CharField(label=_("Content"), max_length=4000, required=False, widget=TEXTAREA)
    invited = EmployeesField(
        label=_("Invited staff"),
        queryset=get_user_model().objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, community: Community | None = None, **kwargs: Any) -> None:
        super().__init__(*args, community=community, **kwargs)
        staff = _staff(community)
        self.fields["trainer"].queryset = staff  # type: ignore[attr-defined]
        self.fields["invited"].queryset = staff  # type: ignore[attr-defined]
        if community is not None:
            self.fields["plan"].queryset = TrainingPlan.objects.filter(  # type: ignore[attr-defined]
                community=community, status=PlanStatus.APPROVED
            )


class SheetForm(TrainingForm):
    present = EmployeesField(
        label=_("Signed the sheet"),
        queryset=get_user_model().objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, community: Community | None = None, **kwargs: Any) -> None:
        super().__init__(*args, community=community, **kwargs)
        self.fields["present"].queryset = _staff(community)  # type: ignore[attr-defined]


class MaterialForm(TrainingForm):
    manual_code = forms.ChoiceField(
        label=_("Procedure of the manual"),
        choices=[("", "---------"), *[(c, f"{c} {t}") for c, t in MANUAL]],
        required=False,
    )
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    file = forms.FileField(label=_("File (PDF or picture)"), required=False)


class ScanForm(TrainingForm):
    file = forms.FileField(label=_("Scanned sheet (PDF or picture)"))


class TestForm(TrainingForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Type"), choices=AssessmentKind.choices)
    session = forms.ModelChoiceField(
        label=_("Session"), queryset=TrainingSession.objects.none(), required=False
    )
    is_induction = forms.BooleanField(label=_("Induction test"), required=False)
    pass_mark = forms.DecimalField(
        label=_("Pass mark"), min_value=0, max_value=1000, decimal_places=1, max_digits=6
    )
    max_score = forms.DecimalField(
        label=_("Highest score"),
        min_value=0,
        max_value=1000,
        decimal_places=1,
        max_digits=6,
        required=False,
        help_text=_(
            "For a practical test or an observation; a written test adds up its questions."
        ),
    )
    questions = forms.CharField(
        label=_("Questions"),
        required=False,
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "One question a line: question | choice A | choice B | … | right choice (A, B, …) "
            "| points."
        ),
    )

    def __init__(self, *args: Any, community: Community | None = None, **kwargs: Any) -> None:
        super().__init__(*args, community=community, **kwargs)
        if community is not None:
            self.fields["session"].queryset = TrainingSession.objects.filter(  # type: ignore[attr-defined]
                community=community
            ).order_by("-starts_at")

    def clean_questions(self) -> list[QuestionData]:
        rows = []
        lines = [line.strip() for line in self.cleaned_data["questions"].splitlines()]
        for number, line in enumerate((x for x in lines if x), start=1):
            parts = [p.strip() for p in re.split(r"[|｜]", line)]
            if len(parts) < 5:
                raise forms.ValidationError(
                    _("Line %(n)s: write question | choices | right choice | points.")
                    % {"n": number}
                )
            *head, right, points = parts
            text, choices = head[0], head[1:]
            answer = LETTERS.find(right.upper()) if len(right) == 1 and right.isalpha() else -1
            if answer < 0 and right.isdigit():
                answer = int(right) - 1
            try:
                value = Decimal(points)
            except InvalidOperation:
                raise forms.ValidationError(
                    _("Line %(n)s: the points are not a number.") % {"n": number}
                ) from None
            rows.append(QuestionData(text=text, choices=choices, answer=answer, points=value))
        return rows


class ResultForm(TrainingForm):
    employee = EmployeeField(label=_("Employee"), queryset=get_user_model().objects.none())
    score = forms.DecimalField(
        label=_("Score"), min_value=0, max_value=1000, decimal_places=1, max_digits=6
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, community: Community | None = None, **kwargs: Any) -> None:
        super().__init__(*args, community=community, **kwargs)
        self.fields["employee"].queryset = _staff(community)  # type: ignore[attr-defined]


class AssignForm(TrainingForm):
    employee = EmployeeField(label=_("Employee"), queryset=get_user_model().objects.none())
    starts_on = forms.DateField(
        label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}), required=False
    )

    def __init__(self, *args: Any, community: Community | None = None, **kwargs: Any) -> None:
        super().__init__(*args, community=community, **kwargs)
        self.fields["employee"].queryset = _staff(community)  # type: ignore[attr-defined]
        self.fields["starts_on"].initial = timezone.localdate()

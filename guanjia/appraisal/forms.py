"""Page forms of the appraisal app; each hands its data to one service."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from .filters import MonthField
from .models import Kind, ProbationOutcome

DATE = forms.DateInput(attrs={"type": "date"})


class MonthForm(forms.Form):
    month = MonthField(
        label=_("Month"), max_length=7, widget=forms.TextInput(attrs={"type": "month"})
    )

    def clean_month(self) -> Any:
        month = self.cleaned_data.get("month")
        if month is None:
            raise forms.ValidationError(_("Choose a month."), code="required")
        return month


class AdjustForm(forms.Form):
    points = forms.DecimalField(label=_("Points (+ or −)"), max_digits=5, decimal_places=2)
    reason = forms.CharField(label=_("Reason"), max_length=500)


class OpenPeriodForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Type"), choices=[(Kind.QUARTER, Kind.QUARTER.label), (Kind.YEAR, Kind.YEAR.label)]
    )
    day = forms.DateField(label=_("A day of the period"), widget=DATE)


class ProbationForm(forms.Form):
    employee = forms.ModelChoiceField(label=_("Employee"), queryset=get_user_model().objects.none())
    start = forms.DateField(label=_("Probation from"), widget=DATE)
    end = forms.DateField(label=_("Probation to"), widget=DATE)

    def __init__(self, *args: Any, community: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        users: Any = get_user_model().objects
        if community is not None:
            users = users.filter(memberships__community=community).distinct()
        self.fields["employee"].queryset = users.order_by("full_name", "pk")  # type: ignore[attr-defined]


class TextForm(forms.Form):
    text = forms.CharField(
        label=_("Self-assessment"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5})
    )


class DisputeForm(forms.Form):
    rater = forms.ModelChoiceField(
        label=_("Rater in dispute"), queryset=get_user_model().objects.none()
    )
    reason = forms.CharField(label=_("What the dispute is about"), max_length=500)

    def __init__(self, *args: Any, community: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        users: Any = get_user_model().objects
        if community is not None:
            users = users.filter(memberships__community=community).distinct()
        self.fields["rater"].queryset = users.order_by("full_name", "pk")  # type: ignore[attr-defined]


class RateForm(forms.Form):
    score = forms.DecimalField(
        label=_("Score"), max_digits=5, decimal_places=2, min_value=0, max_value=100
    )
    score_reason = forms.CharField(
        label=_("Why the score differs from the monthly average"), max_length=500, required=False
    )
    strengths = forms.CharField(
        label=_("Strengths"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    improvements = forms.CharField(
        label=_("Points to improve"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    training_needs = forms.CharField(
        label=_("Training needs"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    probation_outcome = forms.ChoiceField(
        label=_("Probation outcome"),
        choices=[("", "---------"), *ProbationOutcome.choices],
        required=False,
    )
    probation_until = forms.DateField(
        label=_("Probation extended until"), required=False, widget=DATE
    )


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=2000, required=False)


class AppealForm(forms.Form):
    grounds = forms.CharField(
        label=_("Grounds of appeal"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ResolveForm(forms.Form):
    result = forms.CharField(
        label=_("Decision"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    score = forms.DecimalField(
        label=_("New score (if changed)"),
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
        required=False,
    )

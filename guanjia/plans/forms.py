"""The supervisor's pages' forms: they check the shape of the input and hand it to one
service, which checks the rules (one rule, one message, pages and API alike)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from guanjia.core.access import staff_holding
from guanjia.core.models import Community
from guanjia.estates.forms.common import DATE, BootstrapMixin
from guanjia.tickets.models import ServiceRequest

from .models import MeetingKind, PlanKind


class Form(BootstrapMixin, forms.Form):
    def __init__(self, *args: Any, community: Community | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.community = community
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField) and community is not None:
                field.queryset = staff_of(community)
        self._style()


def staff_of(community: Community) -> Any:
    """The staff who may be given an item or sign in: whoever sees the plans there today."""
    return staff_holding(
        ["plans.view_workplan"], company_id=community.company_id, community_id=community.pk
    ).order_by("full_name", "username")


def _text(label: Any, *, rows: int = 3, required: bool = False, max_length: int = 4000) -> Any:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _staff(label: Any, required: bool = True) -> forms.ModelChoiceField:
    """A staff member of the community (the queryset is set when the form is made)."""
    return forms.ModelChoiceField(queryset=_nobody(), label=label, required=required)


def _nobody() -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.none()


class MonthField(forms.CharField):
    """A month as YYYY-MM (or a date in it), cleaned to its first day."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "month", "maxlength": 10}))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> dt.date | None:  # type: ignore[override]
        text = str(value or "").strip()
        if not text:
            return None
        match = re.fullmatch(r"(\d{4})-(\d{1,2})(?:-\d{1,2})?", text[:20])
        if match is None or not 1 <= int(match.group(2)) <= 12:
            raise ValidationError(_("Enter a month as YYYY-MM."), code="invalid")
        return dt.date(int(match.group(1)), int(match.group(2)), 1)


class PlanForm(Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=PlanKind.choices)
    period = MonthField(label=_("Month (for an annual plan: any month of the year)"))
    title = forms.CharField(label=_("Title"), max_length=100)
    goals = _text(_("Goals"))


class PlanEditForm(Form):
    title = forms.CharField(label=_("Title"), max_length=100)
    goals = _text(_("Goals"))


class ItemForm(Form):
    title = forms.CharField(label=_("Item"), max_length=200)
    owner = _staff(_("Owner"), required=False)
    due_on = forms.DateField(label=_("Due on"), widget=DATE, required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class ProgressForm(Form):
    done_pct = forms.IntegerField(label=_("Done (%)"), min_value=0, max_value=100)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class NoteForm(Form):
    note = _text(_("Note"), rows=2, max_length=2000)


class CommentsForm(Form):
    comments = _text(_("Comments"), rows=3, required=True, max_length=2000)


class SummariseForm(Form):
    summary = _text(_("Summary of what was done"), rows=5, required=True)


class MeetingForm(Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=MeetingKind.choices)
    held_on = forms.DateField(label=_("Held on"), widget=DATE)
    review = _text(_("Review of last week"))
    topics = _text(_("Topics"), required=True)
    decisions = _text(_("Decisions"))


class MinutesForm(Form):
    review = _text(_("Review of last week"))
    topics = _text(_("Topics"), required=True)
    decisions = _text(_("Decisions"))


class SignInForm(Form):
    person = _staff(_("Attendee"))


class ActionForm(Form):
    title = forms.CharField(label=_("Action"), max_length=200)
    owner = _staff(_("Owner"), required=False)
    due_on = forms.DateField(label=_("Due on"), widget=DATE, required=False)


class CloseActionForm(Form):
    outcome = forms.CharField(label=_("What was done"), max_length=500)


class CaseForm(Form):
    title = forms.CharField(label=_("Title"), max_length=100)
    tickets = forms.CharField(
        label=_("Register entries"),
        max_length=500,
        required=False,
        help_text=_("Their numbers, separated by commas or spaces."),
    )
    facts = _text(_("What happened"), rows=4, required=True)
    cause = _text(_("Cause analysis"), rows=4, required=True)
    lesson = _text(_("Lesson"), rows=3, required=True)
    used_in_training = forms.BooleanField(label=_("Used in training"), required=False)

    def clean_tickets(self) -> list[ServiceRequest]:
        numbers = [n for n in re.split(r"[\s,，、;；]+", self.cleaned_data["tickets"]) if n]
        found = {
            r.number: r
            for r in ServiceRequest.objects.filter(community=self.community, number__in=numbers)
        }
        missing = [n for n in numbers if n not in found]
        if missing:
            raise ValidationError(
                _("No register entry %(numbers)s in this community.")
                % {"numbers": ", ".join(missing)},
                code="unknown",
            )
        return [found[n] for n in dict.fromkeys(numbers)]


class SummaryForm(Form):
    month = MonthField(label=_("Month"))


class SummaryTextForm(Form):
    highlights = _text(_("Work done"), rows=5)
    problems = _text(_("Problems"), rows=4)
    next_steps = _text(_("Next month"), rows=4)


class ReturnForm(Form):
    note = _text(_("What must change"), rows=3, required=True, max_length=2000)


class CheckForm(Form):
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

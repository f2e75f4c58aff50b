"""Shapes of input for the calendar pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ExceptionKind, WorkingSchedule
from .services import OfficeHours

FIRST_YEAR, LAST_YEAR = 2000, 2100  # dates the calendar pages accept

WEEKDAY_CHOICES = [
    (1, _("Monday")),
    (2, _("Tuesday")),
    (3, _("Wednesday")),
    (4, _("Thursday")),
    (5, _("Friday")),
    (6, _("Saturday")),
    (7, _("Sunday")),
]


class Scope:
    COMMUNITY = "community"
    COMPANY = "company"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs={"class": "form-control", **(attrs or {})}, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self) -> None:
        super().__init__(attrs={"class": "form-control"}, format="%H:%M")


def _check_year(day: dt.date) -> dt.date:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise forms.ValidationError(
            _("Choose a date between %(first)s and %(last)s."),
            code="year",
            params={"first": FIRST_YEAR, "last": LAST_YEAR},
        )
    return day


class HolidayForm(forms.Form):
    """An exception to the working week: its date, kind, name and (when new) its scope."""

    date = forms.DateField(label=_("Date"), widget=DateInput())
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=ExceptionKind.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        help_text=_("A day off on a working day, or a make-up working day on a rest day."),
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=30,
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": _("e.g. 春节")}),
    )
    scope = forms.ChoiceField(
        label=_("Applies to"),
        choices=[
            (Scope.COMMUNITY, _("This community only")),
            (Scope.COMPANY, _("Every community of the company")),
        ],
        initial=Scope.COMMUNITY,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args: Any, with_scope: bool, allow_company: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not with_scope:
            del self.fields["scope"]
        elif not allow_company:
            self.fields["scope"].choices = self.fields["scope"].choices[:1]  # type: ignore[attr-defined]

    def clean_date(self) -> dt.date:
        return _check_year(self.cleaned_data["date"])

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the day a name."), code="blank")
        result: str = name
        return result


class WorkingScheduleForm(forms.Form):
    """The working week and office hours of a community or of the company default."""

    weekdays = forms.TypedMultipleChoiceField(
        label=_("Working days"),
        choices=WEEKDAY_CHOICES,
        coerce=int,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        error_messages={"required": _("Choose at least one working day.")},
    )
    morning_opens = forms.TimeField(label=_("Morning opens"), widget=TimeInput())
    morning_closes = forms.TimeField(label=_("Morning closes"), widget=TimeInput())
    afternoon_opens = forms.TimeField(
        label=_("Afternoon opens"), required=False, widget=TimeInput()
    )
    afternoon_closes = forms.TimeField(
        label=_("Afternoon closes"),
        required=False,
        widget=TimeInput(),
        help_text=_("Leave both afternoon times empty for one continuous period."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens, closes = data.get("morning_opens"), data.get("morning_closes")
        after_opens, after_closes = data.get("afternoon_opens"), data.get("afternoon_closes")
        if opens and closes and closes <= opens:
            self.add_error("morning_closes", _("The morning must close after it opens."))
        if (after_opens is None) != (after_closes is None):
            self.add_error("afternoon_closes", _("Give both afternoon times, or leave both empty."))
        elif after_opens and after_closes and closes:
            if after_opens < closes:
                self.add_error("afternoon_opens", _("The afternoon must open after the morning."))
            elif after_closes <= after_opens:
                self.add_error("afternoon_closes", _("The afternoon must close after it opens."))
        return data

    @classmethod
    def initial_from(cls, row: WorkingSchedule | None) -> dict[str, Any]:
        row = row or WorkingSchedule()
        return {
            "weekdays": sorted(row.weekdays),
            **{field: getattr(row, field) for field in cls.base_fields if field != "weekdays"},
        }

    def hours(self) -> OfficeHours:
        data = self.cleaned_data
        return OfficeHours(
            data["morning_opens"],
            data["morning_closes"],
            data.get("afternoon_opens"),
            data.get("afternoon_closes"),
        )

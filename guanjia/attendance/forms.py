"""The attendance pages' forms: they check the input's shape; the services decide."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanjia.core.access import User, staff_holding
from guanjia.core.models import Community
from guanjia.desk.models import Post, Shift

from .models import LeaveKind, RosterEntry, SwapKind

ROSTERED = "attendance.be_rostered"
DATE = forms.DateInput(attrs={"type": "date"})
WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


def staff_of(community: Community) -> Any:
    return staff_holding([ROSTERED], company_id=community.company_id, community_id=community.pk)


class StaffChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name or obj.username} {obj.staff_no}".strip()


class Form(forms.Form):
    """Bootstrap classes on every widget; `community` limits the choices."""

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.community = community
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.HiddenInput):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)


class PlanForm(Form):
    post = forms.ModelChoiceField(label=_("Post"), queryset=Post.objects.none())
    shift = forms.ModelChoiceField(label=_("Shift"), queryset=Shift.objects.none())
    employee = StaffChoice(label=_("Employee"), queryset=Shift.objects.none())
    first = forms.DateField(label=_("From"), widget=DATE)
    last = forms.DateField(label=_("To"), widget=DATE)
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Only on"),
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty for every day."),
    )

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, community=community, **kwargs)
        fields: Any = self.fields
        fields["post"].queryset = Post.objects.filter(community=community, is_active=True)
        fields["shift"].queryset = Shift.objects.filter(community=community).select_related("post")
        fields["employee"].queryset = staff_of(community)


class SwapForm(Form):
    entry = forms.ModelChoiceField(label=_("Your shift"), queryset=RosterEntry.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=SwapKind.choices)
    substitute = StaffChoice(label=_("Substitute"), queryset=Shift.objects.none())
    other_entry = forms.ModelChoiceField(
        label=_("Shift you take in exchange"),
        queryset=RosterEntry.objects.none(),
        required=False,
        help_text=_("For a swap: the substitute's shift on the same post."),
    )
    explanation = forms.CharField(label=_("Why"), max_length=500)

    def __init__(self, *args: Any, community: Community, user: User, **kwargs: Any) -> None:
        super().__init__(*args, community=community, **kwargs)
        today = timezone.localdate()
        upcoming = RosterEntry.objects.filter(community=community, day__gte=today).select_related(
            "post", "shift"
        )
        fields: Any = self.fields
        fields["entry"].queryset = upcoming.filter(employee=user)
        fields["other_entry"].queryset = upcoming.exclude(employee=user)
        fields["substitute"].queryset = staff_of(community)


class LeaveForm(Form):
    kind = forms.ChoiceField(label=_("Type"), choices=LeaveKind.choices)
    starts_on = forms.DateField(label=_("From"), widget=DATE)
    ends_on = forms.DateField(label=_("To"), widget=DATE)
    explanation = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    attachment = forms.FileField(
        label=_("Attachment"),
        required=False,
        help_text=_("Sick leave: the medical certificate (PDF or a photo)."),
    )


class MissingPunchForm(Form):
    at = forms.DateTimeField(
        label=_("Should have punched at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    explanation = forms.CharField(label=_("Explanation"), max_length=500)


class DecisionForm(Form):
    reason = forms.CharField(label=_("Reason (when rejecting)"), max_length=500, required=False)


class ColumnsForm(Form):
    staff_no = forms.CharField(label=_("Staff number column"), max_length=40)
    punched_at = forms.CharField(label=_("Date and time column"), max_length=40, required=False)
    date = forms.CharField(label=_("Date column"), max_length=40, required=False)
    time = forms.CharField(label=_("Time column"), max_length=40, required=False)


class UploadForm(Form):
    file = forms.FileField(
        label=_("Punch file"), help_text=_("The attendance machine's export, .xlsx or .csv.")
    )


class NoteForm(Form):
    note = forms.CharField(label=_("What is to be corrected"), max_length=500)


class AllowanceForm(Form):
    employee = StaffChoice(label=_("Employee"), queryset=Shift.objects.none())
    year = forms.IntegerField(label=_("Year"))
    days = forms.IntegerField(label=_("Annual leave days"))

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, community=community, **kwargs)
        fields: Any = self.fields
        fields["employee"].queryset = staff_of(community)


def parse_month(value: str | None) -> dt.date | None:
    """`YYYY-MM` as the month's first day; None when it is not one."""
    try:
        return dt.date.fromisoformat(f"{value}-01") if value else None
    except ValueError:
        return None

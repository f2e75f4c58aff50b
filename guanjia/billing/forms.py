"""Input shapes of billing pages."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanjia.core.models import Community
from guanjia.estates.models import Person, PersonKind, UnitKind, UnitStatus

from .models import FeeItem, FeeStandard, FeeStandardVersion, Meter
from .services.standards import EDITABLE_FIELDS

MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


def parse_month(value: str) -> dt.date:
    """'2024-03' -> date(2024, 3, 1); anything else, or a month that does not exist, refused."""
    match = MONTH.match((value or "").strip())
    if match:
        year, month = int(match.group(1)), int(match.group(2))
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return dt.date(year, month, 1)
    raise ValidationError(
        _("Enter a month that exists, as YYYY-MM (e.g. 2024-03)."), code="bad_period"
    )


def style(form: forms.BaseForm) -> None:
    """Bootstrap classes on every widget (form-select for choices, form-check for boxes)."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs["class"] = css


class MonthField(forms.CharField):
    """A month as YYYY-MM, cleaned to the first day of that month."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Month"))
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "month"}))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> dt.date:
        if self.required and value in self.empty_values:
            raise ValidationError(self.error_messages["required"], code="required")
        return parse_month(str(value)[:20])


class RunForm(forms.Form):
    """Which month and fee item to bill in the current community."""

    period = MonthField()
    fee_item = forms.ModelChoiceField(queryset=FeeItem.objects.none(), label=_("Fee item"))

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["fee_item"]
        field.queryset = FeeItem.objects.filter(company_id=community.company_id, is_active=True)
        style(self)


class RunPostForm(RunForm):
    """Posting what the preview showed: its fingerprint and the cashier's confirmation."""

    fingerprint = forms.RegexField(
        regex=r"^[0-9a-f]{64}$",
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Preview the run first, then post it from the preview."),
            "invalid": _("Preview the run first, then post it from the preview."),
        },
    )
    confirm = forms.BooleanField(
        label=_("I have checked the lines, totals and warnings above."),
        error_messages={"required": _("Tick the box to confirm that you checked the preview.")},
    )


class RateVersionForm(forms.ModelForm):
    class Meta:
        model = FeeStandardVersion
        fields = ["rate", "effective_from", "effective_to", "approval_ref"]
        widgets = {
            "effective_from": forms.DateInput(attrs={"type": "date"}),
            "effective_to": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style(self)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        error_messages={"required": _("Give a reason for the reversal.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style(self)


class MonthCloseForm(forms.Form):
    period = MonthField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style(self)


class ReadingForm(forms.Form):
    """A month's reading of one of the community's meters."""

    meter = forms.ModelChoiceField(queryset=Meter.objects.none(), label=_("Meter"))
    period = MonthField()
    value = forms.DecimalField(label=_("Reading"), min_value=0, decimal_places=2, max_digits=12)
    read_on = forms.DateField(label=_("Read on"), widget=forms.DateInput(attrs={"type": "date"}))
    replacement = forms.BooleanField(label=_("Meter replaced"), required=False)
    old_meter_final = forms.DecimalField(
        label=_("Old meter's final reading"),
        required=False,
        min_value=0,
        decimal_places=2,
        max_digits=12,
    )

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["meter"]
        field.queryset = Meter.objects.in_community(community).filter(is_active=True)
        style(self)


class FeeItemForm(forms.ModelForm):
    class Meta:
        model = FeeItem
        fields = ["code", "name", "category", "gl_code", "priority"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style(self)


class FeeStandardForm(forms.ModelForm):
    """A new standard of the current community (rates are added on its page)."""

    class Meta:
        model = FeeStandard
        fields = ["fee_item", "name", "method", "cycle", "billed_in", "rounding"]
        fields += ["vacant_discount", "payer_rule"]

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["fee_item"]
        field.queryset = FeeItem.objects.filter(company_id=community.company_id, is_active=True)
        style(self)


class UnitExceptionForm(forms.Form):
    """A unit's exception to one of its community's standards: exempt (no rate) or its own
    rate, from a date, optionally until a date."""

    standard = forms.ModelChoiceField(queryset=FeeStandard.objects.none(), label=_("Standard"))
    starts_on = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    rate = forms.DecimalField(
        label=_("Own rate"),
        required=False,
        max_digits=12,
        decimal_places=4,
        help_text=_("Empty: the unit is exempt for these dates."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=200)

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["standard"]
        field.queryset = FeeStandard.objects.in_community(community).select_related("fee_item")
        style(self)

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The end date must not be before the start date."))
        return data


class FeeStandardEditForm(forms.ModelForm):
    """A standard's own fields; the method is fixed once a run has billed the standard."""

    unit_kinds = forms.MultipleChoiceField(
        label=_("Unit types"),
        choices=UnitKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every unit type."),
    )
    unit_statuses = forms.MultipleChoiceField(
        label=_("Unit statuses"),
        choices=UnitStatus.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every status."),
    )

    class Meta:
        model = FeeStandard
        fields = list(EDITABLE_FIELDS)

    def __init__(self, *args: Any, method_locked: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        community = self.instance.community
        fields: Any = self.fields
        current = self.instance
        fields["developer"].queryset = Person.objects.filter(community=community).filter(
            Q(kind=PersonKind.ORGANISATION) | Q(pk=current.developer_id)
        )
        fields["common_meter"].queryset = Meter.objects.in_community(community).filter(
            Q(unit__isnull=True) | Q(pk=current.common_meter_id)
        )
        if method_locked:
            fields["method"].disabled = True
            fields["method"].help_text = _("A run billed this standard: the method is fixed.")
        style(self)
        for name in ("unit_kinds", "unit_statuses"):
            fields[name].widget.attrs["class"] = "list-unstyled"


class ApproveForm(forms.Form):
    approval_ref = forms.CharField(
        label=_("Approval reference"),
        max_length=60,
        required=False,  # the service says what is missing
        help_text=_("Price-authority filing or owners' assembly decision (文号)."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style(self)


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason for rejection"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style(self)


class LateFeeAsOfForm(forms.Form):
    """The day to count late fees to (today when not given)."""

    on = forms.DateField(
        label=_("As of"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean_on(self) -> dt.date | None:
        day: dt.date | None = self.cleaned_data["on"]
        today = timezone.localdate()
        earliest, latest = today - dt.timedelta(days=20 * 366), today + dt.timedelta(days=366)
        if day is not None and not earliest <= day <= latest:
            raise forms.ValidationError(
                _("Choose a day within the last twenty years and at most a year ahead.")
            )
        return day

"""Forms of the Policies pages: search, set a value, propose a value, decide a proposal."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.duration import duration_string
from django.utils.translation import gettext_lazy as _

from .catalogue import SECTIONS
from .registry import Kind, PolicySpec, all_specs


class PolicySearchForm(forms.Form):
    """The list's filters: a search text and a spec section."""

    q = forms.CharField(label=_("Search"), required=False, max_length=80)
    section = forms.ChoiceField(label=_("Section"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sections = sorted({spec.section for spec in all_specs()})
        section = cast(forms.ChoiceField, self.fields["section"])
        section.choices = [("", _("All sections"))] + [
            (code, f"§{code} {SECTIONS.get(code, '')}") for code in sections
        ]

    def matching(self) -> list[PolicySpec]:
        """The specs that match the valid filters (all of them when the form is invalid)."""
        specs = all_specs()
        if not self.is_valid():
            return specs
        query = self.cleaned_data["q"].strip().lower()
        section = self.cleaned_data["section"]
        return [
            spec
            for spec in specs
            if (not section or spec.section == section)
            and (not query or query in spec.key or query in str(spec.label).lower())
        ]


def initial_text(spec: PolicySpec, value: Any) -> Any:
    """`value` as the form field shows it."""
    if spec.kind == Kind.LIST and spec.choices:
        return list(value)
    if spec.kind == Kind.LIST:
        return ", ".join(value)
    if spec.kind == Kind.BOOLEAN:
        return "true" if value else "false"
    if spec.kind == Kind.DURATION:
        return duration_string(value)
    if spec.kind == Kind.TIME_WINDOW:
        return ", ".join(f"{start:%H:%M}-{end:%H:%M}" for start, end in value)
    return spec.to_primitive(value)


def _value_field(spec: PolicySpec) -> forms.Field:
    """A field that hands the raw input to the spec, which parses and checks it."""
    common: dict[str, Any] = {"label": spec.label, "help_text": spec.help_text}
    choices = [(code, str(label)) for code, label in spec.allowed_choices()]
    if spec.kind == Kind.LIST and choices:
        return forms.Field(widget=forms.CheckboxSelectMultiple(choices=choices), **common)
    if spec.kind in (Kind.CHOICE, Kind.WEEKDAY):
        return forms.CharField(widget=forms.Select(choices=choices), **common)
    if spec.kind == Kind.BOOLEAN:
        yes_no = [("true", _("Yes")), ("false", _("No"))]
        return forms.CharField(widget=forms.Select(choices=yes_no), **common)
    attrs: dict[str, str] = {"class": "form-control"}
    if spec.kind in (Kind.INTEGER, Kind.DECIMAL, Kind.MONEY):
        attrs["inputmode"] = "numeric" if spec.kind == Kind.INTEGER else "decimal"
    elif spec.kind == Kind.TIME:
        attrs["placeholder"] = "08:30"
    elif spec.kind == Kind.TIME_WINDOW:
        attrs["placeholder"] = "08:00-12:00, 14:00-18:00"
    return forms.CharField(widget=forms.TextInput(attrs=attrs), strip=True, **common)


class PolicyValueForm(forms.Form):
    """A new value for one key: the value, from when, and why."""

    effective_from = forms.DateField(
        label=_("Effective from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, spec: PolicySpec, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.spec = spec
        self.fields = {"value": _value_field(spec), **self.fields}
        self.fields["effective_from"].initial = timezone.localdate()
        for field in self.fields.values():
            if isinstance(field.widget, (forms.Select,)):
                field.widget.attrs.setdefault("class", "form-select")
            elif not isinstance(field.widget, forms.CheckboxSelectMultiple):
                field.widget.attrs.setdefault("class", "form-control")

    def clean_value(self) -> Any:
        return self.spec.clean(self.cleaned_data["value"])

    def clean_effective_from(self) -> dt.date:
        day: dt.date = self.cleaned_data["effective_from"]
        if day < timezone.localdate():
            raise forms.ValidationError(_("The effective date cannot be in the past."))
        return day


class DecisionForm(forms.Form):
    """The note of an approval (optional) or a rejection (required)."""

    note = forms.CharField(label=_("Note"), max_length=500, required=False)

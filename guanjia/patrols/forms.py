"""The patrol pages' forms: they call the services, never save models themselves."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from guanjia.core.models import Community
from guanjia.estates.models import Building, Zone

from .actions import actions
from .models import CheckpointKind, PlanTemplate


class PatrolForm(forms.Form):
    """Base: Bootstrap classes on every widget but the radio buttons and check boxes."""

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.community = community
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect | forms.HiddenInput | forms.CheckboxInput):
                continue
            if isinstance(widget, forms.CheckboxSelectMultiple):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)


def _rows(field: forms.Field, queryset: Any) -> None:
    field.queryset = queryset  # type: ignore[attr-defined]


class CheckpointForm(PatrolForm):
    zone = forms.ModelChoiceField(label=_("Zone"), queryset=Zone.objects.none())
    kind = forms.ChoiceField(label=_("Type"), choices=CheckpointKind.choices)
    name = forms.CharField(label=_("Name"), max_length=60)
    building = forms.ModelChoiceField(
        label=_("Building"), queryset=Building.objects.none(), required=False
    )

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, community=community, **kwargs)
        _rows(self.fields["zone"], Zone.objects.in_community(community))
        _rows(self.fields["building"], Building.objects.in_community(community))


class ChecklistItemForm(PatrolForm):
    kind = forms.ChoiceField(label=_("Type"), choices=CheckpointKind.choices)
    text = forms.CharField(label=_("What is checked"), max_length=120)


class TemplateForm(PatrolForm):
    name = forms.CharField(label=_("Name"), max_length=60)
    kinds = forms.MultipleChoiceField(
        label=_("Checkpoint types"),
        choices=CheckpointKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    per_day = forms.IntegerField(label=_("Patrols per working day"), required=False)
    focus = forms.CharField(label=_("Focus"), max_length=300, required=False)


class PlanForm(PatrolForm):
    zone = forms.ModelChoiceField(label=_("Zone"), queryset=Zone.objects.none())
    month = forms.DateField(
        label=_("Month"),
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
    )
    template = forms.ModelChoiceField(
        label=_("Template"), queryset=PlanTemplate.objects.none(), required=False
    )
    per_day = forms.IntegerField(label=_("Patrols per working day"), required=False)
    focus = forms.CharField(label=_("Focus"), max_length=300, required=False)

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, community=community, **kwargs)
        _rows(self.fields["zone"], Zone.objects.in_community(community))
        _rows(self.fields["template"], PlanTemplate.objects.in_community(community))


class MonthForm(PatrolForm):
    month = forms.DateField(
        label=_("Month"),
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
    )


class ScanForm(PatrolForm):
    code = forms.CharField(
        label=_("Label code"),
        max_length=300,
        widget=forms.TextInput(attrs={"autocomplete": "off", "data-scan-input": ""}),
    )


class FindingForm(PatrolForm):
    description = forms.CharField(
        label=_("Description"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    location = forms.CharField(label=_("Location"), max_length=100, required=False)


class PhotoForm(PatrolForm):
    image = forms.FileField(label=_("Photo"))


class TalkForm(PatrolForm):
    name = forms.CharField(label=_("Resident"), max_length=50, required=False)
    said = forms.CharField(
        label=_("What they said"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class NoteForm(PatrolForm):
    note = forms.CharField(
        label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReasonForm(PatrolForm):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class ActionForm(PatrolForm):
    kind = forms.ChoiceField(label=_("Action"))
    category = forms.ChoiceField(label=_("Kind of repair"), required=False)
    urgency = forms.ChoiceField(label=_("Urgency"), required=False)
    violation_kind = forms.ChoiceField(label=_("Type of violation"), required=False)
    responsible = forms.ChoiceField(label=_("Responsible"), required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        from guanjia.tickets.models import RepairCategory, Urgency
        from guanjia.violations.models import Responsible, ViolationType

        super().__init__(*args, community=community, **kwargs)
        self.fields["kind"].choices = [(a.kind, a.label) for a in actions()]  # type: ignore[attr-defined]
        self.fields["category"].choices = [("", "—"), *RepairCategory.choices]  # type: ignore[attr-defined]
        self.fields["urgency"].choices = [  # type: ignore[attr-defined]
            (Urgency.ORDINARY, Urgency.ORDINARY.label),
            (Urgency.EMERGENCY, Urgency.EMERGENCY.label),
        ]
        types = ViolationType.objects.for_community(community)
        self.fields["violation_kind"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *((str(kind.pk), str(kind)) for kind in types),
        ]
        self.fields["responsible"].choices = Responsible.choices  # type: ignore[attr-defined]


class SpotCheckForm(PatrolForm):
    agrees = forms.TypedChoiceField(
        label=_("The record matches what was seen"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note"), max_length=1000, required=False)


class ReviewForm(PatrolForm):
    week = forms.DateField(label=_("Week of"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(
        label=_("Review"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class StormForm(PatrolForm):
    reason = forms.CharField(label=_("Alert"), max_length=300)

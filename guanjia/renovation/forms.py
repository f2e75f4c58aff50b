"""The renovation pages' forms: they call the services, never save models themselves."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from guanjia.core.models import Community
from guanjia.estates.models import Unit

from .models import (
    ApplicantKind,
    CheckItem,
    Contractor,
    Outcome,
    PlanKind,
    ScopeItem,
    WorksKind,
)
from .services import CHECKS

DATE = forms.DateInput(attrs={"type": "date"})


class MultiFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


def _style(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(
            widget, forms.CheckboxInput | forms.CheckboxSelectMultiple | forms.HiddenInput
        ):
            continue
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs.setdefault("class", css)


class StyledForm(forms.Form):
    def __init__(self, *args: Any, community: Community | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.community = community
        _style(self)


class ContractorForm(forms.ModelForm):
    class Meta:
        model = Contractor
        fields = [
            "name",
            "licence_no",
            "qualification",
            "person_in_charge",
            "phone",
            "fire_safety_person",
        ]

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.community = community
        self.instance.community = community
        _style(self)

    def validate_unique(self) -> None:
        """The service checks the licence no. (one message, pages and API alike)."""


class BanForm(StyledForm):
    reason = forms.CharField(label=_("Reason"), max_length=500)
    until = forms.DateField(
        label=_("Banned until"),
        required=False,
        widget=DATE,
        help_text=_("Empty: until further notice."),
    )


class ApplyForm(StyledForm):
    """The application form (装修申请表): one description per item of the works."""

    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    kind = forms.ChoiceField(label=_("Type"), choices=WorksKind.choices)
    applicant_kind = forms.ChoiceField(label=_("Applicant"), choices=ApplicantKind.choices)
    applicant_name = forms.CharField(label=_("Applicant's name"), max_length=50)
    applicant_phone = forms.CharField(label=_("Applicant's phone"), max_length=30)
    owner_consent = forms.CharField(
        label=_("Owner's consent (tenant)"),
        max_length=200,
        required=False,
        help_text=_("For a tenant: how the owner consented (letter, signed form, call)."),
    )
    contractor = forms.ModelChoiceField(label=_("Contractor"), queryset=Contractor.objects.none())
    planned_start = forms.DateField(label=_("Planned start"), widget=DATE)
    planned_end = forms.DateField(label=_("Planned end"), widget=DATE)

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, community=community, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(community=community)  # type: ignore[attr-defined]
        self.fields["contractor"].queryset = Contractor.objects.filter(community=community)  # type: ignore[attr-defined]
        for value, label in ScopeItem.choices:
            self.fields[f"item_{value}"] = forms.CharField(
                label=label,
                max_length=500,
                required=False,
                widget=forms.TextInput(
                    attrs={
                        "class": "form-control",
                        "placeholder": _("Description (empty: not done)"),
                    }
                ),
            )
        self.fields["items"] = forms.CharField(required=False, widget=forms.HiddenInput)

    def scope(self) -> dict[str, str]:
        return {
            value: self.cleaned_data[f"item_{value}"]
            for value in ScopeItem.values
            if self.cleaned_data.get(f"item_{value}", "").strip()
        }


class PlanForm(StyledForm):
    kind = forms.ChoiceField(label=_("Document"), choices=PlanKind.choices)
    file = forms.FileField(label=_("File (PDF or picture)"))


class WorkerForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=50)
    id_number = forms.CharField(label=_("ID number"), max_length=30)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    photo = forms.FileField(label=_("Photo"), required=False)


class NoteForm(StyledForm):
    note = forms.CharField(
        label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class OpinionForm(StyledForm):
    opinion = forms.CharField(
        label=_("Opinion"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ExtendForm(StyledForm):
    new_end = forms.DateField(label=_("Requested end"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), max_length=500)


class InspectionForm(StyledForm):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    breaches = forms.MultipleChoiceField(
        label=_("Breaches found"),
        choices=CheckItem.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    instruction = forms.CharField(label=_("Instruction given"), max_length=500, required=False)
    note = forms.CharField(
        label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    photos = forms.FileField(
        label=_("Photos"),
        required=False,
        widget=MultiFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )


class AcceptanceForm(StyledForm):
    defects = forms.CharField(
        label=_("Defects to rectify"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, label in CHECKS.items():
            self.fields[f"check_{name}"] = forms.BooleanField(label=label, required=False)

    def checks(self) -> dict[str, bool]:
        return {name: bool(self.cleaned_data.get(f"check_{name}")) for name in CHECKS}


class RefundForm(StyledForm):
    payee = forms.CharField(label=_("Payee (the person who paid the deposit)"), max_length=100)
    deductions = forms.CharField(
        label=_("Deductions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One a line: item | amount in yuan | reason."),
    )


class DecideForm(StyledForm):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("approve", _("Approve")), ("reject", _("Reject"))]
    )
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class PayForm(StyledForm):
    reference = forms.CharField(label=_("Payment voucher no."), max_length=60)


class KpiForm(StyledForm):
    start = forms.DateField(label=_("From"), widget=DATE)
    end = forms.DateField(label=_("To"), widget=DATE)

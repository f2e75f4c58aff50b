"""Page forms of the passes app; they check the fields and call services."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guanjia.core.models import Community
from guanjia.estates.forms.common import DATE, BootstrapMixin
from guanjia.estates.models import Unit

from .models import ApplicantRole, GroupKind, GroupStatus, PassGroup, PassKind, ReleaseSlip

SIGNATURE = forms.CharField(required=False, widget=forms.HiddenInput(attrs={"data-signature": ""}))


class Form(BootstrapMixin, forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()


class ScopedForm(Form):
    """A form whose choices are one community's rows."""

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.community = community
        if "unit" in self.fields:
            self.fields["unit"].queryset = Unit.objects.in_community(community)  # type: ignore[attr-defined]
        if "group" in self.fields:
            self.fields["group"].queryset = PassGroup.objects.in_community(community).filter(  # type: ignore[attr-defined]
                status=GroupStatus.ACTIVE
            )


class PassForm(ScopedForm):
    kind = forms.ChoiceField(
        label=gettext_lazy("Type"),
        choices=[(k, v) for k, v in PassKind.choices if k != PassKind.VISITOR],
    )
    holder_name = forms.CharField(label=gettext_lazy("Holder"), max_length=50)
    id_number = forms.CharField(label=gettext_lazy("ID number"), max_length=30)
    phone = forms.CharField(label=gettext_lazy("Phone"), max_length=20, required=False)
    photo = forms.FileField(label=gettext_lazy("Photo"))
    unit = forms.ModelChoiceField(label=gettext_lazy("Unit"), queryset=Unit.objects.none())
    group = forms.ModelChoiceField(
        label=gettext_lazy("Pass group"), queryset=PassGroup.objects.none(), required=False
    )
    employer = forms.CharField(
        label=gettext_lazy("Employer or contractor"), max_length=100, required=False
    )
    valid_from = forms.DateField(label=gettext_lazy("Valid from"), required=False, widget=DATE)
    valid_to = forms.DateField(
        label=gettext_lazy("Valid to"),
        required=False,
        widget=DATE,
        help_text=gettext_lazy(
            "Empty: the longest the type allows (a tenant pass: the lease end)."
        ),
    )


class VisitorForm(ScopedForm):
    holder_name = forms.CharField(label=gettext_lazy("Visitor"), max_length=50)
    id_number = forms.CharField(label=gettext_lazy("ID number"), max_length=30)
    phone = forms.CharField(label=gettext_lazy("Phone"), max_length=20, required=False)
    unit = forms.ModelChoiceField(label=gettext_lazy("Host's unit"), queryset=Unit.objects.none())
    host_called = forms.BooleanField(label=gettext_lazy("Host called and agreed"), required=False)


class RenewForm(Form):
    valid_to = forms.DateField(label=gettext_lazy("New end"), widget=DATE)


class ChangeForm(ScopedForm):
    unit = forms.ModelChoiceField(
        label=gettext_lazy("Unit"), queryset=Unit.objects.none(), required=False
    )
    employer = forms.CharField(
        label=gettext_lazy("Employer or contractor"), max_length=100, required=False
    )
    phone = forms.CharField(label=gettext_lazy("Phone"), max_length=20, required=False)
    photo = forms.FileField(label=gettext_lazy("Photo"), required=False)


class RefundForm(Form):
    amount = forms.DecimalField(
        label=gettext_lazy("Amount refunded"),
        max_digits=10,
        decimal_places=2,
        required=False,
        help_text=gettext_lazy("Empty: all the deposit held."),
    )
    note = forms.CharField(label=gettext_lazy("Note"), max_length=500, required=False)


class ReasonForm(Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=500)


class NoteForm(Form):
    note = forms.CharField(label=gettext_lazy("Note"), max_length=500, required=False)


class ReissueForm(Form):
    photo = forms.FileField(
        label=gettext_lazy("New photo"),
        required=False,
        help_text=gettext_lazy("Empty: the lost pass's photo."),
    )


class GroupForm(Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=GroupKind.choices)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)
    sponsor = forms.CharField(
        label=gettext_lazy("Sponsor"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("What the group belongs to, e.g. renovation:123."),
    )


class GateForm(Form):
    number = forms.CharField(
        label=gettext_lazy("Pass number"),
        max_length=80,
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "off", "inputmode": "text"}
        ),
    )


_ITEM_LINE = re.compile(r"^(?P<item>.+?)[\s×xX*,，]+(?P<qty>\d{1,5})$")


class SlipForm(ScopedForm):
    unit = forms.ModelChoiceField(label=gettext_lazy("Unit"), queryset=Unit.objects.none())
    applicant_name = forms.CharField(label=gettext_lazy("Applicant"), max_length=50)
    applicant_role = forms.ChoiceField(
        label=gettext_lazy("Applicant is"), choices=ApplicantRole.choices
    )
    id_number = forms.CharField(label=gettext_lazy("Applicant's ID number"), max_length=30)
    owner_confirmation = forms.CharField(
        label=gettext_lazy("Owner's confirmation"),
        max_length=200,
        required=False,
        help_text=gettext_lazy(
            "A tenant or agent: how the owner confirmed (in person, by phone at …)."
        ),
    )
    items = forms.CharField(
        label=gettext_lazy("Items"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("One item a line, its quantity at the end: 沙发 2"),
    )
    valid_from = forms.DateField(label=gettext_lazy("Date"), required=False, widget=DATE)
    vehicle_plate = forms.CharField(
        label=gettext_lazy("Vehicle plate"), max_length=12, required=False
    )

    def clean_items(self) -> list[tuple[str, int]]:
        lines = []
        for raw in self.cleaned_data["items"].splitlines():
            line = raw.strip()
            if not line:
                continue
            match = _ITEM_LINE.match(line)
            if match is None:
                raise forms.ValidationError(
                    _("“%(line)s”: put the quantity at the end of the line.") % {"line": line},
                    code="bad_line",
                )
            lines.append((match["item"].strip(), int(match["qty"])))
        return lines


class ReleaseForm(Form):
    carrier_name = forms.CharField(label=gettext_lazy("Carrier"), max_length=50)
    carrier_id = forms.CharField(label=gettext_lazy("Carrier's ID number"), max_length=30)
    plate = forms.CharField(label=gettext_lazy("Plate out"), max_length=12, required=False)
    note = forms.CharField(label=gettext_lazy("Note"), max_length=500, required=False)
    signature = SIGNATURE

    def __init__(self, *args: Any, slip: ReleaseSlip, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.item_fields: list[tuple[Any, str]] = []
        for item in slip.items.all():
            name = f"qty_{item.pk}"
            self.fields[name] = forms.IntegerField(
                label=f"{item.description} ({_('remaining')} {item.remaining})",
                min_value=0,
                max_value=item.remaining,
                initial=item.remaining,
            )
            self.fields[name].widget.attrs["class"] = "form-control"
            self.item_fields.append((item, name))

    def released(self) -> dict[int, int]:
        return {item.pk: self.cleaned_data[name] for item, name in self.item_fields}

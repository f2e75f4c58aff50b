"""Page forms of the move-in app; they call services, never save models themselves."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from guanjia.core.models import Community
from guanjia.estates.forms.common import BootstrapMixin, CommunityModelForm
from guanjia.estates.models import Building

from .models import PRECONDITIONS, DeliveryBatch, Responsible, VerifiedAs


def _signature() -> forms.CharField:
    return forms.CharField(required=False, widget=forms.HiddenInput(attrs={"data-signature": ""}))


class Form(BootstrapMixin, forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()


class BatchForm(CommunityModelForm):
    checked = forms.MultipleChoiceField(
        label=_("Preconditions checked by me"),
        choices=PRECONDITIONS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = DeliveryBatch
        fields = ["name", "buildings", "notice_date", "counter_from", "counter_to", "counter_hours"]
        widgets = {
            "notice_date": forms.DateInput(attrs={"type": "date"}),
            "counter_from": forms.DateInput(attrs={"type": "date"}),
            "counter_to": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        community: Community = self.community
        self.fields["buildings"].queryset = Building.objects.in_community(community)  # type: ignore[attr-defined]
        self.fields["counter_hours"].widget.attrs["placeholder"] = "09:00-17:00"


class TickForm(Form):
    code = forms.ChoiceField(label=_("Precondition"), choices=PRECONDITIONS)


class VerifyForm(Form):
    verified_as = forms.ChoiceField(label=_("Who came"), choices=VerifiedAs.choices)
    id_number = forms.CharField(label=_("ID number shown"), max_length=40, required=False)
    attorney_ref = forms.CharField(label=_("Power of attorney no."), max_length=60, required=False)
    all_owners_present = forms.BooleanField(
        label=_("All joint owners present"), required=False, initial=True
    )


class RegisterForm(Form):
    mobile = forms.CharField(label=_("Mobile phone"), max_length=20, required=False)
    emergency_name = forms.CharField(label=_("Emergency contact"), max_length=50, required=False)
    emergency_phone = forms.CharField(
        label=_("Emergency contact phone"), max_length=20, required=False
    )


class FeesForm(Form):
    receipt_no = forms.CharField(label=_("Receipt no."), max_length=40)
    prepaid_months = forms.IntegerField(label=_("Months prepaid"), min_value=0, max_value=12)


class SignForm(Form):
    signature = _signature()


class KeysForm(Form):
    count = forms.IntegerField(label=_("Keys"), min_value=1, max_value=50)
    description = forms.CharField(label=_("Key set"), max_length=100)
    signature = _signature()


class CardsForm(Form):
    count = forms.IntegerField(label=_("Access cards"), min_value=0, max_value=20)


class ReasonForm(Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class NoteForm(Form):
    note = forms.CharField(
        label=_("Note"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class DefectForm(Form):
    room = forms.ChoiceField(label=_("Room"))
    item = forms.ChoiceField(label=_("Item"))
    description = forms.CharField(label=_("Description"), max_length=500)
    photo = forms.FileField(label=_("Photo"), required=False)
    responsible = forms.ChoiceField(label=_("Rectified by"), choices=Responsible.choices)

    def __init__(self, *args: Any, rooms: list[str], items: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["room"].choices = [(r, r) for r in rooms]  # type: ignore[attr-defined]
        self.fields["item"].choices = [(i, i) for i in items]  # type: ignore[attr-defined]
        self.fields["photo"].widget.attrs.update(accept="image/*", capture="environment")


class InspectionSignForm(Form):
    water = forms.DecimalField(
        label=_("Water meter"), required=False, max_digits=10, decimal_places=2, min_value=0
    )
    power = forms.DecimalField(
        label=_("Electricity meter"), required=False, max_digits=10, decimal_places=2, min_value=0
    )
    gas = forms.DecimalField(
        label=_("Gas meter"), required=False, max_digits=10, decimal_places=2, min_value=0
    )
    owner_signature = _signature()
    inspector_signature = _signature()


class ReinspectForm(Form):
    passed = forms.TypedChoiceField(
        label=_("Result"),
        choices=[("yes", _("Passed")), ("no", _("Not passed"))],
        coerce=lambda v: v == "yes",
    )
    signer = forms.CharField(
        label=_("Signed off by (owner or agent)"), max_length=50, required=False
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    signature = _signature()


class TemplateForm(Form):
    rooms = forms.CharField(
        label=_("Rooms, one a line"), max_length=2000, widget=forms.Textarea(attrs={"rows": 6})
    )
    items = forms.CharField(
        label=_("Items, one a line"), max_length=4000, widget=forms.Textarea(attrs={"rows": 10})
    )

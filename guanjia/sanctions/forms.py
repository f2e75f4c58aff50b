"""The sanctions pages' forms: they check the shape of the input and hand it to one service,
which checks the rules (one rule, one message, pages and API alike)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from guanjia.core.models import Community
from guanjia.estates.forms.common import DATE, BootstrapMixin
from guanjia.renovation.models import Renovation

from .models import MEASURES, AppealDecision, Party, PersonKind, SanctionType, Source
from .models.table import measure_label

SIGNATURE = forms.CharField(required=False, widget=forms.HiddenInput(attrs={"data-signature": ""}))
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class Form(BootstrapMixin, forms.Form):
    def __init__(self, *args: Any, community: Community | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.community = community
        self._style()


def _text(label: Any, *, rows: int = 2, required: bool = False, max_length: int = 2000) -> Any:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _money(label: Any, *, required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, max_digits=12, decimal_places=2, required=required, initial=0
    )


def _measure_fields() -> dict[str, forms.BooleanField]:
    return {
        name: forms.BooleanField(label=measure_label(name), required=False) for name in MEASURES
    }


class ReportForm(Form):
    """A breach reported (人员违规处理记录: the report's part), on a guard's phone."""

    kind = forms.ModelChoiceField(label=_("Breach"), queryset=SanctionType.objects.none())
    person_kind = forms.ChoiceField(label=_("Person"), choices=PersonKind.choices)
    pass_number = forms.CharField(
        label=_("Pass no."),
        max_length=80,
        required=False,
        help_text=_("Typed or scanned: it names the person, the employer and the site."),
    )
    person_name = forms.CharField(label=_("Name"), max_length=50, required=False)
    employer = forms.CharField(label=_("Employer or contractor"), max_length=100, required=False)
    unidentified = forms.BooleanField(
        label=_("Refused to identify: escorted out, no re-entry"), required=False
    )
    place = forms.CharField(label=_("Place"), max_length=100)
    description = _text(_("What happened"), rows=3)
    occurred_at = forms.DateTimeField(
        label=_("Date and time"),
        required=False,
        widget=DATETIME,
        help_text=_("Empty: now."),
    )
    source = forms.ChoiceField(label=_("Found by"), choices=Source.choices, initial=Source.GUARD)
    resident_name = forms.CharField(
        label=_("Resident who reported it"), max_length=50, required=False
    )
    renovation_no = forms.CharField(
        label=_("Renovation no. (damage found later)"), max_length=30, required=False
    )
    photo = forms.FileField(label=_("Evidence photo"), required=False)

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, community=community, **kwargs)
        kinds: Any = self.fields["kind"]
        kinds.queryset = SanctionType.objects.usable(community)

    def clean_renovation_no(self) -> Renovation | None:
        number = (self.cleaned_data.get("renovation_no") or "").strip()
        if not number:
            return None
        found = Renovation.objects.filter(community=self.community, number=number).first()
        if found is None:
            raise forms.ValidationError(_("No renovation with this number in this community."))
        return found


class VerifyForm(Form):
    pass_number = forms.CharField(label=_("Pass no."), max_length=80, required=False)
    person_name = forms.CharField(label=_("Name"), max_length=50, required=False)
    employer = forms.CharField(label=_("Employer or contractor"), max_length=100, required=False)
    note = _text(_("What was checked"), required=True)


class DecideForm(Form):
    amount = _money(_("Amount (yuan)"))
    damage = _money(_("Damage to compensate (yuan)"))
    note = _text(_("Reasons of the decision"))

    def __init__(self, *args: Any, community: Community | None = None, **kwargs: Any) -> None:
        super().__init__(*args, community=community, **kwargs)
        self.fields.update(_measure_fields())
        self._style()

    def measures(self) -> dict[str, bool]:
        return {name: bool(self.cleaned_data.get(name)) for name in MEASURES}


class NotifyForm(Form):
    party = forms.ChoiceField(label=_("Party"), choices=Party.choices)
    signer = forms.CharField(label=_("Name of the signer"), max_length=50)
    signature = SIGNATURE
    refused_to_sign = forms.BooleanField(label=_("Refused to sign"), required=False)
    refusal_note = forms.CharField(label=_("Refusal recorded"), max_length=200, required=False)


class ExecuteForm(Form):
    note = _text(_("How it was executed"), required=True)
    police_ref = forms.CharField(label=_("Police reference"), max_length=60, required=False)
    ban_until = forms.DateField(label=_("Ban until (empty: for good)"), required=False, widget=DATE)


class AppealForm(Form):
    party = forms.ChoiceField(label=_("Appealed by"), choices=Party.choices)
    grounds = _text(_("Grounds of the appeal"), rows=3, required=True)


class DecideAppealForm(Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=AppealDecision.choices)
    amount = forms.DecimalField(
        label=_("New amount (when changed)"), max_digits=12, decimal_places=2, required=False
    )
    note = _text(_("Reasons of the decision"), required=True)


class NoteForm(Form):
    note = _text(_("Note"))


class PhotoForm(Form):
    image = forms.FileField(label=_("Photo"))


class TableLineForm(Form):
    name = forms.CharField(label=_("Breach"), max_length=60)
    default_amount = _money(_("Default amount (yuan)"))
    max_amount = _money(_("Highest amount (yuan)"))
    per_person = forms.BooleanField(label=_("Per person"), required=False)
    plus_damage = forms.BooleanField(label=_("Plus the cost of the damage"), required=False)
    active = forms.BooleanField(label=_("In use"), required=False)

    def __init__(self, *args: Any, community: Community | None = None, **kwargs: Any) -> None:
        super().__init__(*args, community=community, **kwargs)
        self.fields.update(_measure_fields())
        self._style()

    def measures(self) -> dict[str, bool]:
        return {name: bool(self.cleaned_data.get(name)) for name in MEASURES}


class KpiQuery(forms.Form):
    start = forms.DateField(label=_("From"), widget=DATE)
    end = forms.DateField(label=_("To"), widget=DATE)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and not (0 <= (end - start).days < 366):
            raise forms.ValidationError(_("Choose a period of one day to one year, start first."))
        return data

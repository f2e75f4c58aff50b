"""Page forms of the vacant units; they call services, never save models themselves."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from guanjia.core.access import staff_holding
from guanjia.core.models import Community
from guanjia.desk.models import Key
from guanjia.estates.forms.common import BootstrapMixin, CommunityModelForm
from guanjia.estates.models import Unit
from guanjia.tickets.models import RepairCategory

from .models import ExitReason, PowerState, VacantUnit
from .services import Checklist

DATE = forms.DateInput(attrs={"type": "date"})
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class Form(BootstrapMixin, forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()


class VacantUnitForm(CommunityModelForm):
    """Register a unit; an owner's long absence needs the three papers (the service says)."""

    authorisation = forms.FileField(
        label=_("Written authorisation"),
        required=False,
        help_text=_("For an owner's long absence: a scan or a photo of the signed letter."),
    )

    class Meta:
        model = VacantUnit
        fields = [
            "unit",
            "category",
            "since",
            "key",
            "water",
            "power",
            "notes",
            "requested_by",
            "entry_scope",
            "liability_waiver",
        ]
        widgets = {"since": DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.in_community(self.community)  # type: ignore[attr-defined]
        self.fields["key"].queryset = Key.objects.in_community(self.community).held()  # type: ignore[attr-defined]
        self.fields["since"].required = False


class VacancyUpdateForm(Form):
    key = forms.ModelChoiceField(
        label=_("Key in the cabinet"), queryset=Key.objects.none(), required=False
    )
    water = forms.ChoiceField(label=_("Water"), choices=PowerState.choices)
    power = forms.ChoiceField(label=_("Power"), choices=PowerState.choices)
    notes = forms.CharField(label=_("Notes"), max_length=500, required=False)

    def __init__(self, *args: Any, vacancy: VacantUnit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["key"].queryset = Key.objects.filter(  # type: ignore[attr-defined]
            community_id=vacancy.community_id, unit_id=vacancy.unit_id, released_at__isnull=True
        )


class LeaveForm(Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=ExitReason.choices)
    on = forms.DateField(label=_("Date"), required=False, widget=DATE)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class ViewingForm(Form):
    visitor_name = forms.CharField(label=_("Visitor"), max_length=50)
    visitor_phone = forms.CharField(label=_("Visitor's phone"), max_length=20, required=False)
    consent_by = forms.CharField(label=_("Consent given by"), max_length=50)
    consent = forms.FileField(label=_("Written consent"), required=False)
    accompanied_by = forms.ModelChoiceField(
        label=_("Accompanied by"), queryset=get_user_model().objects.none(), required=False
    )
    viewed_at = forms.DateTimeField(label=_("Viewed at"), required=False, widget=DATETIME)

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["accompanied_by"].queryset = staff_holding(  # type: ignore[attr-defined]
            ["vacant.view_vacantunit"], company_id=community.company_id, community_id=community.pk
        )


OK_PROBLEM = [("ok", _("OK")), ("problem", _("Problem"))]
YES_NO = [("yes", _("Yes")), ("no", _("No"))]
CHECK_ITEMS = [
    ("doors_ok", _("Doors, windows and locks closed and intact")),
    ("no_leaks", _("Leaks (ceilings, pipes, windows)")),
    ("no_damp", _("Damp, mould or odour")),
    ("fixtures_ok", _("Fixtures as at handover")),
    ("meters_still", _("Meters not running")),
    ("clean_ok", _("Cleanliness")),
]


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos from the phone's camera (the service checks each)."""

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(PhotosField, self).clean(f, initial) for f in files]


class InspectionForm(Form):
    """The checklist on a phone: each item answered OK or Problem (none may be skipped)."""

    ventilated = forms.ChoiceField(
        label=_("Ventilated and closed up again"), choices=YES_NO, widget=forms.RadioSelect
    )
    problems = forms.CharField(
        label=_("Problems found"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    photos = PhotosField(
        label=_("Photos"),
        required=False,
        widget=MultiplePhotoInput(attrs={"accept": "image/*", "capture": "environment"}),
    )
    open_repair = forms.BooleanField(label=_("Open a repair for this problem"), required=False)
    repair_category = forms.ChoiceField(
        label=_("Kind of repair"), choices=[("", "—"), *RepairCategory.choices], required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        items = {
            name: forms.ChoiceField(label=label, choices=OK_PROBLEM, widget=forms.RadioSelect)
            for name, label in CHECK_ITEMS
        }
        self.fields = {**items, **self.fields}
        self._style()

    def checklist(self) -> Checklist:
        data = self.cleaned_data
        items = {name: data[name] == "ok" for name, _label in CHECK_ITEMS}
        return Checklist(**items, ventilated=data["ventilated"] == "yes")


class StormForm(Form):
    description = forms.CharField(label=_("Storm"), max_length=200)
    ended_at = forms.DateTimeField(label=_("Storm over at"), widget=DATETIME)


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DATE)
    end = forms.DateField(label=_("To"), widget=DATE)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and not (0 <= (end - start).days < 366):
            raise forms.ValidationError(_("Choose a period of one day to one year, start first."))
        return data

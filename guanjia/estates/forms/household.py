"""A household's vehicles, parking spaces, pets, documents, notes, and revealing personal data."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from guanjia.core.models import Community

from ..models import (
    DocumentKind,
    ParkingSpace,
    Pet,
    PiiField,
    Unit,
    Vehicle,
)
from ..models.identity import strip_blanks
from .common import DATE, BootstrapMixin, CommunityModelForm
from .people import people_of_interest


class VehicleForm(CommunityModelForm):
    class Meta:
        model = Vehicle
        fields = ["plate", "model", "colour", "person", "is_active", "note"]

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.unit = unit
        self.fields["person"].queryset = people_of_interest(self.community, unit)  # type: ignore[attr-defined]
        self.fields["plate"].help_text = _("e.g. 粤A12345; spaces and dots are ignored.")


class RoomCodeField(forms.CharField):
    """A unit typed as its room code (3-2-1201), resolved within one community."""

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.community = community

    def clean(self, value: Any) -> Unit | None:
        code = strip_blanks(super().clean(value)).upper()
        if not code:
            return None
        unit = Unit.objects.in_community(self.community).filter(room_code=code).first()
        if unit is None:
            raise ValidationError(
                _("No unit %(code)s in this community (write it as 3-2-1201).") % {"code": code},
                code="unknown_unit",
            )
        result: Unit | None = unit
        return result


class ParkingSpaceForm(CommunityModelForm):
    class Meta:
        model = ParkingSpace
        fields = ["number", "kind", "tenure", "note"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = self.instance.unit if self.instance.unit_id else None
        self.fields["room"] = RoomCodeField(
            community=self.community,
            label=_("Unit (room code)"),
            required=False,
            initial=unit.room_code if unit else "",
            help_text=_("e.g. 3-2-1201; empty for a space nobody holds."),
        )
        self._style()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.instance.unit = data.get("room")
        return data


class PetForm(CommunityModelForm):
    class Meta:
        model = Pet
        fields = ["species", "name", "breed", "licence_no", "vaccinated_on"]
        widgets = {"vaccinated_on": DATE}

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.unit = unit


class DocumentForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices)
    title = forms.CharField(label=_("Title"), required=False, max_length=100)
    file = forms.FileField(label=_("File"), help_text=_("PDF, JPEG or PNG."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()


class NoteForm(BootstrapMixin, forms.Form):
    text = forms.CharField(
        label=_("Note"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()


class RevealForm(BootstrapMixin, forms.Form):
    field = forms.ChoiceField(choices=PiiField.choices, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        min_length=2,
        help_text=_("Logged with your name, e.g. “owner asked for a repair call-back”."),
    )
    unit = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()

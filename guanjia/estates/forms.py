"""The shape of input on the estates pages. Rules live in services; forms only shape values."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanjia.accounts.models import Membership, User
from guanjia.core.models import Community

from .models import (
    Building,
    DocumentKind,
    Entrance,
    Occupancy,
    ParkingSpace,
    Person,
    Pet,
    PiiField,
    Unit,
    UnitKind,
    UnitStatus,
    Vehicle,
    Zone,
)
from .models.identity import squeeze, strip_blanks
from .services import OwnerShare, UnitPlan

DATE = forms.DateInput(attrs={"type": "date"})


class BootstrapMixin:
    """Bootstrap classes on every widget (the shared _form.html renders labels and errors)."""

    def _style(self) -> None:
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)


class CommunityModelForm(BootstrapMixin, forms.ModelForm):
    """A model form working inside one community: choices come from that community only."""

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.community = community
        if not self.instance.pk and hasattr(self.instance, "community_id"):
            self.instance.community = community
        self._style()


def staff_of(community: Community) -> QuerySet[User]:
    ids = Membership.objects.active_on().filter(community=community).values("user_id")
    return User.objects.filter(pk__in=ids, is_active=True).order_by("full_name", "username")


class ZoneForm(CommunityModelForm):
    class Meta:
        model = Zone
        fields = ["name", "area_manager", "acting_manager", "acting_from", "acting_to", "note"]
        widgets = {"acting_from": DATE, "acting_to": DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("area_manager", "acting_manager"):
            self.fields[name].queryset = staff_of(self.community)  # type: ignore[attr-defined]


class BuildingForm(CommunityModelForm):
    class Meta:
        model = Building
        fields = [
            "zone",
            "number",
            "name",
            "floors_above",
            "floors_below",
            "has_lift",
            "year_built",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["zone"].queryset = Zone.objects.in_community(self.community)  # type: ignore[attr-defined]


class EntranceForm(CommunityModelForm):
    class Meta:
        model = Entrance
        fields = ["building", "number"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["building"].queryset = Building.objects.in_community(self.community)  # type: ignore[attr-defined]


class UnitForm(CommunityModelForm):
    class Meta:
        model = Unit
        fields = [
            "building",
            "entrance",
            "room_number",
            "floor",
            "building_area",
            "inner_area",
            "kind",
            "layout",
            "status",
            "note",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["building"].queryset = Building.objects.in_community(self.community)  # type: ignore[attr-defined]
        self.fields["entrance"].queryset = Entrance.objects.in_community(  # type: ignore[attr-defined]
            self.community
        ).select_related("building")
        if self.instance.pk:
            del self.fields["status"]  # changed by the status action, which records it
        else:
            self.fields["status"].help_text = _("The status the unit has today.")


def _decimal_list(raw: str, label: str) -> list[Decimal]:
    values = []
    for part in strip_blanks(raw).replace("，", ",").split(","):
        if not part:
            continue
        try:
            values.append(Decimal(part))
        except InvalidOperation as exc:
            raise ValidationError(
                _("“%(value)s” is not a number in %(label)s.") % {"value": part, "label": label},
                code="bad_number",
            ) from exc
    return values


def _text_list(raw: str) -> list[str]:
    return [p for p in (squeeze(x) for x in (raw or "").replace("，", ",").split(",")) if p]


class UnitBulkForm(BootstrapMixin, forms.Form):
    """Lay out a building's units at once: entrances × floors × units a floor."""

    entrances = forms.CharField(
        label=_("Entrances"),
        required=False,
        help_text=_("Comma-separated entrance numbers, e.g. 1,2; empty when there are none."),
    )
    first_floor = forms.IntegerField(label=_("From floor"), initial=1)
    last_floor = forms.IntegerField(label=_("To floor"))
    per_floor = forms.IntegerField(label=_("Units a floor"), initial=4, min_value=1, max_value=20)
    pattern = forms.CharField(
        label=_("Room number pattern"),
        initial="{floor}{position:02d}",
        help_text=_("{floor}{position:02d} gives 1201, 1202 … on floor 12."),
    )
    kind = forms.ChoiceField(label=_("Type"), choices=UnitKind.choices, initial=UnitKind.FLAT)
    areas = forms.CharField(
        label=_("Building areas (m²)"),
        help_text=_("One for all units, or one per position on the floor: 89.50,120.30,…"),
    )
    layouts = forms.CharField(
        label=_("Layouts"), required=False, help_text=_("One for all, or one per position.")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()

    def clean_areas(self) -> list[Decimal]:
        return _decimal_list(self.cleaned_data["areas"], str(_("building areas")))

    def plan(self) -> UnitPlan:
        data = self.cleaned_data
        layouts = _text_list(data.get("layouts") or "")
        return UnitPlan(
            first_floor=data["first_floor"],
            last_floor=data["last_floor"],
            per_floor=data["per_floor"],
            areas=data["areas"],
            entrances=_text_list(data.get("entrances") or ""),
            pattern=data["pattern"],
            kind=data["kind"],
            layouts=layouts if len(layouts) in (0, 1, data["per_floor"]) else layouts[:1],
        )


class UnitStatusForm(BootstrapMixin, forms.Form):
    to = forms.ChoiceField(label=_("New status"))
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(UnitStatus.choices)
        self.fields["to"].choices = [(s, labels[s]) for s in unit.next_statuses()]  # type: ignore[attr-defined]
        self._style()


class PersonForm(CommunityModelForm):
    id_number = forms.CharField(
        label=_("ID number"),
        required=False,
        max_length=40,
        help_text=_("Stored encrypted. Leave empty to keep the number on file."),
    )
    remove_id_number = forms.BooleanField(label=_("Remove the ID number on file"), required=False)

    class Meta:
        model = Person
        fields = [
            "kind",
            "name",
            "contact_person",
            "gender",
            "id_type",
            "id_number",
            "mobile",
            "other_phone",
            "employer",
            "emergency_name",
            "emergency_relation",
            "emergency_phone",
            "note",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.id_number_masked:
            self.fields["id_number"].help_text = _("On file: %(masked)s. %(help)s") % {
                "masked": self.instance.id_number_masked,
                "help": self.fields["id_number"].help_text,
            }
        else:
            del self.fields["remove_id_number"]

    def id_number_change(self) -> str | None:
        """What save_person should do with the ID number: None keeps it."""
        if self.cleaned_data.get("remove_id_number"):
            return ""
        return self.cleaned_data.get("id_number") or None


def people_of_interest(community: Community, unit: Unit | None) -> QuerySet[Person]:
    """The people worth offering for a unit: its own, and those with no home registered yet."""
    housed = Q(occupancies__ends_on__isnull=True) | Q(ownerships__ends_on__isnull=True)
    query = ~Q(pk__in=Person.objects.filter(community=community).filter(housed).values("pk"))
    if unit is not None:
        query |= Q(occupancies__unit=unit) | Q(ownerships__unit=unit)
    return Person.objects.filter(community=community).filter(query).distinct().order_by("name")


class TransferForm(BootstrapMixin, forms.Form):
    """A sale, or the first registration of owners: up to four owners with their shares."""

    ROWS = 4
    on = forms.DateField(label=_("Owners from"), widget=DATE, initial=timezone.localdate)
    contract_ref = forms.CharField(label=_("Purchase contract no."), required=False, max_length=50)

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = people_of_interest(unit.community, unit)
        for i in range(1, self.ROWS + 1):
            self.fields[f"person_{i}"] = forms.ModelChoiceField(
                people, label=_("Owner %(n)s") % {"n": i}, required=i == 1
            )
            self.fields[f"share_{i}"] = forms.DecimalField(
                label=_("Share %(n)s (%%)") % {"n": i},
                required=False,
                max_digits=5,
                decimal_places=2,
                initial=Decimal("100") if i == 1 else None,
            )
            self.fields[f"title_{i}"] = forms.CharField(
                label=_("Title certificate %(n)s") % {"n": i}, required=False, max_length=50
            )
        self._style()

    def owners(self) -> list[OwnerShare]:
        data = self.cleaned_data
        rows = []
        for i in range(1, self.ROWS + 1):
            person = data.get(f"person_{i}")
            if person is not None:
                share = data.get(f"share_{i}")
                if share is None:
                    raise ValidationError(_("Give each owner's share."), code="bad_share")
                rows.append(OwnerShare(person, share, data.get(f"title_{i}") or ""))
        return rows


class OccupancyForm(CommunityModelForm):
    class Meta:
        model = Occupancy
        fields = [
            "person",
            "relation",
            "starts_on",
            "is_primary_contact",
            "lease_starts_on",
            "lease_ends_on",
            "consent_ref",
            "note",
        ]
        widgets = {"starts_on": DATE, "lease_starts_on": DATE, "lease_ends_on": DATE}

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.unit = unit
        self.fields["person"].queryset = people_of_interest(self.community, unit)  # type: ignore[attr-defined]


class EndOccupancyForm(BootstrapMixin, forms.Form):
    on = forms.DateField(label=_("Moved out on"), widget=DATE, initial=timezone.localdate)
    note = forms.CharField(label=_("Note"), required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()


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

    def clean(self, value: Any) -> Unit | None:  # type: ignore[override]
        code = strip_blanks(super().clean(value)).upper()
        if not code:
            return None
        unit = Unit.objects.in_community(self.community).filter(room_code=code).first()
        if unit is None:
            raise ValidationError(
                _("No unit %(code)s in this community (write it as 3-2-1201).") % {"code": code},
                code="unknown_unit",
            )
        return unit  # type: ignore[return-value]


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

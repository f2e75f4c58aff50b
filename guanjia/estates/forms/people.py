"""People, ownership transfers and occupancies."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanjia.core.models import Community
from guanjia.core.personal_data import mask_phone

from ..models import (
    Occupancy,
    Person,
    Unit,
)
from ..services import OwnerShare
from .common import DATE, BootstrapMixin, CommunityModelForm

PHONES = ("mobile", "other_phone", "emergency_phone")


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
        self._stored_phones = {name: getattr(self.instance, name) for name in PHONES}
        if self.instance.pk:
            self._mask_phones()
        if self.instance.id_number_masked:
            self.fields["id_number"].help_text = _("On file: %(masked)s. %(help)s") % {
                "masked": self.instance.id_number_masked,
                "help": self.fields["id_number"].help_text,
            }
        else:
            del self.fields["remove_id_number"]

    def _mask_phones(self) -> None:
        """The stored phones are never printed into the form: the input starts empty, the
        masked number shows as its placeholder, and an empty input keeps it (revealing a
        number is a logged action of its own)."""
        for name in PHONES:
            stored = self._stored_phones[name]
            self.initial[name] = ""
            if not stored:
                continue
            field = self.fields[name]
            field.widget.attrs["placeholder"] = mask_phone(stored)
            field.help_text = _("On file: %(masked)s. Leave empty to keep it.") % {
                "masked": mask_phone(stored)
            }
            self.fields[f"remove_{name}"] = forms.BooleanField(
                label=_("Remove this number"), required=False
            )
        order = []
        for name in self.fields:
            if not name.startswith("remove_") or name == "remove_id_number":
                order.append(name)
                if f"remove_{name}" in self.fields and name in PHONES:
                    order.append(f"remove_{name}")
        self.order_fields(order)

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or self.cleaned_data
        if self.instance.pk:
            for name in PHONES:
                if not cleaned.get(name) and not cleaned.get(f"remove_{name}"):
                    cleaned[name] = self._stored_phones[name]
        return cleaned

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

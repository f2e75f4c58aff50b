"""Input shapes of the meter pages: a meter, its change, its replacement, a rate's tiers (the
meter list's filters are in filters.py). The services (services/meters.py,
services/standards.py) check what needs the database; these forms type the input."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from guanjia.core.models import Community
from guanjia.estates.forms.household import RoomCodeField
from guanjia.estates.models import Unit

from .forms import style
from .models import Meter

MAX_SHARING_UNITS = 5000
READING: dict[str, Any] = {"max_digits": 12, "decimal_places": 2, "min_value": Decimal(0)}
MULTIPLIER: dict[str, Any] = {"max_digits": 7, "decimal_places": 2, "min_value": Decimal("0.01")}


class MeterForm(forms.ModelForm):
    """A new meter: a unit's (typed as its room code, within the community) or common."""

    multiplier = forms.DecimalField(label=_("multiplier"), initial=Decimal(1), **MULTIPLIER)
    initial_reading = forms.DecimalField(label=_("initial reading"), initial=Decimal(0), **READING)

    class Meta:
        model = Meter
        fields = ["unit", "kind", "number", "multiplier", "installed_on", "initial_reading"]
        widgets = {"installed_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.community = community
        self.instance.community = community
        self.fields["unit"] = RoomCodeField(
            community=community,
            required=False,
            label=_("unit"),
            help_text=_("Room code (3-2-1201); empty: a common meter (公摊)."),
        )
        self.fields = {name: self.fields[name] for name in self.Meta.fields}
        style(self)

    def validate_unique(self) -> None:
        """The service checks the number and the one active meter, with its messages."""


class MeterEditForm(forms.ModelForm):
    """A meter's number, multiplier (before its first reading), installation day, active."""

    multiplier = forms.DecimalField(label=_("multiplier"), **MULTIPLIER)

    class Meta:
        model = Meter
        fields = ["number", "multiplier", "installed_on", "is_active"]
        widgets = {"installed_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.community = community
        style(self)

    def validate_unique(self) -> None:
        """The service checks the number, with its message."""


class MeterReplaceForm(forms.Form):
    replaced_on = forms.DateField(
        label=_("replaced on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    final_reading = forms.DecimalField(label=_("old meter's final reading"), **READING)
    new_number = forms.CharField(label=_("new meter no."), max_length=40)
    new_multiplier = forms.DecimalField(
        label=_("new multiplier"),
        required=False,
        help_text=_("Empty: the old meter's multiplier."),
        **MULTIPLIER,
    )
    initial_reading = forms.DecimalField(label=_("new meter's initial reading"), **READING)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style(self)


class TierForm(forms.Form):
    up_to = forms.DecimalField(
        label=_("up to"),
        required=False,
        max_digits=10,
        decimal_places=2,
        min_value=Decimal("0.01"),
        help_text=_("Empty on the last tier."),
    )
    rate = forms.DecimalField(
        label=_("rate"),
        required=False,
        max_digits=12,
        decimal_places=4,
        min_value=Decimal("0.0001"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style(self)


TierFormSet = forms.formset_factory(TierForm, extra=0, max_num=10, absolute_max=10)


def tiers_of(formset: Any) -> list[list[Any]]:
    """The filled rows of a valid tier formset, as the service takes them."""
    rows = []
    for form in formset.forms:
        up_to, rate = form.cleaned_data.get("up_to"), form.cleaned_data.get("rate")
        if up_to is None and rate is None:
            continue
        rows.append([None if up_to is None else str(up_to), None if rate is None else str(rate)])
    return rows


class ApportionmentForm(forms.Form):
    """The units sharing a common meter, typed as room codes (one a line, or separated by
    commas or spaces), resolved within the meter's community."""

    name = forms.CharField(label=_("name"), max_length=60)
    rooms = forms.CharField(
        label=_("units"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Room codes (3-2-1201), one a line or separated by commas."),
    )

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.community = community
        style(self)

    def clean_rooms(self) -> list[Unit]:
        codes = [code.upper() for code in re.split(r"[\s,，、;；]+", self.cleaned_data["rooms"])]
        codes = [code for code in codes if code]
        if len(codes) > MAX_SHARING_UNITS:
            raise forms.ValidationError(
                _("At most %(count)s units.") % {"count": MAX_SHARING_UNITS}, code="too_many"
            )
        found = {
            unit.room_code: unit
            for unit in Unit.objects.in_community(self.community).filter(room_code__in=codes)
        }
        missing = [code for code in codes if code not in found]
        if missing:
            raise forms.ValidationError(
                _("No unit %(code)s in this community (write it as 3-2-1201).")
                % {"code": ", ".join(missing[:5])},
                code="unknown_unit",
            )
        return [found[code] for code in codes]

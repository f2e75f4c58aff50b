"""Zones, buildings, entrances and units (one by one or a whole building at once)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..models import (
    Building,
    Entrance,
    Unit,
    UnitKind,
    UnitStatus,
    Zone,
)
from ..models.identity import squeeze, strip_blanks
from ..services import UnitPlan
from .common import DATE, BootstrapMixin, CommunityModelForm, staff_of


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

"""List filters of the estates pages and API: one definition each, with a `q` search box."""

from __future__ import annotations

from typing import Any

import django_filters as filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from guanjia.accounts.models import User
from guanjia.core.filters import BooleanFilter
from guanjia.core.models import Community

from .models import (
    Building,
    Entrance,
    ParkingSpace,
    Person,
    PersonalDataAccess,
    PiiField,
    Unit,
    UnitKind,
    UnitStatus,
    Vehicle,
    Zone,
)
from .models.identity import normalise_phone, normalise_plate, pinyin_keys, squeeze, strip_blanks


class CommunityFilterSet(filters.FilterSet):
    """Choices of related filters come from one community (None: the queryset's own rows)."""

    community = filters.NumberFilter(label=_("Community"), field_name="community")

    def __init__(self, *args: Any, community: Community | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.community = community
        if community is not None:
            del self.filters["community"]  # a page lists its current community only
        for name, model in (("building", Building), ("zone", Zone)):
            if name in self.filters:
                self.filters[name].queryset = self._choices(model)  # type: ignore[attr-defined]
        for f in self.form.fields.values():
            css = "form-select" if hasattr(f, "choices") else "form-control"
            f.widget.attrs.setdefault("class", f"{css} {css}-sm")

    def _choices(self, model: Any) -> QuerySet[Any]:
        if self.community is not None:
            return model.objects.in_community(self.community)  # type: ignore[no-any-return]
        user = getattr(self.request, "user", None)
        return model.objects.visible_to(user) if user else model.objects.none()  # type: ignore[no-any-return]


class ZoneFilter(CommunityFilterSet):
    q = filters.CharFilter(label=_("Search"), method="search")
    ordering = filters.OrderingFilter(fields=["name", "created_at"])

    class Meta:
        model = Zone
        fields = ["q"]

    def search(self, queryset: QuerySet[Zone], name: str, value: str) -> QuerySet[Zone]:
        return queryset.filter(name__contains=squeeze(value))


class BuildingFilter(CommunityFilterSet):
    q = filters.CharFilter(label=_("Building no."), method="search")
    zone = filters.ModelChoiceFilter(label=_("Zone"), queryset=Zone.objects.none())
    ordering = filters.OrderingFilter(fields=["number", "name", "floors_above"])

    class Meta:
        model = Building
        fields = ["q", "zone"]

    def search(self, queryset: QuerySet[Building], name: str, value: str) -> QuerySet[Building]:
        value = strip_blanks(value).upper()
        return queryset.filter(Q(number=value) | Q(name__startswith=squeeze(value)))


class EntranceFilter(CommunityFilterSet):
    building = filters.ModelChoiceFilter(label=_("Building"), queryset=Building.objects.none())

    class Meta:
        model = Entrance
        fields = ["building"]


class UnitFilter(CommunityFilterSet):
    q = filters.CharFilter(label=_("Room code"), method="search")
    building = filters.ModelChoiceFilter(label=_("Building"), queryset=Building.objects.none())
    zone = filters.ModelChoiceFilter(
        label=_("Zone"), field_name="building__zone", queryset=Zone.objects.none()
    )
    status = filters.ChoiceFilter(label=_("Status"), choices=UnitStatus.choices)
    kind = filters.ChoiceFilter(label=_("Type"), choices=UnitKind.choices)
    ordering = filters.OrderingFilter(fields=["room_code", "floor", "building_area", "status"])

    class Meta:
        model = Unit
        fields = ["q", "building", "zone", "status", "kind"]

    def search(self, queryset: QuerySet[Unit], name: str, value: str) -> QuerySet[Unit]:
        code = strip_blanks(value).upper()
        return queryset.filter(
            Q(room_code=code) | Q(room_code__startswith=f"{code}-") | Q(room_number=code)
        )


class PersonFilter(CommunityFilterSet):
    q = filters.CharFilter(label=_("Name, pinyin or phone"), method="search")
    kind = filters.ChoiceFilter(label=_("Kind"), choices=Person._meta.get_field("kind").choices)
    ordering = filters.OrderingFilter(fields=["name_pinyin", "created_at"])

    class Meta:
        model = Person
        fields = ["q", "kind"]

    def search(self, queryset: QuerySet[Person], name: str, value: str) -> QuerySet[Person]:
        compact = strip_blanks(value)
        if compact.isdigit() and len(compact) == 4:
            return queryset.filter(phone_last4=compact)
        phone = normalise_phone(compact)
        if phone[:1] in "01" and phone.replace("-", "").isdigit():
            return queryset.filter(Q(mobile=phone) | Q(other_phone=phone))
        if compact.isascii() and compact.isalpha():
            low = compact.lower()
            return queryset.filter(
                Q(name_initials__startswith=low) | Q(name_pinyin__startswith=low)
            )
        full, _initials = pinyin_keys(compact)
        return queryset.filter(Q(name__contains=squeeze(value)) | Q(name_pinyin=full))


class VehicleFilter(CommunityFilterSet):
    q = filters.CharFilter(label=_("Plate"), method="search")
    is_active = BooleanFilter(label=_("Registered"))
    ordering = filters.OrderingFilter(fields=["plate", "created_at"])

    class Meta:
        model = Vehicle
        fields = ["q", "is_active"]

    def search(self, queryset: QuerySet[Vehicle], name: str, value: str) -> QuerySet[Vehicle]:
        plate = normalise_plate(value)
        return queryset.filter(Q(plate=plate) | Q(plate_tail=plate) | Q(plate__endswith=plate))


class ParkingSpaceFilter(CommunityFilterSet):
    q = filters.CharFilter(label=_("Space no."), method="search")
    ordering = filters.OrderingFilter(fields=["number"])

    class Meta:
        model = ParkingSpace
        fields = ["q", "kind", "tenure"]

    def search(
        self, queryset: QuerySet[ParkingSpace], name: str, value: str
    ) -> QuerySet[ParkingSpace]:
        return queryset.filter(number__startswith=strip_blanks(value).upper())


class AccessLogFilter(CommunityFilterSet):
    field = filters.ChoiceFilter(label=_("Field"), choices=PiiField.choices)
    accessed_by = filters.ModelChoiceFilter(label=_("Revealed by"), queryset=User.objects.none())
    since = filters.DateFilter(label=_("From"), field_name="at", lookup_expr="date__gte")
    until = filters.DateFilter(label=_("Until"), field_name="at", lookup_expr="date__lte")

    class Meta:
        model = PersonalDataAccess
        fields = ["field", "accessed_by", "since", "until"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.community is not None:
            from .forms import staff_of

            self.filters["accessed_by"].queryset = staff_of(self.community)  # type: ignore[attr-defined]

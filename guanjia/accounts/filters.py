"""One filter definition for the staff list page, its export and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from guanjia.core.filters import OrderingFilter
from guanjia.core.models import Community
from guanjia.core.roles import Role

from .models import Membership, User, UserQuerySet


def _communities(request: Any) -> Any:
    if request is None:
        return Community.objects.none()
    return Community.objects.visible_to(request.user).filter(is_active=True).order_by("name")


class StaffFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=forms.TextInput(
            attrs={
                "placeholder": _("Username, name, staff no. or last 4 digits of the phone"),
                "data-search-box": "",
                "type": "search",
            }
        ),
    )
    role = django_filters.ChoiceFilter(
        label=_("Role"), choices=Role.choices, method="by_role", empty_label=_("All")
    )
    community = django_filters.ModelChoiceFilter(
        label=_("Community"), queryset=_communities, method="by_community", empty_label=_("All")
    )
    is_active = django_filters.BooleanFilter(
        label=_("Status"),
        widget=forms.Select(
            choices=[("", _("All")), ("true", _("Active")), ("false", _("Deactivated"))]
        ),
    )
    ordering = OrderingFilter(
        label=_("Order by"),
        empty_label=_("Username"),
        fields=(("username", "username"), ("full_name", "full_name"), ("staff_no", "staff_no")),
        field_labels={
            "username": _("Username"),
            "full_name": _("Full name"),
            "staff_no": _("Staff number"),
        },
    )

    class Meta:
        model = User
        fields = ["q", "role", "community", "is_active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", f"{css} {css}-sm")

    def search(self, queryset: UserQuerySet, name: str, value: str) -> UserQuerySet:
        return queryset.search(value)

    def by_role(self, queryset: Any, name: str, value: str) -> Any:
        return queryset  # applied with the community in filter_queryset: one membership

    def by_community(self, queryset: Any, name: str, value: Community) -> Any:
        return queryset

    def filter_queryset(self, queryset: Any) -> Any:
        """Role and community select staff holding that role in that community today."""
        queryset = super().filter_queryset(queryset)
        role = self.form.cleaned_data.get("role")
        community = self.form.cleaned_data.get("community")
        if not role and not community:
            return queryset
        held = Membership.objects.active_on()
        if role:
            held = held.filter(role__name=role)
        if community:
            held = held.filter(community=community)
        return queryset.filter(pk__in=held.values("user_id"))

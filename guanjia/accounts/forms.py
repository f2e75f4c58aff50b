"""The shape of staff administration input; the rules live in services.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanjia.core.models import Community
from guanjia.core.roles import Role

from .models import mobile_validator
from .services import REASON_MAX_LENGTH, RoleGrant, StaffDetails


class BootstrapMixin:
    """Bootstrap 5 classes on every widget, so `includes/_form.html` renders them right."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)


class DateInput(forms.DateInput):
    input_type = "date"


class MobileField(forms.CharField):
    """A mainland China mobile number; spaces and dashes typed with it are dropped."""

    default_validators = [mobile_validator]

    def to_python(self, value: Any) -> str:
        return "".join(str(super().to_python(value)).split()).replace("-", "")


class StaffDetailsForm(BootstrapMixin, forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=50)
    staff_no = forms.CharField(label=_("Staff number"), max_length=20, required=False)
    phone = MobileField(
        label=_("Mobile phone"),
        max_length=20,
        required=False,
        help_text=_("11 digits, e.g. 13800001234."),
    )
    email = forms.EmailField(label=_("E-mail"), required=False)

    def details(self) -> StaffDetails:
        data = self.cleaned_data
        return StaffDetails(
            full_name=data["full_name"],
            staff_no=data["staff_no"],
            phone=data["phone"],
            email=data["email"],
        )


class StaffCreateForm(StaffDetailsForm):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_("Letters, digits and @ . + - _ only. It cannot be changed later."),
    )
    password = forms.CharField(
        label=_("Initial password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Leave empty to generate one; it is shown once after saving."),
    )
    field_order = ["username", "full_name", "staff_no", "phone", "email", "password"]


class PasswordForm(BootstrapMixin, forms.Form):
    password = forms.CharField(
        label=_("New password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Leave empty to generate one; it is shown once after saving."),
    )


class ReasonForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=REASON_MAX_LENGTH, required=False)


class MembershipForm(BootstrapMixin, forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    community = forms.ModelChoiceField(
        label=_("Community"),
        queryset=Community.objects.none(),
        required=False,
        help_text=_(
            "Leave empty for a company-wide role (finance, HR, management, auditor, administrator)."
        ),
    )
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput, initial=timezone.localdate)
    ends_on = forms.DateField(
        label=_("Ends on"),
        widget=DateInput,
        required=False,
        help_text=_("Leave empty for an open-ended role. Required for an acting assignment."),
    )
    is_acting = forms.BooleanField(
        label=_("Acting assignment (顶岗/代理), covering a colleague for a period"),
        required=False,
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, communities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities  # type: ignore[attr-defined]

    def grant(self) -> RoleGrant:
        data = self.cleaned_data
        return RoleGrant(
            role=data["role"],
            community=data["community"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            is_acting=data["is_acting"],
            note=data["note"],
        )


class MembershipEndForm(BootstrapMixin, forms.Form):
    ends_on = forms.DateField(label=_("Last day"), widget=DateInput, required=False)

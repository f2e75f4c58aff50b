"""The shapes of input of the service desk pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanjia.accounts.models import User
from guanjia.core.models import Community
from guanjia.estates.models import Person, Unit

from .models import (
    ActionKind,
    Channel,
    ComplaintCategory,
    Department,
    Location,
    PhotoKind,
    RepairCategory,
    ReplyMethod,
    RequestKind,
    ServiceRequest,
    Severity,
    Urgency,
    Validity,
    Warranty,
)

DATE = forms.DateInput(attrs={"type": "date"})
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
REPLY_METHODS = ReplyMethod.choices


def staff_of_community(community: Community) -> Any:
    """Active users with a current membership in `community` (or company-wide)."""
    today = timezone.localdate()
    current = Q(memberships__ends_on__isnull=True) | Q(memberships__ends_on__gte=today)
    here = Q(memberships__community=community) | Q(
        memberships__community__isnull=True, company_id=community.company_id
    )
    return (
        User.objects.filter(current, here, is_active=True, memberships__starts_on__lte=today)
        .distinct()
        .order_by("full_name", "username")
    )


def staff_in(community: Community, perm: str) -> Any:
    """Active users whose current membership in `community` has a role granting `perm`."""
    app_label, codename = perm.split(".")
    today = timezone.localdate()
    current = Q(memberships__ends_on__isnull=True) | Q(memberships__ends_on__gte=today)
    return (
        User.objects.filter(
            current,
            is_active=True,
            memberships__community=community,
            memberships__starts_on__lte=today,
            memberships__role__permissions__codename=codename,
            memberships__role__permissions__content_type__app_label=app_label,
        )
        .distinct()
        .order_by("full_name", "username")
    )


class DeskForm(forms.Form):
    """A form that works in one community and dresses its widgets for Bootstrap."""

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.community = community
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)


class ContactForm(DeskForm):
    """The front desk's form: one contact, fast, from the keyboard."""

    kind = forms.ChoiceField(label=_("Type"), choices=RequestKind.choices)
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    requester = forms.CharField(label=_("Requester"), required=False, max_length=30)
    is_anonymous = forms.BooleanField(label=_("Anonymous"), required=False)
    requester_name = forms.CharField(label=_("Name as told"), max_length=50, required=False)
    requester_phone = forms.CharField(label=_("Phone as told"), max_length=30, required=False)
    content = forms.CharField(
        label=_("Content"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    answer = forms.CharField(
        label=_("Answer given on the spot"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("A consultation answered now closes at first contact."),
    )
    subject = forms.CharField(label=_("Letter subject"), max_length=200, required=False)
    master = forms.CharField(
        label=_("Repeat of register number"),
        max_length=30,
        required=False,
        help_text=_("The same matter reported before: link to its entry."),
    )
    location = forms.ChoiceField(label=_("Location"), choices=Location.choices, required=False)
    category = forms.ChoiceField(
        label=_("Repair category"), choices=RepairCategory.choices, required=False
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"), choices=Urgency.choices, required=False, initial=Urgency.ORDINARY
    )
    appointment_at = forms.DateTimeField(label=_("Appointment"), required=False, widget=DATETIME)
    warranty = forms.ChoiceField(label=_("Warranty"), choices=Warranty.choices, required=False)
    is_paid = forms.BooleanField(label=_("Paid repair"), required=False)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)

    caller = forms.IntegerField(label=_("Caller"), required=False, widget=forms.HiddenInput)

    # The fields that only one type of contact (or the letter channel) has; the page shows
    # them for that type only (static/js/tickets-contact.js) and the form ignores them for any
    # other (they keep their initial value: a disabled field).
    KIND_FIELDS: dict[str, tuple[str, ...]] = {
        RequestKind.REPAIR: (
            "location",
            "category",
            "urgency",
            "appointment_at",
            "warranty",
            "is_paid",
            "place",
        ),
        RequestKind.CONSULTATION: ("answer",),
    }
    CHANNEL_FIELDS: dict[str, tuple[str, ...]] = {Channel.LETTER: ("subject",)}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["content"].widget = forms.TextInput(attrs={"class": "form-control"})
        self.fields["kind"].widget.attrs["data-contact-kind"] = ""
        self.fields["channel"].widget.attrs["data-contact-channel"] = ""
        if self.is_bound:
            kind, channel = self.data.get("kind", ""), self.data.get("channel", "")
            for value, names in self.KIND_FIELDS.items():
                for name in names if value != kind else ():
                    self.fields[name].disabled = True
            for value, names in self.CHANNEL_FIELDS.items():
                for name in names if value != channel else ():
                    self.fields[name].disabled = True

    def rows(self) -> list[tuple[Any, str, str]]:
        """The page's fields after the requester, each with the type and the channel it shows
        for ("" for every one): the page's script hides the others."""
        kinds = {name: value for value, names in self.KIND_FIELDS.items() for name in names}
        channels = {name: value for value, names in self.CHANNEL_FIELDS.items() for name in names}
        return [
            (self[name], kinds.get(name, ""), channels.get(name, ""))
            for name in self.fields
            if name not in ("requester", "caller")
        ]

    def _caller(self, unit: Unit | None, pk: int | None) -> Person | None:
        """The resident of the picked unit who is calling (owner or occupant today)."""
        if pk is None:
            return None
        if unit is None:
            raise ValidationError(_("Pick the unit first, then who is calling."))
        today = timezone.localdate()
        current = Q(starts_on__lte=today) & (Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        person: Person | None = (
            Person.objects.in_community(self.community)
            .filter(pk=pk)
            .filter(
                Q(pk__in=unit.ownerships.filter(current).values("person_id"))
                | Q(pk__in=unit.occupancies.filter(current).values("person_id"))
            )
            .first()
        )
        if person is None:
            raise ValidationError(_("Pick the caller among the unit's residents."))
        return person

    def _requester(self, value: str) -> tuple[Unit | None, Person | None]:
        kind, _sep, pk = value.partition(":")
        model: Any = {"unit": Unit, "person": Person}.get(kind)
        if not value:
            return None, None
        obj = (
            model.objects.in_community(self.community).filter(pk=pk).first()
            if model and pk.isdigit()
            else None
        )
        if obj is None:
            raise ValidationError(_("Pick the requester from the search results."))
        if isinstance(obj, Unit):
            return obj, None
        return None, obj

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            data["unit"], data["person"] = self._requester(data.get("requester", ""))
        except ValidationError as exc:
            self.add_error("requester", exc)
            data["unit"], data["person"] = None, None
        try:
            caller = self._caller(data["unit"], data.get("caller"))
        except ValidationError as exc:
            self.add_error("caller", exc)
        else:
            if caller is not None:
                data["person"] = caller
        number = data.get("master", "").strip()
        data["master_entry"] = None
        if number:
            data["master_entry"] = (
                ServiceRequest.objects.in_community(self.community).filter(number=number).first()
            )
            if data["master_entry"] is None:
                self.add_error("master", _("No register entry with this number here."))
        if data.get("kind") == RequestKind.REPAIR and not data.get("master_entry"):
            for name in ("location", "category", "urgency"):
                if not data.get(name):
                    self.add_error(name, _("Required for a repair."))
        if not data.get("is_anonymous") and not (
            data.get("unit") or data.get("person") or data.get("requester_name")
        ):
            self.add_error(
                "requester_name", _("Pick the requester, write a name, or tick anonymous.")
            )
        return data


class AnswerForm(DeskForm):
    answer = forms.CharField(
        label=_("Answer"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ClassifyForm(DeskForm):
    validity = forms.ChoiceField(
        label=_("Validity"),
        choices=[choice for choice in Validity.choices if choice[0] != "pending"],
    )
    invalid_reason = forms.CharField(
        label=_("Reason it is invalid"), max_length=500, required=False
    )
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices)
    category = forms.ChoiceField(label=_("Category"), choices=ComplaintCategory.choices)
    department = forms.ChoiceField(label=_("Responsible department"), choices=Department.choices)
    handler = forms.ModelChoiceField(
        label=_("Handler"), queryset=User.objects.none(), required=False
    )
    resolve_due = forms.DateTimeField(
        label=_("Deadline (empty: from the policy)"), required=False, widget=DATETIME
    )
    about_employee = forms.ModelChoiceField(
        label=_("Complaint about (employee)"),
        queryset=User.objects.none(),
        required=False,
        help_text=_(
            "The staff member the complaint is about, if any: they can make no move on it or "
            "its corrective actions."
        ),
    )
    clear_about_employee = forms.BooleanField(
        label=_("The complaint is not about the employee named: clear the name"),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = staff_in(self.community, "tickets.change_complaint")  # type: ignore[attr-defined]
        self.fields["about_employee"].queryset = staff_of_community(self.community)  # type: ignore[attr-defined]


class NoteForm(DeskForm):
    note = forms.CharField(
        label=_("Note"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReworkForm(NoteForm):
    appointment_at = forms.DateTimeField(
        label=_("New appointment"),
        required=False,
        widget=DATETIME,
        help_text=_("Agreed with the resident; empty: on the ordinary clock."),
    )


class ProgressForm(NoteForm):
    told_requester = forms.BooleanField(label=_("The requester was told"), required=False)


class PromiseForm(DeskForm):
    promise_date = forms.DateField(label=_("Promised by"), widget=DATE)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class ResultForm(DeskForm):
    result = forms.CharField(
        label=_("Result"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReplyForm(DeskForm):
    reply = forms.CharField(
        label=_("Reply"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    reply_method = forms.ChoiceField(label=_("Reply method"), choices=REPLY_METHODS)


class CloseForm(DeskForm):
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class ActionForm(DeskForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=ActionKind.choices)
    description = forms.CharField(label=_("Action"), max_length=500)
    owner = forms.ModelChoiceField(label=_("Responsible person"), queryset=User.objects.none())
    due_on = forms.DateField(label=_("Due on"), widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff_in(self.community, "tickets.view_complaint")  # type: ignore[attr-defined]


class DispatchForm(DeskForm):
    technician = forms.ModelChoiceField(
        label=_("Technician"), queryset=User.objects.filter(is_active=True)
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Any active user is accepted here so that the service gives the clear message for a
        # technician of another community; the list offers this community's only.
        self.fields["technician"].widget.choices = [("", "---------")] + [
            (user.pk, user.display_name)
            for user in staff_in(self.community, "tickets.work_repairorder")
        ]


class EmptyForm(DeskForm):
    pass


class QuoteForm(DeskForm):
    amount = forms.DecimalField(label=_("Quote (yuan)"), max_digits=12, decimal_places=2)


class DecideQuoteForm(DeskForm):
    accepted = forms.TypedChoiceField(
        label=_("The resident"),
        coerce=lambda value: value == "yes",
        choices=[("yes", _("accepts the quote")), ("no", _("declines the quote"))],
    )


class PartsForm(DeskForm):
    promised_on = forms.DateField(label=_("Parts promised by"), widget=DATE)


class CompleteForm(DeskForm):
    fault = forms.CharField(
        label=_("Fault found"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    work_done = forms.CharField(
        label=_("Work done"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    materials = forms.CharField(label=_("Materials"), max_length=2000, required=False)
    labour_minutes = forms.IntegerField(
        label=_("Labour (minutes)"), min_value=0, max_value=10000, required=False
    )


class VerifyForm(DeskForm):
    satisfied = forms.TypedChoiceField(
        label=_("The resident is"),
        coerce=lambda value: value == "yes",
        choices=[("yes", _("satisfied")), ("no", _("not satisfied"))],
    )
    signature = forms.CharField(
        required=False, widget=forms.HiddenInput(attrs={"data-signature": "1"})
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class PhotoForm(DeskForm):
    kind = forms.ChoiceField(label=_("Photo"), choices=PhotoKind.choices)
    # Checked by the service (core.files: name, declared type and content must agree).
    image = forms.FileField(
        label=_("Picture"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )


class SavedViewForm(DeskForm):
    name = forms.CharField(label=_("Name of this view"), max_length=60)
    querystring = forms.CharField(max_length=1000, required=False, widget=forms.HiddenInput)
    list_name = forms.ChoiceField(
        choices=[("complaints", "complaints"), ("repairs", "repairs"), ("requests", "requests")],
        widget=forms.HiddenInput,
    )


class LetterDraftForm(DeskForm):
    text = forms.CharField(
        label=_("Written reply"), max_length=8000, widget=forms.Textarea(attrs={"rows": 6})
    )


class AttachmentForm(DeskForm):
    file = forms.FileField(label=_("File (PDF or picture, at most 10 MB)"))

"""The violation pages' forms: they check the shape of the input and hand it to one service,
which checks the rules (one rule, one message, pages and API alike)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from guanjia.core.models import Community
from guanjia.estates.forms import RoomCodeField
from guanjia.estates.forms.common import DATE, BootstrapMixin

from .models import (
    AppealDecision,
    Authority,
    MeasureKind,
    NoticeKind,
    Responsible,
    Source,
    TypeGroup,
    ViolationType,
)

SIGNATURE = forms.CharField(required=False, widget=forms.HiddenInput(attrs={"data-signature": ""}))


class Form(BootstrapMixin, forms.Form):
    def __init__(self, *args: Any, community: Community | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.community = community
        self._style()


def _text(label: Any, *, rows: int = 2, required: bool = False, max_length: int = 2000) -> Any:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class FindingForm(Form):
    """A violation found (违章处理记录: the finding's part)."""

    kind = forms.ModelChoiceField(label=_("Type"), queryset=ViolationType.objects.none())
    responsible = forms.ChoiceField(label=_("Person responsible"), choices=Responsible.choices)
    person_name = forms.CharField(label=_("Name"), max_length=50, required=False)
    location = forms.CharField(label=_("Location"), max_length=100, required=False)
    description = _text(_("Description"), rows=3)
    rule = forms.CharField(
        label=_("Rule breached (covenant clause or law)"), max_length=200, required=False
    )
    source = forms.ChoiceField(
        label=pgettext_lazy("violation", "Source"), choices=Source.choices, initial=Source.STAFF
    )
    source_ref = forms.CharField(label=_("Source reference"), max_length=40, required=False)
    predates_office = forms.BooleanField(
        label=_("Predates the management office (recorded and reported only)"), required=False
    )
    photo = forms.FileField(label=_("Photo"), required=False)

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, community=community, **kwargs)
        self.fields = {
            "room": RoomCodeField(community=community, label=_("Unit (room code)")),
            **self.fields,
        }
        self.fields["room"].widget.attrs.setdefault("class", "form-control")
        kinds: Any = self.fields["kind"]
        kinds.queryset = ViolationType.objects.for_community(community)


class DissuadeForm(Form):
    action = _text(_("What was said and done on site"))


class NoticeForm(Form):
    demand = _text(_("What must be done"), rows=3)
    deadline = forms.DateField(
        label=_("Rectify by"),
        required=False,
        widget=DATE,
        help_text=_("Empty: the community's days for a violation. Structural: stop at once."),
    )
    served_to = forms.CharField(label=_("Served to"), max_length=50, required=False)
    signature = SIGNATURE
    refused_to_sign = forms.BooleanField(label=_("The resident refused to sign"), required=False)
    refusal_note = forms.CharField(label=_("Refusal recorded"), max_length=200, required=False)


class EscalateForm(NoticeForm):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            (NoticeKind.SECOND, NoticeKind.SECOND.label),
            (NoticeKind.DIRECTOR_LETTER, NoticeKind.DIRECTOR_LETTER.label),
        ],
    )


RECHECK_CHOICES = [("yes", _("Corrected")), ("no", _("Not corrected"))]


class RecheckForm(Form):
    corrected = forms.ChoiceField(label=_("Result"), choices=RECHECK_CHOICES)
    note = _text(_("What the re-check found"))


class NoteForm(Form):
    note = _text(_("Note"))


class ReportForm(Form):
    authority = forms.ChoiceField(label=_("Reported to"), choices=Authority.choices)
    reported_on = forms.DateField(label=_("Reported on"), widget=DATE)
    contact = forms.CharField(label=_("Who received it"), max_length=50, required=False)
    reference = forms.CharField(label=_("Their reference"), max_length=60, required=False)


class MeasureForm(Form):
    kind = forms.ChoiceField(label=_("Measure"), choices=MeasureKind.choices)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class AppealForm(Form):
    grounds = _text(_("Grounds of the appeal"), rows=3)


class DecideAppealForm(Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=AppealDecision.choices)
    note = _text(_("Reasons of the decision"))
    deadline = forms.DateField(label=_("New deadline (when modified)"), required=False, widget=DATE)


class PhotoForm(Form):
    image = forms.FileField(label=_("Photo"))


class TypeForm(Form):
    group = forms.ChoiceField(label=_("Group"), choices=TypeGroup.choices)
    name = forms.CharField(label=_("Name"), max_length=60, required=False)
    structural = forms.BooleanField(
        label=_("Structural: the notice says stop work at once"), required=False
    )

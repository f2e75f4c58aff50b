"""The conduct pages' forms: they call the services, never save models themselves."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanjia.core.models import Community

from .models import CHECKED_KINDS, Authority, Cadence, RecordKind, RecordLevel, RecordStatus, Source
from .models.standards import StandardKind
from .services._common import staff_of

TEXTAREA = forms.Textarea(attrs={"rows": 2})


class ConductForm(forms.Form):
    """Base: Bootstrap classes on every widget but radio buttons and checkboxes."""

    def __init__(self, *args: Any, community: Community | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.community = community
        for field in self.fields.values():
            widget = field.widget
            if isinstance(
                widget, forms.RadioSelect | forms.CheckboxSelectMultiple | forms.CheckboxInput
            ):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)


class StandardForm(ConductForm):
    kind = forms.ChoiceField(label=_("List"), choices=StandardKind.choices)
    text = forms.CharField(label=_("Text"), max_length=200)
    instead = forms.CharField(label=_("Say instead"), max_length=200, required=False)


class StandardEditForm(ConductForm):
    text = forms.CharField(label=_("Text"), max_length=200)
    instead = forms.CharField(label=_("Say instead"), max_length=200, required=False)
    position = forms.IntegerField(label=_("Position"), min_value=1, max_value=999)
    is_active = forms.BooleanField(label=_("In use"), required=False)


class EmployeeField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(getattr(obj, "full_name", "") or obj.get_username())


def _staff_field(community: Community | None) -> EmployeeField:
    queryset = staff_of(community) if community is not None else get_user_model().objects.none()
    return EmployeeField(label=_("Employee"), queryset=queryset.order_by("full_name"))


class OpenCheckForm(ConductForm):
    cadence = forms.ChoiceField(label=_("Check"), choices=Cadence.choices)
    post = forms.CharField(label=_("Post"), max_length=50, required=False)
    kinds = forms.MultipleChoiceField(
        label=_("Lists to check"),
        choices=[(k.value, k.label) for k in CHECKED_KINDS],
        widget=forms.CheckboxSelectMultiple,
        initial=[StandardKind.APPEARANCE],
    )

    def __init__(self, *args: Any, community: Community | None = None, **kwargs: Any) -> None:
        super().__init__(*args, community=community, **kwargs)
        self.fields = {"employee": _staff_field(community), **self.fields}
        self.fields["employee"].widget.attrs["class"] = "form-select"


def _levels(community: Community | None, kind: str | None = None) -> Any:
    rows = RecordLevel.objects.none()
    if community is not None:
        rows = RecordLevel.objects.filter(company_id=community.company_id)
        if kind:
            rows = rows.filter(kind=kind)
    return rows.order_by("kind", "position")


class StatementForm(ConductForm):
    statement = forms.CharField(
        label=_("Statement"), max_length=1000, required=False, widget=TEXTAREA
    )


class NoteForm(ConductForm):
    note = forms.CharField(label=_("Note"), max_length=1000, required=False, widget=TEXTAREA)


class ReasonForm(ConductForm):
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False, widget=TEXTAREA)


class GroundsForm(ConductForm):
    grounds = forms.CharField(
        label=_("Grounds of appeal"), max_length=1000, required=False, widget=TEXTAREA
    )


class AppealDecisionForm(ConductForm):
    outcome = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (s.value, s.label)
            for s in (RecordStatus.UPHELD, RecordStatus.MODIFIED, RecordStatus.REVOKED)
        ],
    )
    level = forms.ModelChoiceField(
        label=_("New level"), queryset=RecordLevel.objects.none(), required=False
    )
    reason = forms.CharField(label=_("Reasons"), max_length=1000, required=False, widget=TEXTAREA)

    def __init__(self, *args: Any, community: Community | None = None, **kwargs: Any) -> None:
        super().__init__(*args, community=community, **kwargs)
        self.fields["level"].queryset = _levels(community)  # type: ignore[attr-defined]


class RecordForm(ConductForm):
    """A record proposed by a manager, with its evidence."""

    level = forms.ModelChoiceField(label=_("Level"), queryset=RecordLevel.objects.none())
    event_date = forms.DateField(
        label=_("Date of the event"), widget=forms.DateInput(attrs={"type": "date"})
    )
    facts = forms.CharField(
        label=_("Facts"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    source = forms.ChoiceField(
        label=_("Evidence"),
        choices=[(s.value, s.label) for s in Source if s != Source.CUMULATIVE],
        initial=Source.MANUAL,
    )
    evidence_ref = forms.CharField(
        label=_("Evidence number or reference"), max_length=60, required=False
    )
    evidence_text = forms.CharField(label=_("Evidence details"), max_length=500, required=False)
    amount = forms.DecimalField(
        label=_("Amount (yuan)"), max_digits=9, decimal_places=2, min_value=0, required=False
    )
    monthly_pay = forms.DecimalField(
        label=_("Monthly pay (yuan)"), max_digits=9, decimal_places=2, min_value=0, required=False
    )
    position_held = forms.CharField(label=_("Position"), max_length=50, required=False)
    is_public = forms.BooleanField(label=_("Announce to the team"), required=False)

    def __init__(self, *args: Any, community: Community | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"event_date": timezone.localdate()})
        super().__init__(*args, community=community, **kwargs)
        self.fields = {"employee": _staff_field(community), **self.fields}
        self.fields["employee"].widget.attrs["class"] = "form-select"
        self.fields["level"].queryset = _levels(community)  # type: ignore[attr-defined]


def penalty_levels(community: Community) -> Any:
    return _levels(community, RecordKind.PENALTY)


class LevelForm(ConductForm):
    points = forms.IntegerField(label=_("Points"), min_value=-1000, max_value=1000)
    authority = forms.TypedChoiceField(
        label=_("Approved by"), choices=Authority.choices, coerce=int
    )
    lapses = forms.BooleanField(label=_("Lapses"), required=False)
    converts_after = forms.IntegerField(
        label=_("Suggest a higher level after"), min_value=1, max_value=20, required=False
    )

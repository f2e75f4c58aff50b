"""The visit pages' forms: they call the services, never save models themselves."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from guanjia.core.models import Community

from .models import Answer, Method
from .models.visits import AttemptOutcome

SCALE = forms.RadioSelect(attrs={"class": "form-check-input"})


class VisitForm(forms.Form):
    """Base: Bootstrap classes on every widget but the radio buttons."""

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.community = community
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect | forms.HiddenInput):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)


def _scale(label: Any) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=Answer.choices, widget=SCALE)


class RecordForm(VisitForm):
    method = forms.ChoiceField(label=_("Method"), choices=Method.choices)
    quality = _scale(_("Quality of the result"))
    timeliness = _scale(_("Timeliness"))
    attitude = _scale(_("Staff attitude"))
    conduct = _scale(_("Staff conduct (shoe covers, left clean, explained the work)"))
    satisfaction = _scale(_("Overall satisfaction"))
    comments = forms.CharField(
        label=_("Comments and suggestions"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    signature = forms.CharField(
        required=False, widget=forms.HiddenInput(attrs={"data-signature": "1"})
    )


class AttemptForm(VisitForm):
    outcome = forms.ChoiceField(label=_("What happened"), choices=AttemptOutcome.choices)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class NoteForm(VisitForm):
    note = forms.CharField(
        label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

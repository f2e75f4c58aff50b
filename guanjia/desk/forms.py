"""Page forms of the front desk; they call services, never save models themselves."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from guanjia.core.access import staff_holding
from guanjia.core.models import Community
from guanjia.estates.forms.common import BootstrapMixin, CommunityModelForm
from guanjia.estates.models import Person, Unit

from .models import (
    Finding,
    FoundItem,
    Handover,
    Instruction,
    Key,
    KeyCollector,
    Notice,
    NoticeKind,
    Parcel,
    Post,
    Shift,
)

SIGNATURE = forms.CharField(required=False, widget=forms.HiddenInput(attrs={"data-signature": ""}))


def _units(community: Community) -> QuerySet[Unit]:
    return Unit.objects.in_community(community)


class KeyForm(CommunityModelForm):
    class Meta:
        model = Key
        fields = [
            "unit",
            "kind",
            "holding",
            "description",
            "count",
            "envelope_no",
            "cabinet_slot",
            "deposited_by",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units(self.community)  # type: ignore[attr-defined]
        self.fields["deposited_by"].queryset = Person.objects.in_community(self.community)  # type: ignore[attr-defined]
        self.fields["cabinet_slot"].widget.attrs["autofocus"] = True


class Form(BootstrapMixin, forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()


class CollectorForm(Form):
    name = forms.CharField(label=_("Name"), max_length=50)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    id_last4 = forms.CharField(label=_("ID number, last four"), max_length=4, required=False)


class LendForm(Form):
    collector = forms.ModelChoiceField(
        label=_("Authorised collector"), queryset=KeyCollector.objects.none(), required=False
    )
    staff = forms.ModelChoiceField(
        label=_("Staff member"), queryset=get_user_model().objects.none(), required=False
    )
    purpose = forms.CharField(label=_("Purpose"), max_length=200)
    signature = SIGNATURE

    def __init__(self, *args: Any, key: Key, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["collector"].queryset = key.collectors.filter(removed_at__isnull=True)  # type: ignore[attr-defined]
        self.fields["staff"].queryset = staff_holding(  # type: ignore[attr-defined]
            ["desk.view_key", "tickets.work_repairorder", "tickets.view_repairorder"],
            company_id=key.community.company_id,
            community_id=key.community_id,
        )


class SignForm(Form):
    signature = SIGNATURE


class OvernightForm(Form):
    until = forms.DateTimeField(
        label=_("Back by"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )


class ParcelForm(CommunityModelForm):
    class Meta:
        model = Parcel
        fields = ["unit", "addressee", "kind", "carrier", "tracking_no", "shelf"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units(self.community)  # type: ignore[attr-defined]
        self.fields["unit"].widget.attrs["autofocus"] = True


class CollectForm(Form):
    collected_by = forms.ModelChoiceField(label=_("Collected by"), queryset=Person.objects.none())
    signature = SIGNATURE

    def __init__(self, *args: Any, people: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["collected_by"].queryset = people  # type: ignore[attr-defined]


class ReturnForm(Form):
    return_note = forms.CharField(label=_("Returned to / why"), max_length=200)


class PostForm(CommunityModelForm):
    class Meta:
        model = Post
        fields = ["name", "kind"]


class ShiftForm(CommunityModelForm):
    class Meta:
        model = Shift
        fields = ["post", "name", "starts", "ends"]
        widgets = {
            "starts": forms.TimeInput(attrs={"type": "time"}),
            "ends": forms.TimeInput(attrs={"type": "time"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = Post.objects.in_community(self.community)  # type: ignore[attr-defined]


class InstructionForm(CommunityModelForm):
    class Meta:
        model = Instruction
        fields = ["post", "text", "valid_until"]
        widgets = {"valid_until": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = Post.objects.in_community(self.community)  # type: ignore[attr-defined]
        self.fields["post"].help_text = _("Empty: every post.")


class HandoverForm(CommunityModelForm):
    """The outgoing person opens the handover of their shift."""

    class Meta:
        model = Handover
        fields = ["post", "shift", "incoming"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        posts = Post.objects.in_community(self.community).filter(is_active=True)
        shifts = Shift.objects.in_community(self.community).select_related("post")
        self.fields["post"].queryset = posts  # type: ignore[attr-defined]
        self.fields["shift"].queryset = shifts  # type: ignore[attr-defined]
        self.fields["incoming"].queryset = staff_holding(  # type: ignore[attr-defined]
            ["desk.add_handover"],
            company_id=self.community.company_id,
            community_id=self.community.pk,
        )


class NotesForm(Form):
    notes = forms.CharField(
        label=_("Notes"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    equipment = forms.CharField(label=_("Equipment status"), max_length=500, required=False)


class OfferForm(Form):
    signature = SIGNATURE


class CheckForm(Form):
    """The incoming person's check: a finding and a note for every line, then the signature
    (accept) or a reason (refuse)."""

    decision = forms.ChoiceField(
        choices=[("accept", _("Accept")), ("refuse", _("Refuse"))],
        widget=forms.HiddenInput,
        required=False,
    )
    reason = forms.CharField(label=_("Reason for refusing"), max_length=500, required=False)
    signature = SIGNATURE

    def __init__(self, *args: Any, handover: Handover, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lines = list(handover.items.all())
        for item in self.lines:
            self.fields[f"finding_{item.pk}"] = forms.ChoiceField(
                label=item.summary,
                choices=[c for c in Finding.choices if c[0]],
                widget=forms.RadioSelect,
                required=False,
                initial=item.finding or None,
            )
            self.fields[f"note_{item.pk}"] = forms.CharField(
                label=_("Discrepancy note"),
                max_length=500,
                required=False,
                initial=item.finding_note,
            )

    def findings(self) -> dict[int, tuple[str, str]]:
        data = self.cleaned_data
        return {
            item.pk: (data.get(f"finding_{item.pk}") or "", data.get(f"note_{item.pk}") or "")
            for item in self.lines
        }

    def rows(self) -> list[tuple[Any, Any, Any]]:
        return [(item, self[f"finding_{item.pk}"], self[f"note_{item.pk}"]) for item in self.lines]


class CloseForm(Form):
    pass


class FoundItemForm(CommunityModelForm):
    class Meta:
        model = FoundItem
        fields = ["description", "found_where", "found_by", "found_at", "storage"]
        widgets = {"found_at": forms.DateTimeInput(attrs={"type": "datetime-local"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["found_at"].required = False
        self.fields["found_at"].help_text = _("Empty: now.")
        self.fields["description"].widget.attrs["autofocus"] = True


class ClaimForm(Form):
    claimant_name = forms.CharField(label=_("Claimed by"), max_length=50)
    claimant_phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    proof = forms.CharField(label=_("Proof of ownership"), max_length=200)
    signature = SIGNATURE


class NoticeForm(CommunityModelForm):
    """A notice; an outage notice with an empty text is written from the template (area and
    reason given)."""

    area = forms.CharField(label=_("Area affected (outage)"), max_length=100, required=False)
    reason = forms.CharField(label=_("Reason (outage)"), max_length=100, required=False)

    class Meta:
        model = Notice
        fields = [
            "kind",
            "title",
            "body",
            "starts_at",
            "ends_at",
            "buildings",
            "units",
            "send_sms",
            "send_wechat",
        ]
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from guanjia.estates.models import Building

        self.fields["buildings"].queryset = Building.objects.in_community(self.community)  # type: ignore[attr-defined]
        self.fields["units"].queryset = _units(self.community)  # type: ignore[attr-defined]
        self.fields["title"].required = False
        self.fields["body"].required = False
        self.fields["buildings"].help_text = _("None chosen: the whole community.")

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        kind = data.get("kind")
        start, end = data.get("starts_at"), data.get("ends_at")
        if (
            kind in (NoticeKind.WATER_OUTAGE, NoticeKind.POWER_OUTAGE)
            and not data.get("body")
            and start
            and end
        ):
            from .services import outage_text

            area = data.get("area") or _("the whole community")
            title, body = outage_text(
                kind,
                area=str(area),
                starts_at=start,
                ends_at=end,
                reason=str(data.get("reason") or _("maintenance")),
            )
            data["title"] = data.get("title") or title
            data["body"] = body
        return data


class DecisionForm(Form):
    reason = forms.CharField(label=_("Reason (when sending back)"), max_length=500, required=False)

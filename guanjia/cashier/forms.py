"""Page forms of the cashier: they shape input; the services check and save."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from guanjia.billing.models import FeeItem
from guanjia.core.models import Community
from guanjia.estates.forms.household import RoomCodeField
from guanjia.estates.models import Building

from .models import (
    DENOMINATIONS,
    LADDER,
    CaseStage,
    DepositKind,
    NoticeKind,
    PaymentMethod,
    ReversalCause,
    StepMethod,
)

MONEY = {"max_digits": 12, "decimal_places": 2}


def _money_field(label: Any, *, required: bool = True, minimum: str = "0.01") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=Decimal(minimum),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "form-control"}),
        **MONEY,  # type: ignore[arg-type]
    )


class PaymentForm(forms.Form):
    """The counter's payment: amount, method and its reference, cash handed over, payer, and
    the key that makes a second click the same payment."""

    amount = _money_field(_("Amount (yuan)"))
    method = forms.ChoiceField(
        label=_("Payment method"), choices=PaymentMethod.choices, initial=PaymentMethod.CASH
    )
    reference = forms.CharField(
        label=_("Reference (voucher, transaction or cheque no.)"), max_length=64, required=False
    )
    tendered = _money_field(_("Cash handed over"), required=False)
    payer_name = forms.CharField(
        label=_("Payer, when not the owner"), max_length=100, required=False
    )
    prepay_item = forms.ModelChoiceField(
        label=_("Prepay for (fee item)"), queryset=FeeItem.objects.none(), required=False
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    expected_owed = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("idempotency_key", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)
        items = FeeItem.objects.filter(company_id=community.company_id, is_active=True)
        self.fields["prepay_item"].queryset = items  # type: ignore[attr-defined]
        for field in self.fields.values():
            if not isinstance(field.widget, forms.HiddenInput):
                css = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
                field.widget.attrs.setdefault("class", css)
        self.fields["amount"].widget.attrs["autofocus"] = True


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )


class OpenSessionForm(forms.Form):
    float_amount = _money_field(_("Float (yuan)"), minimum="0")


class CountForm(forms.Form):
    """The drawer counted by denomination, and why it is over or short."""

    explanation = forms.CharField(
        label=_("Explanation of over or short"),
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in DENOMINATIONS:
            self.fields[f"n_{name}"] = forms.IntegerField(
                label=_("%(name)s yuan") % {"name": name},
                min_value=0,
                max_value=100_000,
                initial=0,
                required=False,
                widget=forms.NumberInput(attrs={"class": "form-control", "inputmode": "numeric"}),
            )

    def denominations(self) -> dict[str, object]:
        return {name: self.cleaned_data.get(f"n_{name}") or 0 for name in DENOMINATIONS}


# --- Deposits (押金) -------------------------------------------------------------------------


def _styled(form: forms.Form) -> None:
    for field in form.fields.values():
        if not isinstance(field.widget, forms.HiddenInput):
            css = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            field.widget.attrs.setdefault("class", css)


class DepositForm(forms.Form):
    """A deposit received at the counter: the unit, its type, the amount and how it is paid,
    who pays (the refund goes to them only), what it secures; the key makes a second click
    the same deposit."""

    room = forms.CharField(label=_("Room"), max_length=30)
    kind = forms.ChoiceField(label=_("Deposit type"), choices=DepositKind.choices)
    amount = _money_field(_("Amount (yuan)"))
    method = forms.ChoiceField(
        label=_("Payment method"), choices=PaymentMethod.choices, initial=PaymentMethod.CASH
    )
    reference = forms.CharField(
        label=_("Reference (voucher, transaction or cheque no.)"), max_length=64, required=False
    )
    payer_name = forms.CharField(label=_("Payer"), max_length=100)
    purpose = forms.CharField(
        label=_("For (application or pass no.)"), max_length=200, required=False
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("idempotency_key", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)
        self.fields["room"] = RoomCodeField(label=_("Room"), max_length=30, community=community)
        _styled(self)
        self.fields["room"].widget.attrs["autofocus"] = True

    def clean_room(self) -> Any:
        unit = self.cleaned_data.get("room")
        if unit is None:
            raise forms.ValidationError(_("Type the room (3-2-1201)."), code="required")
        return unit


class SettlementForm(forms.Form):
    """The settlement asked for: why, and the deductions one a line as 'item amount'
    (垃圾清运 200), none for a full refund."""

    note = forms.CharField(label=_("Reason for settling"), max_length=500)
    deductions = forms.CharField(
        label=_("Deductions, one a line: item and amount (垃圾清运 200)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _styled(self)

    def clean_deductions(self) -> list[tuple[str, str]]:
        lines = []
        for number, raw in enumerate(self.cleaned_data.get("deductions", "").splitlines(), 1):
            text = raw.strip().replace("，", " ").replace(",", " ")
            if not text:
                continue
            item, _sep, amount = text.rpartition(" ")
            if not item.strip() or not amount.strip():
                raise forms.ValidationError(
                    _("Line %(n)s: write the item, a space, then the amount (垃圾清运 200).")
                    % {"n": number},
                    code="bad_line",
                )
            lines.append((item.strip(), amount.strip()))
        return lines


class DecisionForm(forms.Form):
    """Approve or reject what awaits a decision; a rejection says why."""

    approve = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("yes", _("Approve")), ("no", _("Reject"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)
    reference = forms.CharField(label=_("Approval reference (文号)"), max_length=60, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].widget.attrs["class"] = "form-control"
        self.fields["reference"].widget.attrs["class"] = "form-control"


class PayOutForm(forms.Form):
    """The refund paid to the payer against the original receipt."""

    receipt_number = forms.CharField(label=_("Original receipt no."), max_length=30)
    method = forms.ChoiceField(
        label=_("Refund method"), choices=PaymentMethod.choices, initial=PaymentMethod.CASH
    )
    reference = forms.CharField(
        label=_("Reference (voucher, transaction or cheque no.)"), max_length=64, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _styled(self)


class ReversalForm(forms.Form):
    """A reversal (冲红) asked for: the cause and the reason."""

    cause = forms.ChoiceField(label=_("Cause"), choices=ReversalCause.choices)
    reason = forms.CharField(label=_("Reason"), max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _styled(self)


# --- Dunning ---------------------------------------------------------------------------------

_DATE = {"type": "date", "class": "form-control"}


class _Styled(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            field.widget.attrs.setdefault("class", css)


class MonthField(forms.CharField):
    """A month typed as YYYY-MM: the first day of that month."""

    def to_python(self, value: Any) -> Any:
        text = (super().to_python(value) or "").strip()
        if not text:
            return None
        try:
            year, month = text.split("-")
            return dt.date(int(year), int(month), 1)
        except ValueError:
            raise forms.ValidationError(
                _("Enter a month as YYYY-MM (e.g. 2024-03)."), code="bad_month"
            ) from None


class OpenCaseForm(_Styled):
    room = forms.CharField(label=_("Room"), max_length=30)
    reason = forms.CharField(label=_("Why"), max_length=200, required=False)

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["room"] = RoomCodeField(label=_("Room"), max_length=30, community=community)
        self.fields["room"].widget.attrs["class"] = "form-control"

    def clean_room(self) -> Any:
        unit = self.cleaned_data.get("room")
        if unit is None:
            raise forms.ValidationError(_("Type the room (3-2-1201)."), code="required")
        return unit


class StepForm(_Styled):
    """One line of the dunning register: the step, when, how, with whom, the answer."""

    stage = forms.ChoiceField(label=_("Step"), choices=())
    done_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs=_DATE))
    method = forms.ChoiceField(label=_("Method"), choices=StepMethod.choices)
    contact = forms.CharField(label=_("Spoke to"), max_length=100, required=False)
    answer = forms.CharField(
        label=_("Resident's answer"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    legal_ref = forms.CharField(
        label=_("Legal reference (payment order, case no.)"), max_length=100, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = [  # type: ignore[attr-defined]
            (s, label) for s, label in CaseStage.choices if s in LADDER and s != CaseStage.OVERDUE
        ]
        self.fields["done_on"].initial = dt.date.today


class PromiseForm(_Styled):
    pay_by = forms.DateField(label=_("Pay by"), widget=forms.DateInput(attrs=_DATE))
    amount = forms.CharField(label=_("Amount (yuan)"), max_length=20)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class DisputeForm(_Styled):
    complaint_ref = forms.CharField(label=_("Complaint no."), max_length=60)
    note = forms.CharField(label=_("What is disputed"), max_length=500)


class ClearDisputeForm(_Styled):
    note = forms.CharField(label=_("How the complaint was resolved"), max_length=500)


class PlanForm(_Styled):
    """The schedule typed one instalment a line: a date and an amount."""

    schedule = forms.CharField(
        label=_("Instalments (one a line: date and amount, e.g. 2024-04-30 500)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )
    note = forms.CharField(label=_("Agreement"), max_length=500, required=False)


class CloseCaseForm(_Styled):
    to = forms.ChoiceField(
        label=_("Close as"),
        choices=[
            (CaseStage.SETTLED, CaseStage.SETTLED.label),
            (CaseStage.WRITTEN_OFF, CaseStage.WRITTEN_OFF.label),
        ],
    )
    note = forms.CharField(
        label=_("Note (a write-off: the decision and its reference)"),
        max_length=500,
        required=False,
    )


class SignatureForm(_Styled):
    signed_by = forms.CharField(label=_("Signed for by"), max_length=100)
    signed_on = forms.DateField(label=_("Signed on"), widget=forms.DateInput(attrs=_DATE))


class NoticePrintForm(_Styled):
    """A month's notices of one kind for one building, as one PDF."""

    building = forms.ModelChoiceField(label=_("Building"), queryset=Building.objects.none())
    kind = forms.ChoiceField(label=_("Notice"), choices=NoticeKind.choices)
    month = MonthField(label=_("Month (YYYY-MM)"))

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["building"].queryset = Building.objects.filter(  # type: ignore[attr-defined]
            community=community
        )

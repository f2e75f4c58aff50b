"""The shapes of the billing API: rows out (money as strings with two decimals, rates with
four) and bodies in. A body is typed here; the page's form and the service then apply the
business rules (another community's row in a body: 400 invalid choice)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from guanjia.core.api import ScopedSerializerMixin
from guanjia.core.money import RoundingRule
from guanjia.estates.models import UnitKind, UnitStatus

from ..forms import parse_month
from ..models import (
    BilledIn,
    BillingRun,
    Cycle,
    FeeCategory,
    FeeItem,
    FeeStandard,
    FeeStandardVersion,
    LedgerEntry,
    MeterKind,
    MeterReading,
    MonthClose,
    PayerRule,
    UnitFeeException,
)
from ..models import Method as FeeMethod


def _money() -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=15, decimal_places=2, read_only=True)


@extend_schema_field({"type": "string", "pattern": r"^\d{4}-\d{1,2}$", "example": "2024-03"})
class MonthField(serializers.Field):
    """A month as "YYYY-MM", given to the code as its first day."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", "YYYY-MM")
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> Any:
        try:
            return parse_month(data if isinstance(data, str) else "")
        except ValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc

    def to_representation(self, value: Any) -> str:
        return f"{value:%Y-%m}"


# --- Rows out --------------------------------------------------------------------------------


class FeeItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = FeeItem
        fields = ["id", "code", "name", "category", "gl_code", "priority", "is_active"]


APPROVAL_FIELDS = ["approval_status", "proposed_by", "proposed_at", "decided_by", "decided_at"]
APPROVAL_FIELDS += ["rejection_reason"]


class VersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = FeeStandardVersion
        fields = ["id", "rate", "effective_from", "effective_to", "approval_ref"]
        fields += APPROVAL_FIELDS


class StandardSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    versions = VersionSerializer(many=True, read_only=True)

    class Meta:
        model = FeeStandard
        fields = ["id", "community", "fee_item", "name", "method", "cycle", "billed_in"]
        fields += ["rounding", "unit_kinds", "unit_statuses", "vacant_discount", "payer_rule"]
        fields += ["developer", "meter_kind", "common_meter"]
        fields += ["is_active", "approval_ref", *APPROVAL_FIELDS, "pending_change", "versions"]


class RunSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    total = _money()

    class Meta:
        model = BillingRun
        fields = ["id", "community", "period", "fee_item", "status", "line_count", "total"]


class RunPostedSerializer(RunSerializer):
    added = serializers.IntegerField(read_only=True, help_text="Lines this call posted.")
    message = serializers.CharField(read_only=True)

    class Meta(RunSerializer.Meta):
        fields = [*RunSerializer.Meta.fields, "added", "message"]


class RunDetailSerializer(RunSerializer):
    class Meta(RunSerializer.Meta):
        fields = [*RunSerializer.Meta.fields, "posted_by", "created_at"]
        fields += ["reversal_requested_by", "reversal_reason", "reversed_by", "reversed_at"]


class RunLineSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    """One posted line of a run: its unit, amount and how it was computed."""

    room_code = serializers.CharField(source="unit.room_code", read_only=True)
    amount = _money()

    class Meta:
        model = LedgerEntry
        fields = ["id", "unit", "room_code", "payer", "line_no", "kind", "amount"]
        fields += ["memo", "explanation"]


class RunLinesSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = RunLineSerializer(many=True)


class RunWithLinesSerializer(RunDetailSerializer):
    lines = RunLinesSerializer(read_only=True, help_text="100 lines a page: ?page=2, ...")

    class Meta(RunDetailSerializer.Meta):
        fields = [*RunDetailSerializer.Meta.fields, "lines"]


class EntrySerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    amount = _money()

    class Meta:
        model = LedgerEntry
        fields = ["id", "period", "fee_item", "kind", "amount", "memo", "explanation"]


class StatementSerializer(serializers.Serializer):
    """A unit's balances over every fee item and its entries."""

    unit = serializers.IntegerField()
    billed = serializers.DecimalField(max_digits=15, decimal_places=2)
    paid = serializers.DecimalField(max_digits=15, decimal_places=2)
    waived = serializers.DecimalField(max_digits=15, decimal_places=2)
    written_off = serializers.DecimalField(max_digits=15, decimal_places=2)
    outstanding = serializers.DecimalField(max_digits=15, decimal_places=2)
    prepaid = serializers.DecimalField(max_digits=15, decimal_places=2)
    entries = EntrySerializer(many=True)


class ReadingSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    class Meta:
        model = MeterReading
        fields = ["id", "meter", "period", "value", "read_on", "replacement", "old_meter_final"]
        fields += ["flagged", "confirmed_by"]
        read_only_fields = ["period", "flagged", "confirmed_by"]


class MonthCloseSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    period = MonthField(read_only=True)

    class Meta:
        model = MonthClose
        fields = ["id", "community", "period", "closed_by", "created_at"]


class UnitFeeExceptionSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    standard_name = serializers.CharField(source="standard.name", read_only=True)

    class Meta:
        model = UnitFeeException
        fields = ["id", "unit", "standard", "standard_name", "rate", "starts_on", "ends_on"]
        fields += ["reason", "created_by", "created_at"]


class UnitArrearsSerializer(serializers.Serializer):
    unit = serializers.IntegerField(source="unit_id")
    room_code = serializers.CharField()
    outstanding = serializers.DecimalField(max_digits=15, decimal_places=2)


class CommunityArrearsSerializer(serializers.Serializer):
    community = serializers.IntegerField(source="community_id")
    units = serializers.IntegerField(help_text="Units that owe something.")
    outstanding = serializers.DecimalField(max_digits=15, decimal_places=2)


class ArrearsPageSerializer(serializers.Serializer):
    """?community=<id>: its units that owe, most first, 50 a page; without: each community."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = UnitArrearsSerializer(many=True)


class CommunityArrearsPageSerializer(serializers.Serializer):
    """Without ?community=: each of the caller's communities, on one page."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = CommunityArrearsSerializer(many=True)


# --- Bodies in -------------------------------------------------------------------------------


class CommunityBody(serializers.Serializer):
    community = serializers.IntegerField(help_text="The community (its id).")


class RunRequestSerializer(CommunityBody):
    period = MonthField()
    fee_item = serializers.IntegerField()


class RunPostSerializer(RunRequestSerializer):
    fingerprint = serializers.RegexField(
        r"^[0-9a-f]{64}$",
        required=False,
        help_text="The preview's fingerprint: when given, nothing is posted unless the bills "
        "are still those of that preview (400 preview_changed).",
    )


class FeeItemBody(serializers.Serializer):
    code = serializers.SlugField(max_length=30)
    name = serializers.CharField(max_length=60)
    category = serializers.ChoiceField(choices=FeeCategory.choices)
    gl_code = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    priority = serializers.IntegerField(min_value=0, max_value=32767, default=100)


class StandardCreateBody(CommunityBody):
    fee_item = serializers.IntegerField()
    name = serializers.CharField(max_length=60)
    method = serializers.ChoiceField(choices=FeeMethod.choices)
    cycle = serializers.ChoiceField(choices=Cycle.choices, default=Cycle.MONTHLY)
    billed_in = serializers.ChoiceField(choices=BilledIn.choices, default=BilledIn.ADVANCE)
    rounding = serializers.ChoiceField(choices=RoundingRule.choices, default=RoundingRule.HALF_UP)
    vacant_discount = serializers.BooleanField(default=False)
    payer_rule = serializers.ChoiceField(choices=PayerRule.choices, default=PayerRule.OWNER)


class StandardUpdateBody(serializers.Serializer):
    """The edit page's fields; those left out keep their value (or the change awaiting
    approval). A change of amounts on an approved standard waits in `pending_change`."""

    name = serializers.CharField(max_length=60, required=False)
    method = serializers.ChoiceField(choices=FeeMethod.choices, required=False)
    cycle = serializers.ChoiceField(choices=Cycle.choices, required=False)
    billed_in = serializers.ChoiceField(choices=BilledIn.choices, required=False)
    rounding = serializers.ChoiceField(choices=RoundingRule.choices, required=False)
    unit_kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=UnitKind.choices), required=False
    )
    unit_statuses = serializers.ListField(
        child=serializers.ChoiceField(choices=UnitStatus.choices), required=False
    )
    vacant_discount = serializers.BooleanField(required=False)
    payer_rule = serializers.ChoiceField(choices=PayerRule.choices, required=False)
    developer = serializers.IntegerField(required=False, allow_null=True)
    meter_kind = serializers.ChoiceField(
        choices=MeterKind.choices, required=False, allow_blank=True
    )
    common_meter = serializers.IntegerField(required=False, allow_null=True)
    is_active = serializers.BooleanField(required=False)


class RateBody(serializers.Serializer):
    rate = serializers.DecimalField(
        max_digits=12, decimal_places=4, help_text="Yuan, above zero, at most 4 decimals."
    )
    effective_from = serializers.DateField()
    effective_to = serializers.DateField(required=False, allow_null=True)
    approval_ref = serializers.CharField(max_length=60, required=False, allow_blank=True)


class ReasonBody(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class MonthCloseBody(CommunityBody):
    period = MonthField()


class UnitExceptionBody(serializers.Serializer):
    standard = serializers.IntegerField(help_text="A standard of the unit's community.")
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(required=False, allow_null=True)
    rate = serializers.DecimalField(
        max_digits=12,
        decimal_places=4,
        required=False,
        allow_null=True,
        help_text=_("Empty: the unit is exempt for these dates."),
    )
    reason = serializers.CharField(max_length=200)


class ReadingInputSerializer(serializers.Serializer):
    meter = serializers.IntegerField()
    period = serializers.CharField(max_length=20, help_text="YYYY-MM")
    value = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal(0))
    read_on = serializers.DateField()
    replacement = serializers.BooleanField(default=False)
    old_meter_final = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=Decimal(0), required=False, allow_null=True
    )

    def validate_period(self, value: str) -> Any:
        try:
            return parse_month(value)
        except ValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc


class ApproveInputSerializer(serializers.Serializer):
    approval_ref = serializers.CharField(
        max_length=60,
        default="",
        allow_blank=True,
        help_text="Price-authority filing or owners' assembly decision (文号); required "
        "unless the proposal already carries one.",
    )


class RejectInputSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=200,
        default="",
        allow_blank=True,
        help_text="Required: the service says so (400) when it is missing or blank.",
    )

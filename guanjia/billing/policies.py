"""Billing's own configurable numbers (the late-fee and fee-start keys of spec §09/§10 are
declared in the core catalogue: billing.late_fee_daily_rate, billing.late_fee_grace_days,
billing.late_fee_cap_ratio, billing.vacant_discount_rate, movein.fee_start_rule)."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from guanjia.core.policies.registry import Domain, Kind, PolicySpec, is_registered, register

LATE_FEE_DUE_RULE = "billing.late_fee_due_rule"

if not is_registered(LATE_FEE_DUE_RULE):
    register(
        PolicySpec(
            LATE_FEE_DUE_RULE,
            Kind.CHOICE,
            "period_end",
            _("When a bill falls due (late fees count from the next day after the grace days)"),
            "10",
            domain=Domain.FINANCIAL,
            choices=(
                ("period_end", _("At the end of the month billed")),
                ("next_month_end", _("At the end of the month after")),
            ),
        ),
    )

READING_SPIKE_RATIO = "billing.reading_spike_ratio"

if not is_registered(READING_SPIKE_RATIO):
    register(
        PolicySpec(
            READING_SPIKE_RATIO,
            Kind.DECIMAL,
            Decimal("3"),
            _("A month's use above this multiple of the meter's average is flagged"),
            "10",
            "×",
            Decimal("1.5"),
            Decimal("20"),
        ),
    )

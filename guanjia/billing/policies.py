"""Billing's configurable numbers: the fee-collection keys of spec §10 and billing's own.

Registered when `PoliciesConfig.ready()` imports every app's `policies` module. Billing also
reads `movein.fee_start_rule` (§09), declared in the core catalogue until the move-in app
exists."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from guanjia.core.policies.catalogue import integer_policy, ratio_policy
from guanjia.core.policies.registry import Domain, Kind, PolicySpec, is_registered, register

FIN = Domain.FINANCIAL

# Spec §10 Fee collection
FEE_COLLECTION: list[PolicySpec] = [
    integer_policy(
        "billing.notice_deliver_day",
        7,
        _("Fee notices delivered by day"),
        "10",
        "day of month",
        1,
        28,
        domain=FIN,
    ),
    integer_policy(
        "billing.pay_window_workdays",
        3,
        _("Counter payment window after the notice"),
        "10",
        "working days",
        1,
        30,
        domain=FIN,
    ),
    integer_policy(
        "billing.reminder1_days",
        7,
        _("Pay within after the first reminder"),
        "10",
        "days",
        1,
        60,
        domain=FIN,
    ),
    integer_policy(
        "billing.reminder2_days",
        3,
        _("Pay within after the second reminder"),
        "10",
        "days",
        1,
        60,
        domain=FIN,
    ),
    ratio_policy(
        "billing.late_fee_daily_rate",
        "0.003",
        _("Late fee rate per day"),
        "10",
        "0.01",
        unit="ratio/day",
        domain=FIN,
        help_text=_(
            "0.003 is 0.3% a day (2005 contracts); many contracts today use "
            "0.0005. Must match the community's service contract."
        ),
    ),
    integer_policy(
        "billing.late_fee_grace_days",
        0,
        _("Late fee starts after a grace period of"),
        "10",
        "days",
        0,
        365,
        domain=FIN,
    ),
    ratio_policy(
        "billing.late_fee_cap_ratio",
        "1.0",
        _("Late fee cap as a share of the principal"),
        "10",
        "5",
        domain=FIN,
    ),
    integer_policy(
        "billing.hardship_deferral_months_max",
        2,
        _("Longest hardship deferral"),
        "10",
        "months",
        0,
        12,
        domain=FIN,
    ),
    integer_policy(
        "billing.legal_action_after_months",
        6,
        _("Legal action for arrears older than"),
        "10",
        "months",
        1,
        60,
        domain=FIN,
    ),
    ratio_policy(
        "billing.target_collection_rate", "0.98", _("Collection rate target"), "10", domain=FIN
    ),
    PolicySpec(
        "billing.allocation_order",
        Kind.LIST,
        ["oldest_period", "item_priority", "late_fee_last"],
        _("Order for allocating a partial payment"),
        "10",
        "",
        1,
        3,
        domain=FIN,
        choices=(
            ("oldest_period", _("Oldest period first")),
            ("item_priority", _("Fee items in their priority order")),
            ("late_fee_last", _("Late fees last")),
        ),
    ),
    ratio_policy(
        "billing.vacant_discount_rate",
        "0",
        _("Discount for delivered but vacant units"),
        "10",
        domain=FIN,
    ),
]
if not is_registered(FEE_COLLECTION[0].key):
    register(*FEE_COLLECTION)

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

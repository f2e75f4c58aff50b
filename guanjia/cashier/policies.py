"""The cashier's configurable numbers (spec §05 and §10). Registered when
`PoliciesConfig.ready()` imports every app's `policies` module (docs/policies.md).

The allocation order of a partial payment is billing's key `billing.allocation_order`
(§10 `cfg.allocation_order`): the cashier reads it, billing declared it with the other
fee-collection keys."""

from django.utils.translation import gettext_lazy as _

from guanjia.core.policies.catalogue import integer_policy, money_policy
from guanjia.core.policies.registry import Domain, Kind, PolicySpec, register

PREPAYMENT = "cashier.prepayment"
MAX_CASH_OVERNIGHT = "cashier.max_cash_overnight"
ALLOCATION_ORDER = "billing.allocation_order"

register(
    # §05 Cashier work procedure
    money_policy(MAX_CASH_OVERNIGHT, "1000", _("Most cash kept overnight"), "05", "100000"),
    # §10 Payment allocation: what an overpayment becomes
    PolicySpec(
        PREPAYMENT,
        Kind.CHOICE,
        "general",
        _("An overpayment becomes"),
        "10",
        domain=Domain.FINANCIAL,
        choices=(
            ("general", _("A general prepaid balance of the unit")),
            ("per_item", _("A prepaid balance of the fee item the cashier chooses")),
            ("refused", _("Nothing: a payment above what is owed is refused")),
        ),
    ),
)

# §10 Dunning ladder: how long each step gives the resident before the next one. The written
# notices' deadlines are billing's `billing.reminder1_days` and `billing.reminder2_days`.
DUNNING_OPEN_AFTER_MONTHS = "cashier.dunning_open_after_months"
DUNNING_MIN_AMOUNT = "cashier.dunning_min_amount"
DUNNING_OVERDUE_DAYS = "cashier.dunning_overdue_days"
DUNNING_PHONE_DAYS = "cashier.dunning_phone_days"
FINAL_NOTICE_DAYS = "cashier.final_notice_days"
VISIT_DAYS = "cashier.visit_statement_days"
INSTALMENTS_MAX = "cashier.instalments_max"
PROMISE_DAYS_MAX = "cashier.promise_days_max"

register(
    integer_policy(
        DUNNING_OPEN_AFTER_MONTHS,
        1,
        _("An arrears case opens for a bill unpaid after"),
        "10",
        "months",
        0,
        24,
        domain=Domain.FINANCIAL,
    ),
    money_policy(
        DUNNING_MIN_AMOUNT, "0.01", _("Smallest arrears that open a case"), "10", "100000"
    ),
    integer_policy(
        DUNNING_OVERDUE_DAYS,
        7,
        _("Written notice after an overdue case has no step for"),
        "10",
        "days",
        1,
        90,
        domain=Domain.FINANCIAL,
    ),
    integer_policy(
        DUNNING_PHONE_DAYS,
        7,
        _("Written notice after a phone reminder unpaid for"),
        "10",
        "days",
        1,
        90,
        domain=Domain.FINANCIAL,
    ),
    integer_policy(
        FINAL_NOTICE_DAYS,
        5,
        _("Pay within after the final notice"),
        "10",
        "days",
        1,
        60,
        domain=Domain.FINANCIAL,
    ),
    integer_policy(
        VISIT_DAYS,
        15,
        _("Pay within after the director's visit"),
        "10",
        "days",
        1,
        90,
        domain=Domain.FINANCIAL,
    ),
    integer_policy(
        INSTALMENTS_MAX,
        24,
        _("Most instalments in a plan"),
        "10",
        "instalments",
        1,
        60,
        domain=Domain.FINANCIAL,
    ),
    integer_policy(
        PROMISE_DAYS_MAX,
        60,
        _("Longest time a promise to pay may give"),
        "10",
        "days",
        1,
        365,
        domain=Domain.FINANCIAL,
    ),
)

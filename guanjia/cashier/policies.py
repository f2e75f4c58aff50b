"""The cashier's configurable numbers (spec §05 and §10). Registered when
`PoliciesConfig.ready()` imports every app's `policies` module (docs/policies.md).

The allocation order of a partial payment is billing's key `billing.allocation_order`
(§10 `cfg.allocation_order`): the cashier reads it, billing declared it with the other
fee-collection keys."""

from django.utils.translation import gettext_lazy as _

from guanjia.core.policies.catalogue import money_policy
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

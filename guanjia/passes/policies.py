"""The passes app's configurable numbers (spec §20): fees, deposits and validity of each pass
type, the return window after which a deposit is forfeited, and the goods slip's validity.
Registered when `PoliciesConfig.ready()` imports every app's `policies` module."""

from django.utils.translation import gettext_lazy as _

from guanjia.core.policies.catalogue import integer_policy, money_policy
from guanjia.core.policies.registry import Domain, register

register(
    # Renovation worker passes (装修出入证)
    money_policy("pass.worker_deposit", "20", _("Worker pass deposit"), "20", "1000"),
    money_policy("pass.worker_fee", "5", _("Worker pass fee"), "20", "500"),
    integer_policy(
        "pass.worker_long_days", 30, _("Long worker pass valid for"), "20", "days", 1, 92
    ),
    integer_policy(
        "pass.worker_short_days", 15, _("Short worker pass valid for"), "20", "days", 1, 92
    ),
    # Service / temporary passes (劳务/临时出入证)
    money_policy("pass.temp_deposit", "50", _("Service pass deposit"), "20", "1000"),
    money_policy("pass.temp_fee", "5", _("Service pass fee"), "20", "500"),
    integer_policy("pass.temp_valid_days", 90, _("Temporary pass valid for"), "20", "days", 1, 365),
    # Tenant passes (租赁户出入证)
    money_policy("pass.tenant_fee", "10", _("Tenant pass fee"), "20", "500"),
    integer_policy(
        "pass.tenant_max_days", 365, _("Tenant pass valid for at most"), "20", "days", 1, 366
    ),
    # Resident cards (住户卡): free for the first N of a unit, a fee for each further one
    integer_policy(
        "pass.resident_free_per_unit", 3, _("Free resident cards per unit"), "20", "cards", 0, 20
    ),
    money_policy("pass.resident_extra_fee", "10", _("Fee of a further resident card"), "20", "500"),
    integer_policy(
        "pass.resident_valid_days", 1095, _("Resident card valid for"), "20", "days", 30, 3660
    ),
    # A pass reported lost, a pass given back late
    money_policy("pass.reissue_fee", "10", _("Pass reissue fee"), "20", "500"),
    integer_policy(
        "pass.return_window_days",
        7,
        _("Return a pass after expiry within"),
        "20",
        "days",
        0,
        90,
        domain=Domain.FINANCIAL,
    ),
    # Goods pass-out slips (物品放行条)
    integer_policy("pass.slip_valid_days", 1, _("Release slip valid for"), "20", "days", 1, 30),
)

register(
    integer_policy(
        "pass.photo_max_kb", 4096, _("A holder's photo is at most"), "20", "KB", 100, 20480
    ),
)

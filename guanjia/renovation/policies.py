"""The renovation app's configurable numbers (spec §16, §28). Registered when
`PoliciesConfig.ready()` imports every app's `policies` module (docs/policies.md)."""

import datetime as dt

from django.utils.translation import gettext_lazy as _

from guanjia.core.policies.catalogue import (
    FIN,
    flag_policy,
    integer_policy,
    money_policy,
    time_windows,
)
from guanjia.core.policies.registry import Kind, PolicySpec, register

register(
    integer_policy(
        "reno.apply_days_before",
        3,
        _("Apply for renovation before the start by"),
        "16",
        "days",
        0,
        60,
    ),
    integer_policy(
        "reno.review_workdays",
        2,
        _("Reply to a renovation application within"),
        "16",
        "working days",
        1,
        20,
    ),
    PolicySpec(
        "reno.hours",
        Kind.TIME_WINDOW,
        time_windows(("08:00", "12:00"), ("14:00", "18:00")),
        _("Permitted renovation hours"),
        "16",
        "",
        1,
        4,
    ),
    flag_policy(
        "reno.noisy_work_weekend", False, _("Noisy work allowed on weekends and holidays"), "16"
    ),
    PolicySpec(
        "reno.worker_exit_time",
        Kind.TIME,
        dt.time(18, 0),
        _("Renovation workers leave the estate by"),
        "16",
    ),
    integer_policy("reno.max_days", 90, _("Longest renovation period"), "16", "days", 1, 365),
    integer_policy(
        "reno.inspect_interval_days",
        1,
        _("Inspect each renovation site every"),
        "16",
        "days",
        1,
        7,
    ),
    money_policy("reno.deposit_owner", "2000", _("Owner's renovation deposit"), "16", "100000"),
    money_policy(
        "reno.deposit_contractor",
        "0",
        _("Contractor's renovation deposit"),
        "16",
        "100000",
        help_text=_("0: no contractor deposit."),
    ),
    money_policy(
        "reno.debris_fee_per_m2", "2.5", _("Debris removal fee"), "16", "100", unit="yuan/m²"
    ),
    money_policy(
        "reno.debris_penalty",
        "200",
        _("Deduction for debris left in common areas"),
        "16",
        "10000",
    ),
    money_policy(
        "reno.management_fee",
        "0",
        _("Renovation management fee"),
        "16",
        "100000",
        help_text=_("0: no management fee."),
    ),
    flag_policy(
        "reno.minor_deposit_free",
        True,
        _("Minor works (painting, furniture) pay no deposit nor debris fee"),
        "16",
    ),
    integer_policy(
        "reno.plan_max_mb",
        10,
        _("Largest plan or drawing file"),
        "16",
        "MB",
        1,
        50,
    ),
    integer_policy(
        "reno.refund_after_days",
        30,
        _("Deposit refunded after acceptance by"),
        "16",
        "days",
        0,
        365,
        domain=FIN,
    ),
    integer_policy(
        "reno.leak_observation_days",
        90,
        _("Leak observation before the last refund"),
        "16",
        "days",
        0,
        365,
        domain=FIN,
    ),
)

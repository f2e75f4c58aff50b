"""The violations app's configurable numbers (spec §11). Registered when
`PoliciesConfig.ready()` imports every app's `policies` module (docs/policies.md)."""

from django.utils.translation import gettext_lazy as _

from guanjia.core.policies.catalogue import integer_policy
from guanjia.core.policies.registry import register

register(
    integer_policy("violation.fix_days", 7, _("Violation rectified within"), "11", "days", 1, 90),
    integer_policy(
        "violation.appeal_days",
        5,
        _("Owner may appeal a violation notice within"),
        "11",
        "days",
        1,
        30,
    ),
    integer_policy(
        "violation.repeat_count",
        2,
        _("Violations of one unit that make it a repeat offender"),
        "11",
        "violations",
        2,
        20,
    ),
    integer_policy(
        "violation.repeat_window_days",
        365,
        _("Repeat offenders are counted over the last"),
        "11",
        "days",
        30,
        3650,
    ),
    integer_policy("violation.photo_max_mb", 8, _("Largest violation photo"), "11", "MB", 1, 50),
)

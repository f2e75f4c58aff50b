"""The zone patrols' configurable numbers (spec §12, §03). Registered when
`PoliciesConfig.ready()` imports every app's `policies` module (docs/policies.md)."""

from django.utils.translation import gettext_lazy as _

from guanjia.core.policies.catalogue import integer_policy
from guanjia.core.policies.registry import register

register(
    integer_policy(
        "patrol.zone_per_day", 1, _("Zone patrols per working day"), "12", "times/day", 0, 10
    ),
    integer_policy(
        "patrol.building_full_inspection_days",
        30,
        _("Full inspection of each building every"),
        "12",
        "days",
        1,
        365,
    ),
    integer_policy("patrol.photo_max_mb", 8, _("Largest patrol photo"), "12", "MB", 1, 30),
)

"""The vacant units' configurable numbers (spec §13), moved here from the core catalogue.
Registered when `PoliciesConfig.ready()` imports every app's `policies` module
(docs/policies.md)."""

from django.utils.translation import gettext_lazy as _

from guanjia.core.policies.catalogue import flag_policy, integer_policy
from guanjia.core.policies.registry import register

register(
    flag_policy("vacant.glance_daily", True, _("Look at vacant units on the daily patrol"), "13"),
    integer_policy(
        "vacant.inspect_days", 30, _("Inspect inside a vacant unit every"), "13", "days", 1, 90
    ),
    integer_policy(
        "vacant.ventilate_days", 7, _("Ventilate a vacant unit every"), "13", "days", 1, 60
    ),
    integer_policy("vacant.clean_days", 10, _("Clean a vacant unit every"), "13", "days", 1, 90),
    integer_policy(
        "vacant.storm_check_hours",
        24,
        _("Check vacant units after a storm within"),
        "13",
        "hours",
        1,
        168,
    ),
    integer_policy(
        "vacant.plan_days",
        31,
        _("Vacant-unit care tasks are planned ahead for"),
        "13",
        "days",
        1,
        92,
    ),
    integer_policy("vacant.photo_max_mb", 8, _("Largest inspection photo"), "13", "MB", 1, 20),
)

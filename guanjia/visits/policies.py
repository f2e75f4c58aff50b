"""The visits app's configurable numbers (spec §14; the complaint visit's days are the
tickets app's `complaint.visit_days`, §08). Registered when `PoliciesConfig.ready()` imports
every app's `policies` module (docs/policies.md)."""

from django.utils.translation import gettext_lazy as _

from guanjia.core.policies.catalogue import flag_policy, integer_policy, ratio_policy
from guanjia.core.policies.registry import register

register(
    integer_policy(
        "visit.repair_days", 1, _("Follow-up visit after a repair within"), "14", "days", 0, 30
    ),
    ratio_policy("visit.repair_rate", "0.3", _("Share of repairs followed up by a visit"), "14"),
    integer_policy(
        "visit.rework_days",
        3,
        _("Follow-up visit after a repeat repair within"),
        "14",
        "days",
        0,
        30,
    ),
    integer_policy(
        "visit.help_days", 5, _("Follow-up visit after a help request within"), "14", "days", 0, 30
    ),
    ratio_policy(
        "visit.help_rate", "0.5", _("Share of help requests followed up by a visit"), "14"
    ),
    integer_policy(
        "visit.max_attempts",
        3,
        _("Attempts to reach a resident, on different days, before unreachable"),
        "14",
        "attempts",
        1,
        10,
    ),
    integer_policy(
        "visit.lookback_days",
        31,
        _("Visits are generated for tickets done within the last"),
        "14",
        "days",
        1,
        366,
    ),
    ratio_policy(
        "visit.routine_rate_year",
        "1.0",
        _("Share of occupied households visited each year"),
        "14",
    ),
    integer_policy(
        "visit.survey_per_year", 1, _("Satisfaction surveys per year"), "14", "times/year", 0, 12
    ),
    integer_policy(
        "visit.min_gap_days",
        3,
        _("Least days between two visits to one household"),
        "14",
        "days",
        0,
        30,
    ),
    flag_policy(
        "visit.repair_close_after_visit",
        False,
        _("A repair closes only after its follow-up visit"),
        "15",
    ),
    integer_policy(
        "visit.survey_link_days",
        14,
        _("A survey link may be answered for"),
        "14",
        "days",
        1,
        90,
    ),
    integer_policy(
        "visit.survey_followup_days",
        7,
        _("Follow-up visit of a problem raised in the survey within"),
        "14",
        "days",
        1,
        30,
    ),
)

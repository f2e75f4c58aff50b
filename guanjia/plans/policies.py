"""The supervisor's configurable numbers (spec §02), moved here from the core catalogue with
the same keys and defaults, and the plans app's own. Registered when
`PoliciesConfig.ready()` imports every app's `policies` module (docs/policies.md)."""

from django.utils.translation import gettext_lazy as _

from guanjia.core.policies.catalogue import flag_policy, integer_policy
from guanjia.core.policies.registry import Kind, PolicySpec, register

register(
    flag_policy(
        "supervisor.daily_check", True, _("Supervisor checks the front-desk registers daily"), "02"
    ),
    PolicySpec(
        "supervisor.weekly_meeting_weekday",
        Kind.WEEKDAY,
        "MON",
        _("Weekday of the CSC weekly meeting"),
        "02",
    ),
    integer_policy(
        "supervisor.monthly_plan_due_day",
        25,
        _("Monthly work plan due on day"),
        "02",
        "day of month",
        1,
        31,
    ),
    integer_policy(
        "supervisor.monthly_report_due_day",
        -1,
        _("Monthly summary due on day"),
        "02",
        "day of month",
        -1,
        28,
        help_text=_(
            "−1: last working day of the month; 0: last calendar day of the month; "
            "1–28: that day of the following month."
        ),
    ),
    integer_policy(
        "supervisor.min_visits_month",
        5,
        _("Supervisor's own follow-up visits per month"),
        "02",
        "households/month",
        0,
        100,
    ),
    integer_policy(
        "supervisor.case_study_per_month",
        1,
        _("Case studies per month"),
        "02",
        "times/month",
        0,
        10,
    ),
    # The plans app's own.
    integer_policy(
        "supervisor.annual_plan_due_month",
        12,
        _("Annual work plan due: month"),
        "02",
        "month",
        1,
        12,
    ),
    integer_policy(
        "supervisor.annual_plan_due_day",
        31,
        _("Annual work plan due: day"),
        "02",
        "day of month",
        1,
        31,
    ),
    integer_policy(
        "supervisor.remind_days_before",
        3,
        _("Remind the supervisor of a plan or summary due within"),
        "02",
        "days",
        0,
        15,
    ),
)

"""The training app's configurable numbers (spec §21) besides those of the core catalogue
(`training.annual_plan_due_month/_day`, `training.induction_days`,
`training.probation_min_hours`, `training.annual_min_hours`, `hr.probation_months`). HR
rules: company-wide HR keys. Registered when `PoliciesConfig.ready()` imports every app's
`policies` module (docs/policies.md)."""

from django.utils.translation import gettext_lazy as _

from guanjia.core.policies.catalogue import integer_policy, ratio_policy
from guanjia.core.policies.registry import Domain, Scope, register

HR = {"domain": Domain.HR, "scope": Scope.COMPANY}

register(
    integer_policy(
        "training.plan_reminder_days",
        14,
        _("Remind the supervisor of the annual training plan before it is due by"),
        "21",
        "days",
        1,
        90,
        **HR,
    ),
    integer_policy(
        "training.retest_days",
        7,
        _("A failed test is retaken within"),
        "21",
        "days",
        1,
        90,
        **HR,
    ),
    ratio_policy(
        "training.pass_mark_ratio",
        "0.6",
        _("Suggested pass mark of a new test, as a share of the highest score"),
        "21",
        help_text=_("The manual's example: 60 of 100."),
        **HR,
    ),
    integer_policy(
        "training.file_max_mb", 20, _("Largest material or scanned sheet"), "21", "MB", 1, 50, **HR
    ),
)

"""The conduct app's configurable numbers: service standards and spot checks (spec §07) and
rewards and penalties (§23). HR rules (`rp.*`) are company-wide HR keys. Registered when
`PoliciesConfig.ready()` imports every app's `policies` module (docs/policies.md)."""

from django.utils.translation import gettext_lazy as _

from guanjia.core.policies.catalogue import integer_policy, ratio_policy
from guanjia.core.policies.registry import Domain, Scope, register

HR = {"domain": Domain.HR, "scope": Scope.COMPANY}

register(
    # §07 Service standards: spot checks
    integer_policy(
        "spotcheck.photo_max_mb", 8, _("Largest photo of a spot check"), "07", "MB", 1, 20
    ),
    # §23 Rewards and penalties
    integer_policy(
        "rp.appeal_days", 5, _("Staff may appeal a penalty within"), "23", "days", 1, 30, **HR
    ),
    integer_policy(
        "rp.lapse_months",
        12,
        _("A minor penalty lapses after"),
        "23",
        "months",
        1,
        60,
        help_text=_("For the levels marked as lapsing (warnings, demerit)."),
        **HR,
    ),
    ratio_policy(
        "rp.pay_cut_cap_ratio",
        "0.2",
        _("Largest deduction as a share of the monthly pay"),
        "23",
        help_text=_("A penalty amount above it is flagged to HR (labour law)."),
        **HR,
    ),
    integer_policy(
        "rp.cumulative_months",
        12,
        _("Records counted by a cumulative rule within"),
        "23",
        "months",
        1,
        60,
        **HR,
    ),
    integer_policy(
        "rp.proposal_lookback_days",
        31,
        _("Proposals are generated from events of the last"),
        "23",
        "days",
        1,
        366,
        **HR,
    ),
)

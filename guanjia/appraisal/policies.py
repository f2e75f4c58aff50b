"""The appraisal app's configurable numbers (spec §24): the weights of each role's measures
(one key per role, refused unless they add up to 100 %), the grade bands, the limits of an
"excellent" grade, the windows of the workflow and the deductions of the measures. HR keys,
company-wide. Registered when `PoliciesConfig.ready()` imports every app's `policies` module
(docs/policies.md)."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from guanjia.core.policies.catalogue import integer_policy, ratio_policy
from guanjia.core.policies.registry import Domain, Kind, PolicySpec, Scope, register

HR: dict[str, Any] = {"domain": Domain.HR, "scope": Scope.COMPANY}

# The roles appraised on measures of their own (spec §24 "role-specific result indicators").
APPRAISED_ROLES = ("receptionist", "cashier", "area_manager", "supervisor")

# The default weights (percent) per role: measure code -> weight. The measures themselves are
# in `measures.py`; a weight names a measure that declares the role.
DEFAULT_WEIGHTS: dict[str, dict[str, int]] = {
    "receptionist": {
        "register_completeness": 25,
        "on_time_closure": 25,
        "callbacks": 20,
        "spot_checks": 15,
        "attendance": 15,
    },
    "cashier": {
        "collection_rate": 25,
        "daily_report_on_time": 15,
        "cash_accuracy": 15,
        "receipt_voids": 15,
        "spot_checks": 15,
        "attendance": 15,
    },
    "area_manager": {
        "zone_collection_rate": 15,
        "patrol_completion": 15,
        "violations_corrected": 10,
        "renovation_inspections": 10,
        "visits_done": 10,
        "zone_complaints": 10,
        "spot_checks": 15,
        "attendance": 15,
    },
    "supervisor": {
        "complaint_handling": 15,
        "complaint_visits": 15,
        "repair_visits": 10,
        "satisfaction": 15,
        "collection_rate": 15,
        "spot_checks": 15,
        "attendance": 15,
    },
}


def weights_text(weights: dict[str, int]) -> list[str]:
    """The stored form of a role's weights: ["measure=percent", ...]."""
    return [f"{code}={percent}" for code, percent in weights.items()]


def parse_weights(items: list[str]) -> dict[str, int]:
    """{measure: percent} of a stored list; ValidationError when an item is malformed."""
    weights: dict[str, int] = {}
    for item in items:
        code, sep, number = item.partition("=")
        if not sep or not number.strip().isdigit():
            raise ValidationError(
                _("Write each weight as measure=percent (“%(item)s” is not)."),
                code="invalid",
                params={"item": item},
            )
        weights[code.strip()] = int(number)
    return weights


@dataclasses.dataclass(frozen=True)
class WeightsSpec(PolicySpec):
    """A role's weights: a list of measure=percent that must name the role's measures and add
    up to exactly 100 (spec §24: weights that do not add up are refused)."""

    role: str = ""

    def clean(self, raw: Any) -> Any:
        from .measures import measures_for

        items = super().clean(raw)
        weights = parse_weights(items)
        known = {m.code for m in measures_for(self.role)}
        unknown = sorted(set(weights) - known)
        if unknown:
            raise ValidationError(
                _("“%(code)s” is not a measure of this role (measures: %(known)s)."),
                code="unknown_measure",
                params={"code": unknown[0], "known": ", ".join(sorted(known))},
            )
        total = sum(weights.values())
        if total != 100:
            raise ValidationError(
                _("The weights add up to %(total)s %%, not 100 %%."),
                code="weights_total",
                params={"total": total},
            )
        return items


def _weights(role: str, label: Any) -> WeightsSpec:
    return WeightsSpec(
        f"appraisal.weights.{role}",
        Kind.LIST,
        weights_text(DEFAULT_WEIGHTS[role]),
        label,
        "24",
        minimum=1,
        help_text=_("measure=percent, separated by commas; they must add up to 100."),
        role=role,
        **HR,
    )


register(
    _weights("receptionist", _("Weights of a receptionist's monthly score")),
    _weights("cashier", _("Weights of a cashier's monthly score")),
    _weights("area_manager", _("Weights of an area manager's monthly score")),
    _weights("supervisor", _("Weights of a supervisor's monthly score")),
    # Grade bands (A ≥ 90, B ≥ 80, C ≥ 70, D ≥ 60, E below).
    integer_policy(
        "appraisal.grade_a_min", 90, _("Lowest score of grade A"), "24", "", 1, 100, **HR
    ),
    integer_policy(
        "appraisal.grade_b_min", 80, _("Lowest score of grade B"), "24", "", 1, 100, **HR
    ),
    integer_policy(
        "appraisal.grade_c_min", 70, _("Lowest score of grade C"), "24", "", 1, 100, **HR
    ),
    integer_policy(
        "appraisal.grade_d_min", 60, _("Lowest score of grade D"), "24", "", 1, 100, **HR
    ),
    # The limits of an excellent (A) grade.
    integer_policy(
        "appraisal.excellent_max_lates",
        12,
        _("Most lates or early leaves of an excellent"),
        "24",
        "times",
        0,
        365,
        **HR,
    ),
    integer_policy(
        "appraisal.excellent_max_absent_halves",
        2,
        _("Most absence of an excellent (half days)"),
        "24",
        "",
        0,
        365,
        **HR,
    ),
    integer_policy(
        "appraisal.small_team_size", 5, _("A team is small up to"), "24", "", 1, 100, **HR
    ),
    integer_policy(
        "appraisal.excellent_quota_small",
        1,
        _("Excellent grades in a small team"),
        "24",
        "",
        0,
        100,
        **HR,
    ),
    integer_policy(
        "appraisal.excellent_quota_large",
        2,
        _("Excellent grades in a larger team"),
        "24",
        "",
        0,
        100,
        **HR,
    ),
    integer_policy(
        "appraisal.department_average_cap",
        85,
        _("Highest average score of a department"),
        "24",
        "",
        1,
        100,
        **HR,
    ),
    # The workflow's windows.
    integer_policy(
        "appraisal.appeal_workdays",
        3,
        _("Staff may appeal an appraisal within"),
        "24",
        "working days",
        1,
        30,
        **HR,
    ),
    integer_policy(
        "appraisal.self_assessment_days",
        7,
        _("Self-assessment due within"),
        "24",
        "days",
        1,
        60,
        **HR,
    ),
    integer_policy(
        "appraisal.below_threshold",
        60,
        _("Staff below this score are reported"),
        "24",
        "",
        1,
        100,
        **HR,
    ),
    # The measures' own numbers.
    integer_policy(
        "appraisal.desk_answer_hours",
        24,
        _("A desk entry counts as closed on time within"),
        "24",
        "hours",
        1,
        720,
        **HR,
    ),
    integer_policy(
        "appraisal.daily_report_days",
        1,
        _("A cashier's day counts as reported on time within"),
        "24",
        "days",
        0,
        10,
        **HR,
    ),
    integer_policy(
        "appraisal.complaint_deduction",
        5,
        _("Points off per valid complaint from a zone"),
        "24",
        "",
        0,
        100,
        **HR,
    ),
    integer_policy(
        "appraisal.void_deduction", 5, _("Points off per voided receipt"), "24", "", 0, 100, **HR
    ),
    integer_policy(
        "appraisal.late_deduction",
        2,
        _("Points off the attendance measure per late day"),
        "24",
        "",
        0,
        100,
        **HR,
    ),
    ratio_policy(
        "appraisal.conduct_points_factor",
        "0.5",
        _("Score points per reward or penalty point"),
        "24",
        high="5",
        **HR,
    ),
    ratio_policy("appraisal.repair_visit_target", "0.3", _("Repair visit rate target"), "24", **HR),
    ratio_policy(
        "appraisal.satisfaction_target", "0.95", _("Satisfaction rate target"), "24", **HR
    ),
)

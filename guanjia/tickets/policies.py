"""The tickets app's configurable numbers: complaints (spec §08), repairs (§15), calls, visits
and letters (§18), and the deadline warning. Registered when `PoliciesConfig.ready()`
imports every app's `policies` module (docs/policies.md)."""

from django.utils.translation import gettext_lazy as _

from guanjia.core.policies.catalogue import integer_policy, ratio_policy
from guanjia.core.policies.registry import Kind, PolicySpec, register

register(
    # Spec §08 Complaint handling
    integer_policy(
        "complaint.first_reply_hours",
        24,
        _("First reply to a complaint within"),
        "08",
        "hours",
        1,
        168,
    ),
    integer_policy(
        "complaint.minor_resolve_hours",
        24,
        _("Ordinary complaint resolved within"),
        "08",
        "hours",
        1,
        168,
    ),
    integer_policy(
        "complaint.important_resolve_days",
        3,
        _("Important complaint resolved within"),
        "08",
        "days",
        1,
        30,
    ),
    integer_policy(
        "complaint.analysis_days",
        1,
        _("Cause analysis of a valid complaint started within"),
        "08",
        "days",
        1,
        30,
    ),
    integer_policy(
        "complaint.hq_forward_check_days",
        2,
        _("Head office checks a forwarded complaint's result within"),
        "08",
        "days",
        1,
        30,
    ),
    integer_policy(
        "complaint.major_after_days",
        30,
        _("Unresolved complaint becomes major after"),
        "08",
        "days",
        1,
        365,
    ),
    integer_policy(
        "complaint.invalid_explain_days",
        2,
        _("Invalid complaint explained within"),
        "08",
        "days",
        1,
        30,
    ),
    integer_policy(
        "complaint.visit_days",
        3,
        _("Follow-up visit after a complaint within"),
        "08",
        "days",
        1,
        30,
    ),
    ratio_policy(
        "complaint.visit_rate_target", "1.0", _("Complaint follow-up visit rate target"), "08"
    ),
    # Not a cfg name of the spec: §27's typical target of the complaint handling rate (100 %),
    # drawn as the target line of the KPI chart.
    ratio_policy(
        "complaint.handling_rate_target", "1.0", _("Complaint handling rate target"), "08"
    ),
    # Spec §15 Repair requests
    integer_policy(
        "repair.emergency_arrive_min",
        15,
        _("Emergency repair: on site within"),
        "15",
        "minutes",
        5,
        240,
    ),
    integer_policy(
        "repair.normal_arrive_min",
        30,
        _("Ordinary repair: on site within"),
        "15",
        "minutes",
        5,
        1440,
    ),
    integer_policy(
        "repair.appointment_tolerance_min",
        15,
        _("Tolerance on an appointment time"),
        "15",
        "minutes",
        0,
        120,
    ),
    integer_policy(
        "repair.small_complete_days", 2, _("Small repair completed within"), "15", "days", 1, 30
    ),
    ratio_policy("repair.timely_target", "0.98", _("Repair timeliness target"), "15"),
    ratio_policy("repair.rework_max", "0.02", _("Highest acceptable rework rate"), "15"),
    integer_policy(
        "repair.rework_window_days",
        30,
        _("A repeat repair counts as rework within"),
        "15",
        "days",
        1,
        365,
    ),
    # Spec §18 Calls, visits and letters
    integer_policy(
        "contact.callback_hours",
        4,
        _("Call back an unanswered question within"),
        "18",
        "hours",
        1,
        72,
    ),
    integer_policy(
        "contact.letter_reply_workdays",
        5,
        _("Written reply to a letter within"),
        "18",
        "working days",
        1,
        30,
    ),
    integer_policy(
        "contact.visitor_log_retention_days",
        180,
        _("Keep the visitor register for"),
        "18",
        "days",
        30,
        3650,
    ),
)

register(
    PolicySpec(
        "ticket.warn_before_min",
        Kind.INTEGER,
        60,
        _("Warn the handler and the supervisor before a ticket deadline"),
        "08",
        "minutes",
        5,
        1440,
    ),
)

"""The `cfg.*` keys of the manual (spec §28 and each procedure) whose apps do not exist yet,
the spec's section titles, and the shorthands apps use to declare their keys.

An app that exists declares its own keys in `<app>/policies.py` (billing's §10 keys in
`guanjia/billing/policies.py`, complaints, repairs and the register in
`guanjia/tickets/policies.py`); when a new app is built, its keys move from here to it
(docs/policies.md, "Declaring an app's keys"). The mapping from the spec's names is in
docs/policies.md. Registered once by `PoliciesConfig.ready()`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .registry import WEEKDAYS, Domain, Kind, PolicySpec, Scope, is_registered, register

FIN, HR = Domain.FINANCIAL, Domain.HR
COMPANY = Scope.COMPANY

# The spec's sections (procedures.md), for grouping keys on the Policies page.
SECTIONS: dict[str, Promise] = {
    "00": _("General conventions"),
    "01": _("Organisation chart"),
    "02": _("Supervisor work procedure"),
    "03": _("Area manager work procedure"),
    "04": _("Front-desk reception"),
    "05": _("Cashier work procedure"),
    "06": _("Shift handover"),
    "07": _("Appearance, language and service standards"),
    "08": _("Complaint handling"),
    "09": _("Handover and move-in"),
    "10": _("Fee collection"),
    "11": _("Occupant violations"),
    "12": _("Zone patrol"),
    "13": _("Vacant units"),
    "14": _("Follow-up visits"),
    "15": _("Repair requests"),
    "16": _("Renovation management"),
    "17": _("Renovation forms"),
    "18": _("Calls, visits and letters"),
    "19": _("Violations by persons in the community"),
    "20": _("Pass management"),
    "21": _("Staff training"),
    "22": _("Labour discipline"),
    "23": _("Rewards and penalties"),
    "24": _("Staff appraisal"),
    "25": _("Data model"),
    "26": _("Roles, permissions and security"),
    "27": _("KPI catalogue"),
}


def integer_policy(
    key: str,
    default: int,
    label: Promise,
    section: str,
    unit: str,
    low: int,
    high: int,
    **extra: Any,
) -> PolicySpec:
    """A whole-number key from `low` to `high`, counted in `unit`."""
    return PolicySpec(key, Kind.INTEGER, default, label, section, unit, low, high, **extra)


def ratio_policy(
    key: str, default: str, label: Promise, section: str, high: str = "1", **extra: Any
) -> PolicySpec:
    """A decimal key from 0 to `high` (a share: 1 = 100 %)."""
    unit = extra.pop("unit", "ratio")
    return PolicySpec(
        key,
        Kind.DECIMAL,
        Decimal(default),
        label,
        section,
        unit,
        Decimal(0),
        Decimal(high),
        **extra,
    )


def money_policy(
    key: str, default: str, label: Promise, section: str, high: str, **extra: Any
) -> PolicySpec:
    """An amount in yuan from 0 to `high`: a financial key."""
    unit = extra.pop("unit", "yuan")
    return PolicySpec(
        key,
        Kind.MONEY,
        Decimal(default).quantize(Decimal("0.01")),
        label,
        section,
        unit,
        Decimal(0),
        Decimal(high),
        domain=FIN,
        **extra,
    )


def flag_policy(key: str, default: bool, label: Promise, section: str, **extra: Any) -> PolicySpec:
    """A yes-or-no key."""
    return PolicySpec(key, Kind.BOOLEAN, default, label, section, **extra)


def time_windows(*windows: tuple[str, str]) -> list[tuple[dt.time, dt.time]]:
    """Time windows from ("08:00", "12:00") pairs: the default of a TIME_WINDOW key."""
    return [(dt.time.fromisoformat(a), dt.time.fromisoformat(b)) for a, b in windows]


# Short names for the table below.
_int, _ratio, _money, _flag, _hours = (
    integer_policy,
    ratio_policy,
    money_policy,
    flag_policy,
    time_windows,
)

# The table is laid out by hand, one key to a line or two: the formatter would spread it
# over a thousand lines.
# fmt: off
CATALOGUE: list[PolicySpec] = [
    # §0.4 Cross-cutting conventions: the working week of the working-time clock
    PolicySpec(
        "calendar.workdays", Kind.LIST, ["MON", "TUE", "WED", "THU", "FRI"],
        _("Working days of the week"), "00", "", 1, 7, choices=WEEKDAYS,
        help_text=_("The working week of the working-time clock where the calendar has no "
                    "working schedule for the community or its company (Calendar → working "
                    "week, which also sets office hours); public holidays come from the "
                    "calendar."),
    ),
    # §02 Supervisor work procedure
    _flag("supervisor.daily_check", True, _("Supervisor checks the front-desk registers daily"),
          "02"),
    PolicySpec("supervisor.weekly_meeting_weekday", Kind.WEEKDAY, "MON",
               _("Weekday of the CSC weekly meeting"), "02"),
    _int("supervisor.monthly_plan_due_day", 25, _("Monthly work plan due on day"), "02",
         "day of month", 1, 31),
    _int("supervisor.monthly_report_due_day", -1, _("Monthly summary due on day"), "02",
         "day of month", -1, 28,
         help_text=_("−1: last working day of the month; 0: last calendar day of the month; "
                     "1–28: that day of the following month.")),
    _int("supervisor.min_visits_month", 5, _("Supervisor's own follow-up visits per month"),
         "02", "households/month", 0, 100),
    _int("supervisor.case_study_per_month", 1, _("Case studies per month"), "02",
         "times/month", 0, 10),
    # §03 Area manager work procedure
    _int("visit.home_visits_per_household_year", 2, _("Home visits per household per year"),
         "03", "times/year", 0, 12),
    # §04 Front-desk reception
    _int("desk.phone_answer_rings", 3, _("Answer the phone within"), "04", "rings", 1, 10),
    _int("desk.phone_interrupt_max_min", 3, _("Longest phone call while serving a visitor"),
         "04", "minutes", 1, 30),
    PolicySpec("desk.hours", Kind.TIME_WINDOW, _hours(("08:00", "20:00")),
               _("Front-desk opening hours"), "04", "", 1, 4,
               help_text=_("After hours, the security control room takes calls.")),
    # §06 Shift handover
    _int("handover.arrive_early_min", 15, _("Arrive before the shift by"), "06", "minutes",
         0, 60),
    # §09 Handover and move-in
    _flag("movein.deemed_delivery_enabled", True,
          _("Treat an owner who does not come as delivered"), "09", domain=FIN),
    _int("movein.deemed_delivery_days", 30, _("Deemed delivered after the notice by"), "09",
         "days", 1, 365, domain=FIN),
    PolicySpec(
        "movein.fee_start_rule", Kind.CHOICE, "half_month", _("Fee start rule on delivery"),
        "09", domain=FIN,
        choices=(
            ("half_month", _("Delivered 1st–15th: from the 15th; later: from next month")),
            ("daily", _("Daily proration from the delivery date")),
            ("next_month", _("From the next month")),
        ),
    ),
    _int("movein.prepay_months_max", 3, _("Most months of fees prepaid at move-in"), "09",
         "months", 0, 12, domain=FIN),
    _int("movein.free_access_cards", 2, _("Free access cards per unit"), "09", "cards", 0, 10),
    _int("movein.defect_fix_days", 15, _("Defects rectified within"), "09", "days", 1, 90),
    # §11 Occupant violations: declared by the violations app (guanjia/violations/policies.py).
    # §12 Zone patrol
    _int("patrol.zone_per_day", 1, _("Zone patrols per working day"), "12", "times/day", 0, 10),
    _int("patrol.building_full_inspection_days", 30, _("Full inspection of each building every"),
         "12", "days", 1, 365),
    # §13 Vacant units
    _flag("vacant.glance_daily", True, _("Look at vacant units on the daily patrol"), "13"),
    _int("vacant.inspect_days", 30, _("Inspect inside a vacant unit every"), "13", "days",
         1, 90),
    _int("vacant.ventilate_days", 7, _("Ventilate a vacant unit every"), "13", "days", 1, 60),
    _int("vacant.clean_days", 10, _("Clean a vacant unit every"), "13", "days", 1, 90),
    _int("vacant.storm_check_hours", 24, _("Check vacant units after a storm within"), "13",
         "hours", 1, 168),
    # §14 Follow-up visits: declared by the visits app (guanjia/visits/policies.py).
    # §16 Renovation management
    _int("reno.apply_days_before", 3, _("Apply for renovation before the start by"), "16",
         "days", 0, 60),
    _int("reno.review_workdays", 2, _("Reply to a renovation application within"), "16",
         "working days", 1, 20),
    PolicySpec("reno.hours", Kind.TIME_WINDOW, _hours(("08:00", "12:00"), ("14:00", "18:00")),
               _("Permitted renovation hours"), "16", "", 1, 4),
    _flag("reno.noisy_work_weekend", False,
          _("Noisy work allowed on weekends and holidays"), "16"),
    PolicySpec("reno.worker_exit_time", Kind.TIME, dt.time(18, 0),
               _("Renovation workers leave the estate by"), "16"),
    _int("reno.max_days", 90, _("Longest renovation period"), "16", "days", 1, 365),
    _int("reno.inspect_interval_days", 1, _("Inspect each renovation site every"), "16",
         "days", 1, 7),
    _money("reno.deposit_owner", "2000", _("Owner's renovation deposit"), "16", "100000"),
    _money("reno.deposit_contractor", "0", _("Contractor's renovation deposit"), "16",
           "100000", help_text=_("0: no contractor deposit.")),
    _money("reno.debris_fee_per_m2", "2.5", _("Debris removal fee"), "16", "100",
           unit="yuan/m²"),
    _money("reno.debris_penalty", "200", _("Deduction for debris left in common areas"), "16",
           "10000"),
    _int("reno.refund_after_days", 30, _("Deposit refunded after acceptance by"), "16",
         "days", 0, 365, domain=FIN),
    _int("reno.leak_observation_days", 90, _("Leak observation before the last refund"), "16",
         "days", 0, 365, domain=FIN),
    # §20 Pass management
    _money("pass.worker_deposit", "20", _("Worker pass deposit"), "20", "1000"),
    _money("pass.worker_fee", "5", _("Worker pass fee"), "20", "500"),
    _money("pass.reissue_fee", "10", _("Pass reissue fee"), "20", "500"),
    _int("pass.temp_valid_days", 90, _("Temporary pass valid for"), "20", "days", 1, 365),
    _int("pass.return_window_days", 7, _("Return a pass after expiry within"), "20", "days",
         0, 90, domain=FIN),
    _int("pass.slip_valid_days", 1, _("Release slip valid for"), "20", "days", 1, 30),
    # §21 Staff training (HR rules are company-wide)
    _int("training.annual_plan_due_month", 12, _("Annual training plan due: month"), "21",
         "month", 1, 12, domain=HR, scope=COMPANY),
    _int("training.annual_plan_due_day", 15, _("Annual training plan due: day"), "21",
         "day of month", 1, 31, domain=HR, scope=COMPANY),
    _int("training.induction_days", 7, _("Induction training length"), "21", "days", 1, 60,
         domain=HR, scope=COMPANY),
    _int("training.probation_min_hours", 20, _("Least training hours during probation"),
         "21", "hours", 0, 200, domain=HR, scope=COMPANY),
    _int("training.annual_min_hours", 70, _("Least on-the-job training hours per year"), "21",
         "hours", 0, 500, domain=HR, scope=COMPANY),
    _int("hr.probation_months", 3, _("Probation period"), "21", "months", 1, 6, domain=HR,
         scope=COMPANY),
    # §22 Labour discipline
    _int("att.late_threshold_min", 10, _("Late when arriving more than"), "22", "minutes",
         1, 60, domain=HR, scope=COMPANY),
    _int("att.half_absent_after_min", 10, _("Half-day absence when late more than"), "22",
         "minutes", 1, 240, domain=HR, scope=COMPANY),
    _int("att.full_absent_after_min", 60, _("Full-day absence when late more than"), "22",
         "minutes", 1, 480, domain=HR, scope=COMPANY),
    _int("att.lates_per_absence", 3, _("Lates in a month that count as one absence"), "22",
         "times", 1, 10, domain=HR, scope=COMPANY),
    _int("att.absent_days_dismiss", 3, _("Consecutive absent days treated as resignation"),
         "22", "days", 1, 15, domain=HR, scope=COMPANY),
    _int("att.max_missing_punch", 3, _("Missing clock-ins excused per month"), "22", "times",
         0, 31, domain=HR, scope=COMPANY),
    _int("att.leave_supervisor_max_days", 2, _("Leave the supervisor may approve"), "22",
         "days", 0, 30, domain=HR, scope=COMPANY),
    _int("att.leave_director_max_days", 7, _("Leave the director may approve"), "22", "days",
         0, 90, domain=HR, scope=COMPANY,
         help_text=_("Longer leave is approved by company HR.")),
    _int("att.report_day", 5, _("Attendance report to HR by day"), "22", "day of month", 1, 31,
         domain=HR, scope=COMPANY, help_text=_("Day of the following month.")),
    # §23 Rewards and penalties
    _int("rp.appeal_days", 5, _("Staff may appeal a penalty within"), "23", "days", 1, 30,
         domain=HR, scope=COMPANY),
    # §26 Roles and permissions: approval limits, and the idle logout of shared desks
    _money("approval.waiver_sup_max", "200", _("Largest waiver a supervisor may approve"),
           "26", "1000000", scope=COMPANY),
    _money("approval.waiver_dir_max", "1000", _("Largest waiver a director may approve"),
           "26", "1000000", scope=COMPANY),
    _money("approval.deduction_dir_max", "2000",
           _("Largest deposit deduction a director may approve"), "26", "1000000",
           scope=COMPANY),
    _int("security.idle_timeout_minutes", 30, _("Log out a shared computer after idle"), "26",
         "minutes", 5, 720, scope=COMPANY),
]
# fmt: on


def register_catalogue() -> None:
    """Register the catalogue once (ready() may run again when apps are reloaded)."""
    if not is_registered(CATALOGUE[0].key):
        register(*CATALOGUE)

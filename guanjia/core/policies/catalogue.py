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
    # §11 Occupant violations: declared by the violations app (guanjia/violations/policies.py).
    # §12 Zone patrol: guanjia/patrols/policies.py
    # §13 Vacant units: declared by the vacant app (guanjia/vacant/policies.py).
    # §14 Follow-up visits: declared by the visits app (guanjia/visits/policies.py).
    # §16 Renovation management: declared by the renovation app (guanjia/renovation/policies.py).
    # §20 Pass management: declared by the passes app (guanjia/passes/policies.py).
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
    # §22 Labour discipline: guanjia/attendance/policies.py
    # §23 Rewards and penalties: guanjia/conduct/policies.py
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

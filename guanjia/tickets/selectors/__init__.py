"""Reads of the tickets app: desk views (lists, dashboard, timeline) and the KPIs of §27."""

from .desk import (
    Dashboard,
    complaint_clock_waits,
    countdown,
    dashboard,
    due_soon_q,
    overdue_q,
    repair_clock_waits,
    tickets_for_unit,
    unit_residents,
)
from .kpis import (
    GROUPINGS,
    ComplaintKpis,
    DeskKpis,
    MonthlyTrend,
    Ratio,
    RepairKpis,
    complaint_kpis,
    desk_kpis,
    monthly_trend,
    repair_kpis,
)

__all__ = [
    "GROUPINGS",
    "ComplaintKpis",
    "Dashboard",
    "DeskKpis",
    "MonthlyTrend",
    "Ratio",
    "RepairKpis",
    "complaint_clock_waits",
    "complaint_kpis",
    "countdown",
    "dashboard",
    "desk_kpis",
    "due_soon_q",
    "monthly_trend",
    "overdue_q",
    "repair_clock_waits",
    "repair_kpis",
    "tickets_for_unit",
    "unit_residents",
]

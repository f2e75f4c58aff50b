import datetime as dt
from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from guanjia.core.context_processors import NavItem

_OWN = [
    "attendance.be_rostered",
    "attendance.view_rosterentry",
    "attendance.add_shiftswap",
    "attendance.view_shiftswap",
    "attendance.add_leave",
    "attendance.view_leave",
    "attendance.add_missingpunch",
    "attendance.view_missingpunch",
    "attendance.view_attendanceday",
]
_MANAGE = [
    "attendance.add_rosterentry",
    "attendance.delete_rosterentry",
    "attendance.approve_shiftswap",
    "attendance.approve_missingpunch",
    "attendance.approve_leave",
    "attendance.add_punch",
    "attendance.view_punch",
    "attendance.view_all_attendance",
    "attendance.submit_attendancesheet",
    "attendance.view_attendancesheet",
    "attendance.view_attendance_kpis",
]
_HR = [
    "attendance.view_rosterentry",
    "attendance.view_shiftswap",
    "attendance.view_leave",
    "attendance.view_missingpunch",
    "attendance.view_attendanceday",
    "attendance.approve_leave",
    "attendance.approve_long_leave",
    "attendance.approve_any_leave",
    "attendance.add_punch",
    "attendance.view_punch",
    "attendance.view_all_attendance",
    "attendance.correct_attendance",
    "attendance.view_attendancesheet",
    "attendance.view_attendance_kpis",
    "attendance.add_leaveallowance",
]
_READ = [
    "attendance.view_rosterentry",
    "attendance.view_attendanceday",
    "attendance.view_all_attendance",
    "attendance.view_attendancesheet",
    "attendance.view_attendance_kpis",
]


def _nav(label: Any, url_name: str, perm: str, order: int) -> NavItem:
    return NavItem(_("Attendance"), label, url_name, perm, order)


class AttendanceConfig(AppConfig):
    name = "guanjia.attendance"
    label = "attendance"
    verbose_name = _("Attendance")
    default_auto_field = "django.db.models.BigAutoField"

    # Spec §26 "Attendance/leave": the staff ask their own leave (C own); the supervisor
    # approves short leave and rosters (A, U), the director long leave, company HR any leave
    # and corrections after the sheet is submitted (A, R).
    role_permissions: dict[str, list[str]] = {
        "receptionist": _OWN,
        "cashier": _OWN,
        "security": _OWN,
        "area_manager": _OWN,
        "technician": _OWN,
        "engineering_lead": _OWN,
        "supervisor": [*_OWN, *_MANAGE],
        "director": [*_OWN, *_MANAGE, "attendance.approve_long_leave"],
        "hr": _HR,
        "management": _READ,
        "auditor": _READ,
    }
    nav_items = [
        _nav(_("My attendance"), "attendance:mine", "attendance.be_rostered", 60),
        _nav(_("Rosters"), "attendance:roster", "attendance.view_rosterentry", 61),
        _nav(_("Attendance days"), "attendance:day-list", "attendance.view_all_attendance", 62),
        _nav(_("Leave"), "attendance:leave-list", "attendance.view_leave", 63),
        _nav(_("Shift swaps"), "attendance:swap-list", "attendance.view_shiftswap", 64),
        _nav(_("Missing punches"), "attendance:missing-list", "attendance.view_missingpunch", 65),
        _nav(_("Attendance sheet"), "attendance:sheet", "attendance.view_attendancesheet", 66),
        _nav(_("Attendance KPIs"), "attendance:kpis", "attendance.view_attendance_kpis", 67),
    ]
    importers = ["guanjia.attendance.importers.PunchImporter"]
    exporters = ["guanjia.attendance.importers.SheetExporter"]

    def ready(self) -> None:
        from guanjia.core.files.registry import register_file
        from guanjia.core.jobs.registry import schedule
        from guanjia.desk.services import register_relief_check

        from . import announcements, workbench
        from .models import Leave
        from .services import relief_refusal

        announcements.register()  # who is told of leave, swaps and missing punches to decide
        workbench.register()  # what waits for whom on the home page

        register_relief_check(relief_refusal)
        register_file(
            Leave, "attachment", perm="attendance.view_all_attendance", name_field="original_name"
        )
        schedule(
            "attendance.compute",
            "guanjia.attendance.services.compute.compute_nightly",
            minutes=24 * 60,
            at=dt.time(1, 30),
        )
        post_migrate.connect(_sync_roles_after_migrate, sender=self)


def _sync_roles_after_migrate(sender: AppConfig, **kwargs: Any) -> None:
    from guanjia.accounts.services import sync_roles

    sync_roles(using=kwargs.get("using", "default"))

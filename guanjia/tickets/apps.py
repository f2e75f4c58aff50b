from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from guanjia.core.context_processors import NavItem

_REQ = ["tickets.view_servicerequest", "tickets.add_servicerequest"]
_ANSWER = "tickets.change_servicerequest"
_VIEW = ["tickets.view_servicerequest", "tickets.view_complaint", "tickets.view_repairorder"]
_HANDLE = ["tickets.change_complaint", "tickets.add_complaintaction"]
_REPAIR = ["tickets.add_repairorder", "tickets.change_repairorder"]
_DISPATCH = "tickets.dispatch_repairorder"
_WORK = "tickets.work_repairorder"
_KPI = "tickets.view_desk_kpis"
_CHECK = "tickets.check_letter"
_APPROVE = "tickets.approve_letter"
_SIGNOFF = "tickets.signoff_complaint"
_SIGNOFF_MAJOR = "tickets.signoff_major_complaint"


def _nav(section: Any, label: Any, url_name: str, perm: str, order: int) -> NavItem:
    """A NavItem with lazily translated texts (NavItem annotates them as str)."""
    return NavItem(section, label, url_name, perm, order)


class TicketsConfig(AppConfig):
    name = "guanjia.tickets"
    label = "tickets"
    verbose_name = _("Service desk")
    default_auto_field = "django.db.models.BigAutoField"
    exporters = [
        "guanjia.tickets.exports.RegisterExporter",
        "guanjia.tickets.exports.ComplaintExporter",
        "guanjia.tickets.exports.RepairExporter",
    ]

    role_permissions: dict[str, list[str]] = {
        "receptionist": [*_VIEW, *_REQ, _ANSWER, *_REPAIR],
        "supervisor": [*_VIEW, *_REQ, _ANSWER, *_HANDLE, *_REPAIR, _KPI, _CHECK, _SIGNOFF],
        "director": [
            *_VIEW,
            *_REQ,
            _ANSWER,
            *_HANDLE,
            *_REPAIR,
            _KPI,
            _APPROVE,
            _SIGNOFF,
            _SIGNOFF_MAJOR,
        ],
        "area_manager": [*_VIEW, *_REQ, _ANSWER, *_HANDLE],
        "engineering_lead": [*_VIEW, *_REQ, *_REPAIR, _DISPATCH, _WORK, _KPI],
        "technician": ["tickets.view_repairorder", "tickets.change_repairorder", _WORK],
        "security": _REQ,
        "cashier": ["tickets.view_servicerequest"],
        "management": [*_VIEW, _KPI],
        "auditor": [*_VIEW, _KPI],
    }
    nav_items = [
        _nav(_("Service desk"), _("New contact"), "tickets:request-create", _REQ[1], 10),
        _nav(_("Service desk"), _("Register"), "tickets:request-list", _REQ[0], 11),
        _nav(_("Service desk"), _("Complaints"), "tickets:complaint-list", _VIEW[1], 12),
        _nav(_("Service desk"), _("Repairs"), "tickets:repair-list", _VIEW[2], 13),
        _nav(_("Service desk"), _("My jobs"), "tickets:my-jobs", _WORK, 14),
        _nav(_("Service desk"), _("Dashboard"), "tickets:dashboard", _HANDLE[0], 15),
        _nav(_("Service desk"), _("KPIs"), "tickets:kpis", _KPI, 16),
    ]

    def ready(self) -> None:
        from guanjia.core.files.registry import register_file
        from guanjia.core.jobs.registry import schedule
        from guanjia.core.numbering.registry import register_kind
        from guanjia.estates.selectors import register_timeline_source

        from . import announcements, selectors, workbench
        from .models import RepairOrder, RepairPhoto, RequestAttachment

        register_kind("service_request", _("Service register entry"), "DJ")  # 登记
        register_kind("complaint", _("Complaint record"), "TS")  # 投诉
        register_kind("repair", _("Repair order"), "WX")  # 维修
        register_timeline_source(selectors.tickets_for_unit)
        # Served by files:serve to those who may view the owning record (docs/files.md).
        register_file(
            RequestAttachment,
            "file",
            owner="entry",
            perm="tickets.view_servicerequest",
            name_field="original_name",
        )
        register_file(RepairPhoto, "image", owner="order", perm="tickets.view_repairorder")
        register_file(RepairOrder, "signature", perm="tickets.view_repairorder")
        schedule("tickets.sla_sweep", "guanjia.tickets.services.sla.sweep_deadlines", minutes=5)
        workbench.register()  # the desk's tasks and figures on the home page
        announcements.register()  # who is told of each step (core.notifications.rules)
        post_migrate.connect(_sync_roles_after_migrate, sender=self)


def _sync_roles_after_migrate(sender: AppConfig, **kwargs: Any) -> None:
    from guanjia.accounts.services import sync_roles

    sync_roles(using=kwargs.get("using", "default"))

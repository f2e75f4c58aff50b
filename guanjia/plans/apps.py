import datetime as dt
from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from guanjia.core.context_processors import NavItem

_VIEW = [
    "plans.view_workplan",
    "plans.view_meeting",
    "plans.view_casestudy",
    "plans.view_monthlysummary",
]
_WRITE = [
    "plans.add_workplan",
    "plans.change_workplan",
    "plans.add_meeting",
    "plans.change_meeting",
    "plans.add_casestudy",
    "plans.change_casestudy",
    "plans.add_monthlysummary",
    "plans.change_monthlysummary",
    "plans.view_dailycheck",
    "plans.add_dailycheck",
]
_DIRECT = ["plans.approve_workplan", "plans.acknowledge_monthlysummary", "plans.view_dailycheck"]


def _nav(label: Any, url_name: str, perm: str, order: int) -> NavItem:
    """A NavItem with lazily translated texts (NavItem annotates them as str)."""
    return NavItem(_("Supervisor"), label, url_name, perm, order)


class PlansConfig(AppConfig):
    name = "guanjia.plans"
    label = "plans"
    verbose_name = _("Supervisor's plans")
    default_auto_field = "django.db.models.BigAutoField"

    # Spec §26 "Plans, meetings, case studies": REC R, CAS R, AM R, SUP C U, DIR A, GM R.
    # An acting supervisor (a membership with is_acting, accounts) holds the supervisor's
    # permissions for the period, so every rule below reaches them too.
    role_permissions: dict[str, list[str]] = {
        "receptionist": list(_VIEW),
        "cashier": list(_VIEW),
        "area_manager": list(_VIEW),
        "supervisor": [*_VIEW, *_WRITE],
        "director": [*_VIEW, *_DIRECT],
        "management": list(_VIEW),
        "auditor": list(_VIEW),
    }
    nav_items = [
        _nav(_("Daily check"), "plans:daily-check", "plans.view_dailycheck", 70),
        _nav(_("Work plans"), "plans:plan-list", "plans.view_workplan", 71),
        _nav(_("Meetings"), "plans:meeting-list", "plans.view_meeting", 72),
        _nav(_("My action items"), "plans:action-list", "plans.view_meeting", 73),
        _nav(_("Case studies"), "plans:case-list", "plans.view_casestudy", 74),
        _nav(_("Monthly summaries"), "plans:summary-list", "plans.view_monthlysummary", 75),
    ]

    def ready(self) -> None:
        from guanjia.core.jobs.registry import schedule

        from . import announcements, workbench

        announcements.register()
        workbench.register()
        schedule(
            "plans.reminders",
            "guanjia.plans.services.reminders.remind_daily",
            minutes=24 * 60,
            at=dt.time(8, 0),
        )
        post_migrate.connect(_sync_roles_after_migrate, sender=self)


def _sync_roles_after_migrate(sender: AppConfig, **kwargs: Any) -> None:
    from guanjia.accounts.services import sync_roles

    sync_roles(using=kwargs.get("using", "default"))

import datetime as dt
from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save
from django.utils.translation import gettext_lazy as _

from guanjia.core.context_processors import NavItem

_STANDARDS = "conduct.view_standarditem"
_EDIT_STANDARDS = "conduct.change_standarditem"
_VIEW_CHECKS = "conduct.view_spotcheck"
_MAKE_CHECKS = "conduct.add_spotcheck"
_VIEW = "conduct.view_conductrecord"
_PROPOSE = "conduct.add_conductrecord"
_CONFIRM = "conduct.confirm_conductrecord"
_A1 = "conduct.approve_supervisor_level"
_A2 = "conduct.approve_director_level"
_A3 = "conduct.approve_management_level"
_APPEALS = "conduct.review_appeal"
_OWN = "conduct.view_own_records"
_KPI = "conduct.view_conduct_kpis"
_LEVELS = "conduct.view_recordlevel"
_EDIT_LEVELS = "conduct.change_recordlevel"

# Every community role: reads the standards, signs its own checks and records.
_EVERYONE = [_STANDARDS, _OWN, _LEVELS]


def _nav(label: Any, url_name: str, perm: str, order: int) -> NavItem:
    """A NavItem with lazily translated texts (NavItem annotates them as str)."""
    return NavItem(_("Staff conduct"), label, url_name, perm, order)


class ConductConfig(AppConfig):
    name = "guanjia.conduct"
    label = "conduct"
    verbose_name = _("Conduct")
    default_auto_field = "django.db.models.BigAutoField"

    # Spec §26: the supervisor proposes and approves up to a demerit, the director up to a
    # major demerit, company management above; HR reads, confirms facts and decides appeals;
    # finance reads for payroll; the team lead (engineering lead) makes spot checks.
    role_permissions: dict[str, list[str]] = {
        "supervisor": [
            *_EVERYONE,
            _EDIT_STANDARDS,
            _VIEW_CHECKS,
            _MAKE_CHECKS,
            _VIEW,
            _PROPOSE,
            _CONFIRM,
            _A1,
            _KPI,
        ],
        "director": [
            *_EVERYONE,
            _EDIT_STANDARDS,
            _VIEW_CHECKS,
            _MAKE_CHECKS,
            _VIEW,
            _PROPOSE,
            _CONFIRM,
            _A1,
            _A2,
            _APPEALS,
            _KPI,
        ],
        "engineering_lead": [*_EVERYONE, _VIEW_CHECKS, _MAKE_CHECKS],
        "receptionist": _EVERYONE,
        "cashier": _EVERYONE,
        "area_manager": _EVERYONE,
        "technician": _EVERYONE,
        "security": _EVERYONE,
        "hr": [_STANDARDS, _LEVELS, _EDIT_LEVELS, _VIEW_CHECKS, _VIEW, _CONFIRM, _APPEALS, _KPI],
        "management": [
            _STANDARDS,
            _LEVELS,
            _EDIT_LEVELS,
            _VIEW_CHECKS,
            _VIEW,
            _A1,
            _A2,
            _A3,
            _APPEALS,
            _KPI,
        ],
        "finance": [_VIEW],
        "auditor": [_STANDARDS, _LEVELS, _VIEW_CHECKS, _VIEW, _KPI],
    }
    nav_items = [
        _nav(_("Service standards"), "conduct:standards", _STANDARDS, 60),
        _nav(_("Spot checks"), "conduct:check-list", _VIEW_CHECKS, 61),
        _nav(_("Rewards and penalties"), "conduct:record-list", _VIEW, 62),
        _nav(_("My checks and records"), "conduct:mine", _OWN, 63),
        _nav(_("Team board"), "conduct:board", _OWN, 64),
        _nav(_("Conduct KPIs"), "conduct:kpis", _KPI, 65),
    ]

    def ready(self) -> None:
        from guanjia.core.files.registry import register_file
        from guanjia.core.jobs.registry import schedule
        from guanjia.core.models import Company
        from guanjia.core.numbering.registry import register_kind

        from . import announcements, workbench
        from .models import SpotCheckItem

        announcements.register()  # who is told of a check or record to sign, approve, decide
        workbench.register()  # what waits for whom on the home page

        register_kind("spot_check", _("Spot check"), "JC")  # 检查
        register_kind("conduct_record", _("Reward or penalty"), "JF")  # 奖罚
        register_file(
            SpotCheckItem,
            "photo",
            owner="check_row",
            perm=_VIEW_CHECKS,
            name_field="original_name",
        )
        schedule(
            "conduct.propose",
            "guanjia.conduct.services.proposals.generate_nightly",
            minutes=24 * 60,
            at=dt.time(3, 10),
        )
        post_save.connect(_seed_new_company, sender=Company, dispatch_uid="conduct-seed")
        post_migrate.connect(_sync_roles_after_migrate, sender=self)


def _seed_new_company(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    """A new company starts with the manual's standards (§07) and levels (§23)."""
    if created and not kwargs.get("raw"):
        from .services.standards import seed_company

        seed_company(instance)


def _sync_roles_after_migrate(sender: AppConfig, **kwargs: Any) -> None:
    from guanjia.accounts.services import sync_roles

    sync_roles(using=kwargs.get("using", "default"))

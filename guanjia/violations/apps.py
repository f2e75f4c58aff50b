from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from guanjia.core.context_processors import NavItem

_VIEW = ["violations.view_violation", "violations.view_violationtype"]
_FIND = "violations.add_violation"
_WORK = "violations.change_violation"
_ESCALATE = "violations.escalate_violation"
_APPEAL = "violations.decide_violation_appeal"
_KPI = "violations.view_violation_kpis"
_TYPES = ["violations.add_violationtype", "violations.change_violationtype"]


def _nav(label: Any, url_name: str, perm: str, order: int) -> NavItem:
    return NavItem(_("Field work"), label, url_name, perm, order)


class ViolationsConfig(AppConfig):
    name = "guanjia.violations"
    label = "violations"
    verbose_name = _("Violations")
    default_auto_field = "django.db.models.BigAutoField"

    # Spec §26 "Violations (residents)": REC C, AM C U, SUP A (ordinary), DIR A (major),
    # ENG R, SEC U (stop work). Every staff member may report what they see (§11).
    role_permissions: dict[str, list[str]] = {
        "receptionist": [*_VIEW, _FIND],
        "area_manager": [*_VIEW, _FIND, _WORK],
        "supervisor": [*_VIEW, _FIND, _WORK, _ESCALATE, _KPI, *_TYPES],
        "director": [*_VIEW, _FIND, _WORK, _ESCALATE, _APPEAL, _KPI, *_TYPES],
        "engineering_lead": [*_VIEW, _FIND],
        "security": [*_VIEW, _FIND, _WORK],
        "management": [*_VIEW, _KPI],
        "auditor": [*_VIEW, _KPI],
    }
    nav_items = [
        _nav(_("Violations"), "violations:violation-list", "violations.view_violation", 40),
        _nav(_("Violations to re-check"), "violations:recheck-list", _WORK, 41),
        _nav(_("Violation KPIs"), "violations:kpis", _KPI, 42),
        _nav(_("Violation types"), "violations:type-list", "violations.view_violationtype", 43),
    ]

    def ready(self) -> None:
        from guanjia.core.files.registry import register_file
        from guanjia.core.numbering.registry import register_kind
        from guanjia.estates.selectors import register_timeline_source

        from . import announcements, selectors, workbench
        from .models import ViolationNotice, ViolationPhoto

        register_kind("violation", _("Violation record"), "WZ")  # 违章
        register_kind("violation_notice", _("Rectification notice"), "ZG")  # 整改通知
        register_file(
            ViolationPhoto,
            "image",
            owner="violation",
            perm="violations.view_violation",
            name_field="original_name",
        )
        register_file(
            ViolationNotice, "signature", owner="violation", perm="violations.view_violation"
        )
        register_timeline_source(selectors.violations_for_unit)
        selectors.register_unit_flag()
        announcements.register()
        workbench.register()
        post_migrate.connect(_sync_roles_after_migrate, sender=self)


def _sync_roles_after_migrate(sender: AppConfig, **kwargs: Any) -> None:
    from guanjia.accounts.services import sync_roles

    sync_roles(using=kwargs.get("using", "default"))
    # The shared list of types (a data migration) again after a flush, which empties every
    # table and sends post_migrate (a browser test's live server): idempotent.
    import importlib

    from django.apps import apps

    seed = importlib.import_module("guanjia.violations.migrations.0002_seed_violation_types").seed
    seed(apps, None)

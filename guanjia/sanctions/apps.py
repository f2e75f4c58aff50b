from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save
from django.utils.translation import gettext_lazy as _

from guanjia.core.context_processors import NavItem

_VIEW = ["sanctions.view_breach", "sanctions.view_sanctiontype"]
_REPORT = "sanctions.add_breach"
_WORK = "sanctions.change_breach"
_EXECUTE = "sanctions.execute_breach"
_DECIDE = "sanctions.decide_breach"
_MAJOR = "sanctions.decide_major_breach"
_APPEAL = "sanctions.decide_breach_appeal"
_KPI = "sanctions.view_breach_kpis"
_TABLE = "sanctions.change_sanctiontype"


def _nav(label: Any, url_name: str, perm: str, order: int) -> NavItem:
    return NavItem(_("Field work"), label, url_name, perm, order)


class SanctionsConfig(AppConfig):
    name = "guanjia.sanctions"
    label = "sanctions"
    verbose_name = _("Non-resident violations")
    default_auto_field = "django.db.models.BigAutoField"

    # Spec §26 "Person violations/sanctions (§19)": REC C, CAS U (deduct), AM C U,
    # SUP A (up to the limit), DIR A, SEC C U.
    role_permissions: dict[str, list[str]] = {
        "receptionist": [*_VIEW, _REPORT],
        "cashier": [*_VIEW, _EXECUTE],
        "area_manager": [*_VIEW, _REPORT, _WORK, _EXECUTE],
        "supervisor": [*_VIEW, _REPORT, _WORK, _EXECUTE, _DECIDE, _KPI, _TABLE],
        "director": [*_VIEW, _REPORT, _WORK, _EXECUTE, _DECIDE, _MAJOR, _APPEAL, _KPI, _TABLE],
        "security": [*_VIEW, _REPORT, _WORK, _EXECUTE],
        "management": [*_VIEW, _KPI],
        "auditor": [*_VIEW, _KPI],
    }
    nav_items = [
        _nav(_("Non-resident violations"), "sanctions:breach-list", "sanctions.view_breach", 50),
        _nav(_("Report a non-resident violation"), "sanctions:breach-create", _REPORT, 51),
        _nav(_("Sanction table"), "sanctions:table", "sanctions.view_sanctiontype", 52),
        _nav(_("Non-resident violation KPIs"), "sanctions:kpis", _KPI, 53),
    ]

    def ready(self) -> None:
        from guanjia.core.files.registry import register_file
        from guanjia.core.models import Community
        from guanjia.core.numbering.registry import register_kind
        from guanjia.renovation.services import register_deduction_source

        from . import announcements, selectors, workbench
        from .models import BreachNotice, BreachPhoto

        register_kind("sanction", _("Non-resident violation record"), "RY")  # 人员违规
        register_file(
            BreachPhoto,
            "image",
            owner="breach",
            perm="sanctions.view_breach",
            name_field="original_name",
        )
        register_file(BreachNotice, "signature", owner="breach", perm="sanctions.view_breach")
        register_deduction_source(selectors.pending_for_renovation)
        announcements.register()
        workbench.register()
        post_save.connect(_seed_new_community, sender=Community, dispatch_uid="sanctions-seed")
        post_migrate.connect(_sync_roles_after_migrate, sender=self)


def _seed_new_community(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    """A new community starts with the sanction table of §19's examples."""
    if created and not kwargs.get("raw"):
        from .services import seed_table

        seed_table(instance)


def _sync_roles_after_migrate(sender: AppConfig, **kwargs: Any) -> None:
    from guanjia.accounts.services import sync_roles

    sync_roles(using=kwargs.get("using", "default"))

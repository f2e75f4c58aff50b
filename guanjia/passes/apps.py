import datetime as dt
from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from guanjia.core.context_processors import NavItem

_VIEW = ["passes.view_pass", "passes.view_passgroup", "passes.view_releaseslip"]
_DESK = [
    "passes.add_pass",
    "passes.change_pass",
    "passes.add_passgroup",
    "passes.change_passgroup",
    "passes.add_releaseslip",
    "passes.change_releaseslip",
]
_MONEY = "passes.refund_pass_deposit"
_GATE = ["passes.check_pass", "passes.release_goods", "passes.view_gatecheck"]
_KPI = "passes.view_pass_kpis"


def _nav(label: Any, url_name: str, perm: str, order: int) -> NavItem:
    return NavItem(_("Passes"), label, url_name, perm, order)


class PassesConfig(AppConfig):
    name = "guanjia.passes"
    label = "passes"
    verbose_name = _("Passes")
    default_auto_field = "django.db.models.BigAutoField"

    # Spec §26 "Passes & release slips": the desk issues and changes (C U), the cashier
    # handles fees and deposits (U), area managers read, the supervisor decides exceptions,
    # the director reads, security checks at the gate, confiscates and stops a site's passes.
    role_permissions: dict[str, list[str]] = {
        "receptionist": [*_VIEW, *_DESK],
        "cashier": [*_VIEW, _MONEY],
        "area_manager": list(_VIEW),
        "supervisor": [*_VIEW, *_DESK, _MONEY, _KPI, "passes.view_gatecheck"],
        "director": [*_VIEW, "passes.change_passgroup", _KPI, "passes.view_gatecheck"],
        "security": [*_VIEW, *_GATE, "passes.change_passgroup"],
        "management": [*_VIEW, _KPI],
        "auditor": [*_VIEW, _KPI, "passes.view_gatecheck"],
    }
    nav_items = [
        _nav(_("Gate check"), "passes:gate", "passes.check_pass", 40),
        _nav(_("Passes"), "passes:pass-list", "passes.view_pass", 41),
        _nav(_("Pass groups"), "passes:group-list", "passes.view_passgroup", 42),
        _nav(_("Release slips"), "passes:slip-list", "passes.view_releaseslip", 43),
        _nav(_("Pass KPIs"), "passes:kpis", _KPI, 44),
    ]

    def ready(self) -> None:
        from guanjia.core.files.registry import register_file
        from guanjia.core.jobs.registry import schedule
        from guanjia.core.numbering.registry import register_kind

        from . import workbench
        from .models import Pass, ReleaseSlip

        register_kind("pass", _("Pass"), "CRZ", padding=6)  # 出入证
        register_kind("release_slip", _("Release slip"), "FXT")  # 放行条
        register_file(Pass, "photo", perm="passes.view_pass")
        register_file(ReleaseSlip, "guard_signature", perm="passes.view_releaseslip")
        workbench.register()
        schedule(
            "passes.expire",
            "guanjia.passes.services.passes.expire_passes_daily",
            minutes=24 * 60,
            at=dt.time(1, 30),
        )
        post_migrate.connect(_sync_roles_after_migrate, sender=self)


def _sync_roles_after_migrate(sender: AppConfig, **kwargs: Any) -> None:
    from guanjia.accounts.services import sync_roles

    sync_roles(using=kwargs.get("using", "default"))

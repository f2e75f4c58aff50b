import datetime as dt
from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from guanjia.core.context_processors import NavItem

_VIEW = ["movein.view_deliverybatch", "movein.view_delivery", "movein.view_defect"]
_PLAN = ["movein.add_deliverybatch", "movein.change_deliverybatch"]
_COUNTER = ["movein.change_delivery"]
_DEFECTS = ["movein.change_defect"]


class MoveInConfig(AppConfig):
    name = "guanjia.movein"
    label = "movein"
    verbose_name = _("Move-in")
    default_auto_field = "django.db.models.BigAutoField"

    # Spec §26 "Move-in processing": the desk and area managers run the counter and the
    # inspection (C U), the supervisor and the director plan and decide (A: batches), the
    # cashier reads (fees are taken in the cashier app), engineering rectifies defects,
    # finance reads.
    role_permissions: dict[str, list[str]] = {
        "receptionist": [*_VIEW, *_COUNTER, *_DEFECTS],
        "area_manager": [*_VIEW, *_COUNTER, *_DEFECTS],
        "supervisor": [*_VIEW, *_PLAN, *_COUNTER, *_DEFECTS],
        "director": [*_VIEW, *_PLAN, *_COUNTER, *_DEFECTS],
        "cashier": ["movein.view_delivery", "movein.view_deliverybatch"],
        "engineering_lead": ["movein.view_defect", *_DEFECTS],
        "technician": ["movein.view_defect"],
        "finance": _VIEW,
        "auditor": _VIEW,
    }
    nav_items = [
        NavItem(_("Move-in"), _("Delivery batches"), "movein:batch-list",
                "movein.view_deliverybatch", 60),
        NavItem(_("Move-in"), _("Counter queue"), "movein:queue", "movein.view_delivery", 61),
        NavItem(_("Move-in"), _("Defects"), "movein:defect-list", "movein.view_defect", 62),
        NavItem(_("Move-in"), _("Move-in report"), "movein:report",
                "movein.view_deliverybatch", 63),
    ]  # fmt: skip
    importers = ["guanjia.movein.importers.BuyerImporter"]

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from guanjia.core.files.registry import register_file
        from guanjia.core.jobs.registry import schedule

        from . import workbench
        from .models import Defect, Delivery, Inspection

        workbench.register()
        for name in ("documents_signature", "keys_signature"):
            register_file(Delivery, name, perm="movein.view_delivery")
        for name in ("owner_signature", "inspector_signature"):
            register_file(Inspection, name, owner="delivery", perm="movein.view_delivery")
        register_file(Defect, "photo", perm="movein.view_defect")
        register_file(Defect, "signoff_signature", perm="movein.view_defect")
        schedule(
            "movein.deemed_delivery",
            "guanjia.movein.services.deemed.deemed_delivery_daily",
            minutes=24 * 60,
            at=dt.time(0, 30),
        )
        post_migrate.connect(_sync_roles_after_migrate, sender=self)


def _sync_roles_after_migrate(sender: AppConfig, **kwargs: Any) -> None:
    from guanjia.accounts.services import sync_roles

    sync_roles(using=kwargs.get("using", "default"))

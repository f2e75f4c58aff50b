import datetime as dt
from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from guanjia.core.context_processors import NavItem

_READ = [
    "billing.view_feeitem",
    "billing.view_feestandard",
    "billing.view_feestandardversion",
    "billing.view_billingrun",
    "billing.view_ledgerentry",
    "billing.view_monthclose",
    "billing.view_meter",
    "billing.view_meterreading",
    "billing.view_unitfeeexception",
]
_READINGS = ["billing.view_meter", "billing.view_meterreading", "billing.add_meterreading"]
_STANDARDS = [
    f"billing.{verb}_{model}"
    for model in ("feeitem", "feestandard", "feestandardversion")
    for verb in ("add", "change")
]


class BillingConfig(AppConfig):
    name = "guanjia.billing"
    label = "billing"
    verbose_name = _("Billing")
    default_auto_field = "django.db.models.BigAutoField"

    # Spec §26: finance approves standards, the cashier creates and updates them and runs
    # the bills, the director approves a run's reversal and closes months; AM/SUP/DIR read.
    role_permissions: dict[str, list[str]] = {
        "cashier": [
            *_READ,
            *_STANDARDS,
            "billing.add_billingrun",
            "billing.add_ledgerentry",
            "billing.add_unitfeeexception",
            "billing.change_meterreading",  # confirms a flagged reading before billing
        ],
        "finance": [
            *_READ,
            *_STANDARDS,
            "billing.add_billingrun",
            "billing.approve_standard",
            "billing.add_unitfeeexception",
        ],
        "director": [*_READ, "billing.approve_run_reversal", "billing.add_monthclose"],
        # change_meterreading: confirm a reading flagged as far above the meter's average.
        "engineering_lead": [*_READINGS, "billing.add_meter", "billing.change_meterreading"],
        "technician": _READINGS,
        # Spec §04/§26: the desk answers "how much do I owe?" (arrears: R) from the household
        # archive: a unit's statement, late fees and fee exceptions, and the arrears overview.
        # Read only: no run, reading, standard, exception or payment.
        "receptionist": ["billing.view_ledgerentry", "billing.view_unitfeeexception"],
        "supervisor": _READ,
        "area_manager": _READ,
        "management": _READ,
        "auditor": _READ,
    }

    nav_items = [
        NavItem(_("Billing"), _("Billing overview"), "billing:overview", _READ[4], 39),
        NavItem(_("Billing"), _("Billing runs"), "billing:run-list", _READ[3], 40),
        NavItem(_("Billing"), _("Fee standards"), "billing:standard-list", _READ[1], 41),
        NavItem(
            _("Billing"),
            _("Standards awaiting approval"),
            "billing:standard-waiting",
            "billing.approve_standard",
            41,
        ),
        NavItem(_("Billing"), _("Fee items"), "billing:feeitem-list", _READ[0], 42),
        NavItem(_("Billing"), _("Meter readings"), "billing:reading-list", _READINGS[1], 43),
        NavItem(_("Billing"), _("Late fees"), "billing:late-fee-list", _READ[4], 44),
    ]

    importers = ["guanjia.billing.importers.ReadingImporter"]

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from guanjia.core.jobs.registry import schedule
        from guanjia.estates.selectors import register_timeline_source

        from .selectors import bills_for_unit

        register_timeline_source(bills_for_unit)
        schedule(
            "billing.late_fees",
            "guanjia.billing.services.late_fees.accrue_late_fees_daily",
            minutes=24 * 60,
            at=dt.time(1, 30),
        )
        post_migrate.connect(_sync_roles_after_migrate, sender=self)


def _sync_roles_after_migrate(sender: AppConfig, **kwargs: Any) -> None:
    from guanjia.accounts.services import sync_roles

    sync_roles(using=kwargs.get("using", "default"))

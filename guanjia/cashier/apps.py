from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from guanjia.core.context_processors import NavItem

_READ = ["cashier.view_payment", "cashier.view_receipt", "cashier.view_cashiersession"]
_TAKE = ["cashier.add_payment", "cashier.void_receipt", "cashier.add_cashiersession"]
# What the payment screen reads from the lower apps: the unit and its account.
_LOWER = ["estates.view_unit", "billing.view_ledgerentry"]


def _nav(section: Any, label: Any, url_name: str, perm: str, order: int) -> NavItem:
    """A NavItem with lazily translated texts (NavItem annotates them as str)."""
    return NavItem(section, label, url_name, perm, order)


class CashierConfig(AppConfig):
    name = "guanjia.cashier"
    label = "cashier"
    verbose_name = _("Cashier")
    default_auto_field = "django.db.models.BigAutoField"

    # Spec §26 "Payments/receipts": the cashier takes them (C), finance reconciles (R U),
    # supervisor, director, area manager and management read; "Cash session/daily report":
    # the cashier keeps it (C U), finance checks and closes it (A), SUP/DIR/GM read.
    role_permissions: dict[str, list[str]] = {
        "cashier": [*_READ, *_TAKE],
        "finance": [*_READ, "cashier.close_cashiersession"],
        "supervisor": _READ,
        "director": _READ,
        "area_manager": ["cashier.view_payment", "cashier.view_receipt"],
        "management": _READ,
        "auditor": _READ,
    }
    nav_items = [
        _nav(_("Cashier"), _("Take a payment"), "cashier:counter", _TAKE[0], 30),
        _nav(_("Cashier"), _("Payments"), "cashier:payment-list", _READ[0], 31),
        _nav(_("Cashier"), _("Receipts"), "cashier:receipt-list", _READ[1], 32),
        _nav(_("Cashier"), _("Cashier's days"), "cashier:session-list", _READ[2], 33),
    ]

    def ready(self) -> None:
        from guanjia.core.numbering.registry import register_kind

        from .models import RECEIPT_KIND

        register_kind(RECEIPT_KIND, _("Receipt"), "SJ", padding=6)  # 收据
        post_migrate.connect(_sync_roles_after_migrate, sender=self)


def _sync_roles_after_migrate(sender: AppConfig, **kwargs: Any) -> None:
    from guanjia.accounts.services import sync_roles

    sync_roles(using=kwargs.get("using", "default"))

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from guanjia.core.context_processors import NavItem

_READ = ["cashier.view_payment", "cashier.view_receipt", "cashier.view_cashiersession"]
_TAKE = ["cashier.add_payment", "cashier.void_receipt", "cashier.add_cashiersession"]
# Deposits (spec §26 "Deposit refund/deduction"): the desk and the area manager ask for a
# settlement (C), the cashier receives and pays out (U), the supervisor proposes, the director
# approves up to `approval.deduction_dir_max`, finance above it.
_DEPOSITS_READ = ["cashier.view_deposit"]
_DEPOSITS_ASK = ["cashier.view_deposit", "cashier.request_deposit_settlement"]
_DEPOSITS_DECIDE = ["cashier.view_deposit", "cashier.approve_deposit_settlement"]
# Dunning (spec §26 "Arrears cases / dunning"): the desk reads (R), the cashier opens and
# chases (C U), the area manager chases in their zone (U own zone), the supervisor agrees
# instalment plans (U A), the director the legal proposal (U A), finance legal action and
# write-offs (A), the company write-offs (A). Reports/KPIs: the collection figures.
_CASES_READ = ["cashier.view_arrearscase"]
_CASES_CHASE = [*_CASES_READ, "cashier.change_arrearscase"]
_KPIS = ["cashier.view_collection_kpis"]
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
        "cashier": [
            *_READ,
            *_TAKE,
            *_DEPOSITS_READ,
            "cashier.add_deposit",
            *_CASES_CHASE,
            "cashier.add_arrearscase",
            *_KPIS,
        ],
        "finance": [
            *_READ,
            "cashier.close_cashiersession",
            *_DEPOSITS_DECIDE,
            "cashier.approve_deposit_any",
            "cashier.approve_payment_reversal",
            *_CASES_READ,
            "cashier.propose_legal_action",
            "cashier.write_off_case",
            *_KPIS,
        ],
        "supervisor": [
            *_READ,
            *_DEPOSITS_ASK,
            "cashier.approve_payment_reversal_same_day",
            *_CASES_CHASE,
            "cashier.approve_instalment_plan",
            *_KPIS,
        ],
        "director": [
            *_READ,
            *_DEPOSITS_DECIDE,
            "cashier.approve_payment_reversal",
            *_CASES_CHASE,
            "cashier.approve_instalment_plan",
            "cashier.propose_legal_action",
            *_KPIS,
        ],
        "area_manager": [
            "cashier.view_payment",
            "cashier.view_receipt",
            *_DEPOSITS_ASK,
            *_CASES_CHASE,
        ],
        "receptionist": [*_DEPOSITS_ASK, *_CASES_READ],
        "management": [*_READ, *_DEPOSITS_READ, *_CASES_READ, "cashier.write_off_case", *_KPIS],
        "auditor": [*_READ, *_DEPOSITS_READ, *_CASES_READ, *_KPIS],
    }
    nav_items = [
        _nav(_("Cashier"), _("Take a payment"), "cashier:counter", _TAKE[0], 30),
        _nav(_("Cashier"), _("Payments"), "cashier:payment-list", _READ[0], 31),
        _nav(_("Cashier"), _("Receipts"), "cashier:receipt-list", _READ[1], 32),
        _nav(_("Cashier"), _("Cashier's days"), "cashier:session-list", _READ[2], 33),
        _nav(_("Cashier"), _("Deposits"), "cashier:deposit-list", _DEPOSITS_READ[0], 34),
        _nav(_("Cashier"), _("Arrears cases"), "cashier:case-list", _CASES_READ[0], 35),
        _nav(_("Cashier"), _("Dunning notices"), "cashier:notice-list", _CASES_READ[0], 36),
        _nav(_("Cashier"), _("Collection rates"), "cashier:collection", _KPIS[0], 37),
    ]

    def ready(self) -> None:
        from guanjia.core.numbering.registry import register_kind

        from .models import RECEIPT_KIND

        register_kind(RECEIPT_KIND, _("Receipt"), "SJ", padding=6)  # 收据
        import datetime as dt

        from guanjia.core.jobs.registry import schedule

        # Opens cases, moves those whose deadline passed, prepares the month's fee notices.
        schedule(
            "cashier.dunning",
            "guanjia.cashier.services.dunning.run_daily_all",
            minutes=24 * 60,
            at=dt.time(4, 30),
        )
        from . import announcements, workbench

        workbench.register()  # deposit settlements to decide and to pay out
        announcements.register()  # who is told of a deposit's settlement
        announcements.register_reversals()  # and of a payment's reversal (冲红)
        announcements.register_dunning()  # and of an arrears case's steps
        post_migrate.connect(_sync_roles_after_migrate, sender=self)


def _sync_roles_after_migrate(sender: AppConfig, **kwargs: Any) -> None:
    from guanjia.accounts.services import sync_roles

    sync_roles(using=kwargs.get("using", "default"))

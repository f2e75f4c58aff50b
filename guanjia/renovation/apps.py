from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from guanjia.core.context_processors import NavItem


def _p(name: str) -> str:
    return f"renovation.{name}"


VIEW = _p("view_renovation")
APPLY = _p("add_renovation")
REVIEW = _p("review_renovation")
ENGINEERING = _p("engineering_review")
SPECIAL = _p("approve_special")
PERMIT = _p("issue_permit")
INSPECT = _p("inspect_renovation")
REQUEST_REFUND = _p("request_refund")
DECIDE_REFUND = _p("decide_refund")
PAY_REFUND = _p("pay_refund")
KPI = _p("view_renovation_kpis")
CONTRACTORS = _p("view_contractor")
ADD_CONTRACTOR = _p("add_contractor")
CHANGE_CONTRACTOR = _p("change_contractor")
BAN = _p("ban_contractor")
_CONTRACTOR_DESK = [CONTRACTORS, ADD_CONTRACTOR, CHANGE_CONTRACTOR]


def _nav(label: Any, url_name: str, perm: str, order: int) -> NavItem:
    return NavItem(_("Renovation"), label, url_name, perm, order)


class RenovationConfig(AppConfig):
    name = "guanjia.renovation"
    label = "renovation"
    verbose_name = _("Renovation")
    default_auto_field = "django.db.models.BigAutoField"

    # Spec §16 "Roles", §26: CSC receives and reviews, area managers inspect, engineering
    # reviews plans and accepts, the director approves structural items and deductions,
    # the cashier collects and refunds, security stops works.
    role_permissions: dict[str, list[str]] = {
        "director": [
            VIEW,
            APPLY,
            REVIEW,
            SPECIAL,
            PERMIT,
            INSPECT,
            REQUEST_REFUND,
            DECIDE_REFUND,
            KPI,
            *_CONTRACTOR_DESK,
            BAN,
        ],
        "supervisor": [
            VIEW,
            APPLY,
            REVIEW,
            PERMIT,
            INSPECT,
            REQUEST_REFUND,
            KPI,
            *_CONTRACTOR_DESK,
            BAN,
        ],
        "receptionist": [VIEW, APPLY, *_CONTRACTOR_DESK],
        "area_manager": [VIEW, INSPECT, CONTRACTORS],
        "engineering_lead": [VIEW, ENGINEERING, CONTRACTORS],
        "security": [VIEW, INSPECT, CONTRACTORS],
        "cashier": [VIEW, PAY_REFUND, CONTRACTORS],
        "finance": [VIEW, KPI, CONTRACTORS],
        "management": [VIEW, KPI, CONTRACTORS],
        "auditor": [VIEW, KPI, CONTRACTORS],
    }
    nav_items = [
        _nav(_("Renovations"), "renovation:renovation-list", VIEW, 40),
        _nav(_("Due inspections"), "renovation:due-inspections", INSPECT, 41),
        _nav(_("Contractors"), "renovation:contractor-list", CONTRACTORS, 42),
        _nav(_("Renovation KPIs"), "renovation:kpis", KPI, 43),
    ]

    def ready(self) -> None:
        from guanjia.core.files.registry import register_file
        from guanjia.core.numbering.registry import register_kind
        from guanjia.estates.selectors import register_timeline_source

        from . import announcements, selectors, workbench
        from .models import InspectionPhoto, Plan, Worker

        register_kind("renovation", _("Renovation application"), "ZX")  # 装修
        register_file(Plan, "file", owner="renovation", perm=VIEW, name_field="original_name")
        register_file(Worker, "photo", owner="renovation", perm=VIEW)
        register_file(InspectionPhoto, "image", owner="inspection", perm=VIEW)
        register_timeline_source(selectors.renovation_events_for_unit)
        announcements.register()  # who is told of a review, an acceptance, a refund
        workbench.register()
        post_migrate.connect(_sync_roles_after_migrate, sender=self)


def _sync_roles_after_migrate(sender: AppConfig, **kwargs: Any) -> None:
    from guanjia.accounts.services import sync_roles

    sync_roles(using=kwargs.get("using", "default"))

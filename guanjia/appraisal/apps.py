import datetime as dt
from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from guanjia.core.context_processors import NavItem

_OWN = "appraisal.view_own_appraisal"
_SCORES = "appraisal.view_monthlyscore"
_ADJUST = "appraisal.adjust_monthlyscore"
_COMPUTE = "appraisal.compute_monthlyscore"
_EXPORT = "appraisal.export_performance_pay"
_VIEW = "appraisal.view_appraisal"
_OPEN = "appraisal.add_appraisal"
_RATE = "appraisal.rate_appraisal"
_REVIEW = "appraisal.review_appraisal"
_CONFIRM = "appraisal.confirm_appraisal"

_READERS = [_OWN, _SCORES, _VIEW]


def _nav(label: Any, url_name: str, perm: str, order: int) -> NavItem:
    """A NavItem with lazily translated texts (NavItem annotates them as str)."""
    return NavItem(_("Appraisal"), label, url_name, perm, order)


class AppraisalConfig(AppConfig):
    name = "guanjia.appraisal"
    label = "appraisal"
    verbose_name = _("Appraisal")
    default_auto_field = "django.db.models.BigAutoField"
    exporters = ["guanjia.appraisal.importers.PerformancePayExporter"]

    # Spec §26 "Appraisal": staff read their own and self-assess; the supervisor rates
    # (computes, adjusts with a reason, opens the periods); the director reviews (and rates
    # when the supervisor is in dispute); HR confirms, publishes and decides appeals; finance
    # reads for the performance pay; company management reviews.
    role_permissions: dict[str, list[str]] = {
        "receptionist": [_OWN],
        "cashier": [_OWN],
        "area_manager": [_OWN],
        "technician": [_OWN],
        "security": [_OWN],
        "engineering_lead": [_OWN],
        "supervisor": [*_READERS, _ADJUST, _COMPUTE, _OPEN, _RATE],
        "director": [*_READERS, _ADJUST, _COMPUTE, _OPEN, _RATE, _REVIEW, _EXPORT],
        "hr": [*_READERS, _OPEN, _CONFIRM, _EXPORT, _COMPUTE],
        "finance": [*_READERS, _EXPORT],
        "management": [*_READERS, _REVIEW, _EXPORT],
        "auditor": _READERS,
    }
    nav_items = [
        _nav(_("Monthly scores"), "appraisal:score-list", _SCORES, 70),
        _nav(_("Appraisals"), "appraisal:appraisal-list", _VIEW, 71),
        _nav(_("My appraisal"), "appraisal:mine", _OWN, 72),
        _nav(_("Appraisal reports"), "appraisal:reports", _SCORES, 73),
    ]

    def ready(self) -> None:
        from guanjia.core.jobs.registry import schedule

        from . import announcements, workbench

        announcements.register()  # who is told at each step of an appraisal
        workbench.register()  # self-assessments, ratings, reviews, confirmations, appeals
        schedule(
            "appraisal.month",
            "guanjia.appraisal.services.compute.compute_last_month",
            minutes=24 * 60,
            at=dt.time(4, 20),
        )
        schedule(
            "appraisal.close",
            "guanjia.appraisal.services.appraisals.close_expired",
            minutes=24 * 60,
            at=dt.time(4, 40),
        )
        post_migrate.connect(_sync_roles_after_migrate, sender=self)


def _sync_roles_after_migrate(sender: AppConfig, **kwargs: Any) -> None:
    from guanjia.accounts.services import sync_roles

    sync_roles(using=kwargs.get("using", "default"))

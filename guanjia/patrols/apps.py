import datetime as dt
from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from guanjia.core.context_processors import NavItem

_VIEW = "patrols.view_patrol"
_WALK = "patrols.walk_patrol"
_REVIEW = "patrols.review_patrol"
_KPI = "patrols.view_patrol_kpis"
_PLAN = ["patrols.add_patrolplan", "patrols.view_patrolplan"]
_CHECKPOINTS = ["patrols.add_checkpoint", "patrols.view_checkpoint"]
_FINDINGS = ["patrols.view_finding", "patrols.change_finding"]


def _nav(label: Any, url_name: str, perm: str, order: int) -> NavItem:
    """A NavItem with lazily translated texts (NavItem annotates them as str)."""
    return NavItem(_("Zone patrols"), label, url_name, perm, order)


class PatrolsConfig(AppConfig):
    name = "guanjia.patrols"
    label = "patrols"
    verbose_name = _("Zone patrols")
    default_auto_field = "django.db.models.BigAutoField"

    # Spec §12, §26: the supervisor plans (the director approves by holding the same right)
    # and reviews; area managers walk their zones; engineering and security act on findings.
    role_permissions: dict[str, list[str]] = {
        "supervisor": [_VIEW, _WALK, _REVIEW, _KPI, *_PLAN, *_CHECKPOINTS, *_FINDINGS],
        "director": [_VIEW, _REVIEW, _KPI, *_PLAN, *_CHECKPOINTS, *_FINDINGS],
        "area_manager": [
            _VIEW,
            _WALK,
            "patrols.view_patrolplan",
            "patrols.view_checkpoint",
            *_FINDINGS,
        ],
        "engineering_lead": [_VIEW, *_FINDINGS],
        "security": [_VIEW, *_FINDINGS],
        "management": [_VIEW, _KPI],
        "auditor": [_VIEW, _KPI],
    }
    nav_items = [
        _nav(_("My patrols today"), "patrols:today", _WALK, 40),
        _nav(_("Patrols"), "patrols:patrol-list", _VIEW, 41),
        _nav(_("Findings"), "patrols:finding-list", "patrols.view_finding", 42),
        _nav(_("Patrol plans"), "patrols:plan-list", "patrols.view_patrolplan", 43),
        _nav(_("Checkpoints"), "patrols:checkpoint-list", "patrols.view_checkpoint", 44),
        _nav(_("Patrol review"), "patrols:review", _REVIEW, 45),
        _nav(_("Patrol KPIs"), "patrols:kpis", _KPI, 46),
    ]

    def ready(self) -> None:
        from guanjia.core.files.registry import register_file
        from guanjia.core.jobs.registry import schedule

        from . import actions, announcements, workbench  # noqa: F401  # the built-in finding actions
        from .models import FindingPhoto

        announcements.register()  # who is told of a missed patrol

        register_file(
            FindingPhoto,
            "image",
            owner="finding",
            perm="patrols.view_finding",
            name_field="original_name",
        )
        schedule(
            "patrols.missed",
            "guanjia.patrols.services.days.mark_missed",
            minutes=24 * 60,
            at=dt.time(0, 30),
        )
        schedule(
            "patrols.generate",
            "guanjia.patrols.services.plans.generate_next_months",
            minutes=24 * 60,
            at=dt.time(1, 30),
        )
        schedule(
            "patrols.follow_actions",
            "guanjia.patrols.services.findings.follow_actions",
            minutes=30,
        )
        workbench.register()  # my patrols today, findings to act on
        post_migrate.connect(_sync_roles_after_migrate, sender=self)


def _sync_roles_after_migrate(sender: AppConfig, **kwargs: Any) -> None:
    from guanjia.accounts.services import sync_roles

    sync_roles(using=kwargs.get("using", "default"))

import datetime as dt
from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from guanjia.core.context_processors import NavItem

_PLANS = "training.view_trainingplan"
_WRITE_PLANS = "training.add_trainingplan"
_APPROVE = "training.approve_trainingplan"
_SESSIONS = "training.view_trainingsession"
_RUN_SESSIONS = "training.add_trainingsession"
_TESTS = "training.view_assessment"
_MAKE_TESTS = "training.add_assessment"
_TAKE = "training.take_training"
_KPI = "training.view_training_kpis"

# Every community role: signs in to sessions, takes tests, reads its own file (R own, §26).
_STAFF = [_TAKE]
_RUNS = [_PLANS, _WRITE_PLANS, _SESSIONS, _RUN_SESSIONS, _TESTS, _MAKE_TESTS, _KPI]


def _nav(label: Any, url_name: str, perm: str, order: int) -> NavItem:
    """A NavItem with lazily translated texts (NavItem annotates them as str)."""
    return NavItem(_("Training"), label, url_name, perm, order)


class TrainingConfig(AppConfig):
    name = "guanjia.training"
    label = "training"
    verbose_name = _("Training")
    default_auto_field = "django.db.models.BigAutoField"

    # Spec §26 "Training plans/records": REC, CAS, AM read their own (and sign in, take
    # tests); SUP creates and runs them; DIR approves (and spot-checks the results); HR
    # creates, runs and approves company-wide; GM and the auditor read. Company roles do not
    # take training here: the staff of a community are those holding take_training there.
    role_permissions: dict[str, list[str]] = {
        "supervisor": [*_STAFF, *_RUNS],
        "director": [*_STAFF, _PLANS, _APPROVE, _SESSIONS, _TESTS, _KPI],
        "receptionist": _STAFF,
        "cashier": _STAFF,
        "area_manager": _STAFF,
        "engineering_lead": _STAFF,
        "technician": _STAFF,
        "security": _STAFF,
        "hr": [*_RUNS, _APPROVE],
        "management": [_PLANS, _SESSIONS, _TESTS, _KPI],
        "auditor": [_PLANS, _SESSIONS, _TESTS, _KPI],
    }
    nav_items = [
        _nav(_("My training"), "training:mine", _TAKE, 70),
        _nav(_("Training plans"), "training:plan-list", _PLANS, 71),
        _nav(_("Training sessions"), "training:session-list", _SESSIONS, 72),
        _nav(_("Tests"), "training:test-list", _TESTS, 73),
        _nav(_("Inductions"), "training:induction-list", _SESSIONS, 74),
        _nav(_("Training material"), "training:materials", _TAKE, 75),
        _nav(_("Training KPIs"), "training:kpis", _KPI, 76),
    ]

    def ready(self) -> None:
        from guanjia.core.files.registry import register_file
        from guanjia.core.jobs.registry import schedule

        from . import announcements, workbench
        from .models import SessionMaterial, SignInSheetScan

        announcements.register()  # who is told of a plan, a session, a failed test
        workbench.register()  # what waits for whom on the home page

        register_file(
            SessionMaterial, "file", owner="session", perm=_TAKE, name_field="original_name"
        )
        register_file(
            SignInSheetScan, "file", owner="session", perm=_SESSIONS, name_field="original_name"
        )
        schedule(
            "training.inductions",
            "guanjia.training.services.inductions.assign_new_hires",
            minutes=24 * 60,
            at=dt.time(2, 40),
        )
        schedule(
            "training.plan_reminder",
            "guanjia.training.services.plans.remind_annual_plans",
            minutes=24 * 60,
            at=dt.time(8, 0),
        )
        post_migrate.connect(_sync_roles_after_migrate, sender=self)


def _sync_roles_after_migrate(sender: AppConfig, **kwargs: Any) -> None:
    from guanjia.accounts.services import sync_roles

    sync_roles(using=kwargs.get("using", "default"))

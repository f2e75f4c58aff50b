import datetime as dt
from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from guanjia.core.context_processors import NavItem

_VIEW = "visits.view_visit"
_RECORD = "visits.change_visit"
_GENERATE = "visits.add_visit"
_REVIEW = "visits.review_visit"
_DIRECTOR = "visits.make_director_visit"
_KPI = "visits.view_visit_kpis"


def _nav(label: Any, url_name: str, perm: str, order: int) -> NavItem:
    """A NavItem with lazily translated texts (NavItem annotates them as str)."""
    return NavItem(_("Service desk"), label, url_name, perm, order)


class VisitsConfig(AppConfig):
    name = "guanjia.visits"
    label = "visits"
    verbose_name = _("Follow-up visits")
    default_auto_field = "django.db.models.BigAutoField"

    # Spec §14, §26: CSC staff and area managers visit; the supervisor plans and reviews; the
    # director visits major complaints; engineering samples repair visits.
    role_permissions: dict[str, list[str]] = {
        "supervisor": [_VIEW, _RECORD, _GENERATE, _REVIEW, _KPI],
        "director": [_VIEW, _RECORD, _GENERATE, _REVIEW, _DIRECTOR, _KPI],
        "area_manager": [_VIEW, _RECORD],
        "receptionist": [_VIEW, _RECORD],
        "engineering_lead": [_VIEW, _RECORD],
        "management": [_VIEW, _KPI],
        "auditor": [_VIEW, _KPI],
    }
    nav_items = [
        _nav(_("Follow-up visits"), "visits:visit-list", _VIEW, 17),
        _nav(_("Visit review"), "visits:review", _REVIEW, 18),
        _nav(_("Visit KPIs"), "visits:kpis", _KPI, 19),
        _nav(_("Routine visit plans"), "visits:plans", _REVIEW, 20),
        _nav(_("Satisfaction surveys"), "visits:surveys", _VIEW, 21),
    ]

    def ready(self) -> None:
        from guanjia.accounts.services.separation import register_separation_rule
        from guanjia.core.files.registry import register_file
        from guanjia.core.jobs.registry import schedule
        from guanjia.estates.selectors import register_timeline_source
        from guanjia.tickets.panels import register_ticket_panel

        from . import announcements, selectors, workbench
        from .models import Visit

        register_separation_rule(
            "visit_own_work",
            _("The person whose work is judged cannot make or review its follow-up visit."),
        )
        register_file(Visit, "signature", perm=_VIEW)
        register_timeline_source(selectors.visits_for_unit)
        register_ticket_panel("visits/_ticket_visits.html", selectors.ticket_panel)
        schedule(
            "visits.generate",
            "guanjia.visits.services.generation.generate_nightly",
            minutes=24 * 60,
            at=dt.time(2, 30),
        )
        workbench.register()
        announcements.register()
        post_migrate.connect(_sync_roles_after_migrate, sender=self)


def _sync_roles_after_migrate(sender: AppConfig, **kwargs: Any) -> None:
    from guanjia.accounts.services import sync_roles

    sync_roles(using=kwargs.get("using", "default"))

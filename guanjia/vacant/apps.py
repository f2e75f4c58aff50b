import datetime as dt
from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from guanjia.core.context_processors import NavItem

_VIEW = ["vacant.view_vacantunit", "vacant.view_caretask", "vacant.view_inspection"]
_VIEW += ["vacant.view_viewing", "vacant.view_stormalert"]
_WORK = ["vacant.add_vacantunit", "vacant.change_vacantunit", "vacant.change_caretask"]
_WORK += ["vacant.add_inspection", "vacant.add_viewing"]
_PLAN = ["vacant.schedule_vacant_care", "vacant.add_stormalert"]
_KPI = "vacant.view_vacant_kpis"


def _nav(label: Any, url_name: str, perm: str, order: int) -> NavItem:
    return NavItem(_("Vacant units"), label, url_name, perm, order)


class VacantConfig(AppConfig):
    name = "guanjia.vacant"
    label = "vacant"
    verbose_name = _("Vacant units")
    default_auto_field = "django.db.models.BigAutoField"

    # Spec §26 "Vacant units & keys": the desk C U (keys: the desk's own register), the area
    # manager C U (register, care, inspections), the supervisor A (plans, storm alerts), the
    # director R, engineering U (repairs: the service desk), security U (outside).
    role_permissions: dict[str, list[str]] = {
        "area_manager": [*_VIEW, *_WORK],
        "supervisor": [*_VIEW, *_WORK, *_PLAN, _KPI],
        "director": [*_VIEW, _KPI],
        "receptionist": [*_VIEW, "vacant.add_viewing"],
        "engineering_lead": [*_VIEW],
        "security": ["vacant.view_vacantunit"],
        "management": [*_VIEW, _KPI],
        "auditor": [*_VIEW, _KPI],
    }
    nav_items = [
        _nav(_("Vacant-unit register"), "vacant:unit-list", "vacant.view_vacantunit", 60),
        _nav(_("Vacant-unit tasks"), "vacant:task-list", "vacant.view_caretask", 61),
        _nav(_("Vacant-unit inspections"), "vacant:inspection-list", "vacant.view_inspection", 62),
        _nav(_("Vacant-unit KPIs"), "vacant:kpis", _KPI, 63),
    ]

    def ready(self) -> None:
        from guanjia.core.files.registry import register_file
        from guanjia.core.jobs.registry import schedule
        from guanjia.estates.selectors import register_timeline_source

        from . import selectors, workbench
        from .models import InspectionPhoto, VacantUnit, Viewing

        register_file(
            VacantUnit,
            "authorisation",
            perm="vacant.view_vacantunit",
            name_field="authorisation_name",
        )
        register_file(Viewing, "consent", perm="vacant.view_viewing", name_field="consent_name")
        register_file(
            InspectionPhoto,
            "image",
            owner="inspection",
            perm="vacant.view_inspection",
            name_field="original_name",
        )
        register_timeline_source(selectors.vacancy_for_unit)
        workbench.register()
        schedule(
            "vacant.schedule",
            "guanjia.vacant.services.care.generate_nightly",
            minutes=24 * 60,
            at=dt.time(2, 45),
        )
        post_migrate.connect(_sync_roles_after_migrate, sender=self)


def _sync_roles_after_migrate(sender: AppConfig, **kwargs: Any) -> None:
    from guanjia.accounts.services import sync_roles

    sync_roles(using=kwargs.get("using", "default"))

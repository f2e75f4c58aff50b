import datetime as dt

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from guanjia.core.context_processors import NavItem


class JobsConfig(AppConfig):
    name = "guanjia.core.jobs"
    label = "jobs"
    verbose_name = _("Jobs")
    # Everyone sees the runs they started; these roles see every run of their communities.
    role_permissions: dict[str, list[str]] = {
        "admin": ["jobs.view_jobrun"],
        "director": ["jobs.view_jobrun"],
        "supervisor": ["jobs.view_jobrun"],
    }
    nav_items = [
        NavItem(
            _("System"),  # lazy: translated when the menu is drawn
            _("Background jobs"),
            "jobs:jobrun-list",
            "jobs.view_jobrun",
            900,
        )
    ]

    def ready(self) -> None:
        # Schedules are declared in code, in each app's ready(); `manage.py sync_schedules`
        # writes them to django-q (docs/jobs.md).
        from .registry import schedule

        schedule(
            "jobs.cleanup",
            "guanjia.core.jobs.services.cleanup_daily",
            minutes=24 * 60,
            at=dt.time(3, 30),
        )

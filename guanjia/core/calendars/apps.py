from typing import cast

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from guanjia.core.context_processors import NavItem

VIEW = ["calendars.view_holiday"]
EDIT = [
    "calendars.view_holiday",
    "calendars.add_holiday",
    "calendars.change_holiday",
    "calendars.delete_holiday",
    "calendars.change_workingschedule",
]
VIEWERS = (
    "receptionist",
    "cashier",
    "area_manager",
    "engineering_lead",
    "technician",
    "security",
    "finance",
    "hr",
    "management",
    "auditor",
)


class CalendarsConfig(AppConfig):
    name = "guanjia.core.calendars"
    label = "calendars"
    verbose_name = _("Calendars")
    # Every staff role reads the calendar; the office director, the CSC supervisor and the
    # company administrator keep it (company-wide exceptions need a company-wide role).
    role_permissions: dict[str, list[str]] = {
        **dict.fromkeys(VIEWERS, VIEW),
        "director": EDIT,
        "supervisor": EDIT,
        "admin": EDIT,
    }
    nav_items = [
        # cast: the labels stay lazy (translated per request); NavItem is typed with str.
        NavItem(
            cast(str, _("Settings")),
            cast(str, _("Calendar")),
            "calendars:index",
            "calendars.view_holiday",
            800,
        )
    ]

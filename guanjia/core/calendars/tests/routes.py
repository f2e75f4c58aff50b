import datetime as dt

from guanjia.core.calendars.models import ExceptionKind
from guanjia.core.calendars.tests.factories import HolidayFactory
from guanjia.core.tests.matrix import RouteCase


def _community(w, c):
    return {"community_id": c.pk}


def _holiday(w, c):
    return {"pk": HolidayFactory(community=c, date=dt.date(2026, 3, 10)).pk}


ROUTES = [
    RouteCase(
        "calendars:index",
        allowed="technician",
        scoped=False,
        why_unscoped="redirects to the calendar of the user's current community",
        max_queries=10,
    ),
    RouteCase(
        "calendars:month",
        allowed="technician",
        kwargs=lambda w, c: {**_community(w, c), "year": 2026, "month": 10},
        max_queries=15,
    ),
    RouteCase(
        "calendars:year",
        allowed="cashier",
        kwargs=lambda w, c: {**_community(w, c), "year": 2026},
        max_queries=15,
    ),
    RouteCase("calendars:changes", allowed="receptionist", kwargs=_community, max_queries=14),
    RouteCase(
        "calendars:holiday-create",
        allowed="supervisor",
        denied="receptionist",
        kwargs=_community,
        max_queries=12,
    ),
    RouteCase(
        "calendars:holiday-create",
        allowed="director",
        denied="cashier",
        method="POST",
        kwargs=_community,
        data=lambda w, c: {
            "date": "2026-03-11",
            "kind": ExceptionKind.HOLIDAY,
            "name": "停水检修",
            "scope": "community",
        },
        max_queries=27,
    ),
    RouteCase(
        "calendars:holiday-update",
        allowed="supervisor",
        denied="receptionist",
        kwargs=_holiday,
        max_queries=12,
    ),
    RouteCase(
        "calendars:holiday-update",
        allowed="supervisor",
        denied="technician",
        method="POST",
        kwargs=_holiday,
        data=lambda w, c: {"date": "2026-03-12", "kind": ExceptionKind.WORKDAY, "name": "调整"},
        max_queries=29,
    ),
    RouteCase(
        "calendars:holiday-delete",
        allowed="director",
        denied="security",
        kwargs=_holiday,
        max_queries=12,
    ),
    RouteCase(
        "calendars:holiday-delete",
        allowed="director",
        denied="area_manager",
        method="POST",
        kwargs=_holiday,
        max_queries=16,
    ),
    RouteCase(
        "calendars:schedule",
        allowed="director",
        denied="receptionist",
        kwargs=_community,
        max_queries=14,
    ),
    RouteCase(
        "calendars:schedule",
        allowed="supervisor",
        denied="engineering_lead",
        method="POST",
        kwargs=_community,
        data=lambda w, c: {
            "weekdays": [1, 2, 3, 4, 5, 6],
            "morning_opens": "08:00",
            "morning_closes": "12:00",
            "afternoon_opens": "14:00",
            "afternoon_closes": "18:00",
        },
        max_queries=37,
    ),
    RouteCase(
        "calendars:company-schedule",
        allowed="admin",
        denied="director",
        scoped=False,
        why_unscoped="the company default of the administrator's own company",
        max_queries=13,
    ),
    RouteCase(
        "calendars:company-schedule",
        allowed="admin",
        denied="supervisor",
        method="POST",
        scoped=False,
        why_unscoped="the company default of the administrator's own company",
        data=lambda w, c: {
            "weekdays": [1, 2, 3, 4, 5],
            "morning_opens": "09:00",
            "morning_closes": "17:00",
        },
        max_queries=33,
    ),
    RouteCase(
        "calendars-api:days",
        allowed="cashier",
        api=True,
        kwargs=_community,
        query="from=2026-10-01&to=2026-10-31",
        max_queries=14,
    ),
    RouteCase(
        "calendars-api:deadline",
        allowed="technician",
        api=True,
        kwargs=_community,
        query="start=2026-09-30T16:00:00%2B08:00&minutes=240&clock=working",
        max_queries=14,
    ),
]

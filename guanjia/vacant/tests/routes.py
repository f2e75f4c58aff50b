"""Every vacant-unit route and its promises (see guanjia/core/tests/matrix.py)."""

import datetime as dt

from django.utils import timezone

from guanjia.core.tests.matrix import RouteCase
from guanjia.estates.models import UnitStatus

from ..models import CareTask, TaskKind
from .factories import jpeg, vacancy, zone_unit

LIST = "a list shows the current community's rows only"
NEW = "a new row is created in the current community"
CHOICE = (
    "the form's choices are the current community's rows: another community's is not a "
    "choice (400, nothing saved)"
)
COMMUNITY = "acts on the community the user works in now"
BODY = "the body names the community; one the caller cannot see is refused with 400"


def unscoped(name, allowed, denied, why=LIST, **kw):
    return RouteCase(name, allowed=allowed, denied=denied, scoped=False, why_unscoped=why, **kw)


def pk(builder):
    return lambda w, c: {"pk": builder(w, c).pk}


def _vacancy(w, c):
    return vacancy(w, c)


def _task(w, c):
    v = vacancy(w, c)
    return CareTask.objects.create(
        community=c,
        vacant_unit=v,
        unit=v.unit,
        kind=TaskKind.CLEAN,
        due_on=timezone.localdate() - dt.timedelta(days=1),
    )


def _inspection(w, c):
    from guanjia.accounts.tests.factories import staff

    from .. import services
    from .factories import ALL_OK

    v = vacancy(w, c)
    inspector = w.user("area_manager") if c == w.a else staff("area_manager", c)
    return services.record_inspection(vacancy=v, checklist=ALL_OK, by=inspector)


def _register_body(w, c):
    return {"unit": zone_unit(w, c, status=UnitStatus.DELIVERED).pk, "category": "unoccupied"}


def _page_register_body(w, c):
    return {**_register_body(w, c), "water": "off", "power": "off"}


def _checklist(**extra):
    items = ["doors_ok", "no_leaks", "no_damp", "fixtures_ok", "meters_still", "clean_ok"]
    return {**dict.fromkeys(items, "ok"), "ventilated": "yes", **extra}


ROUTES = [
    unscoped("vacant:unit-list", "area_manager", "technician", max_queries=16),
    unscoped("vacant:unit-create", "area_manager", "technician", why=NEW, max_queries=16),
    RouteCase(
        "vacant:unit-create",
        "supervisor",
        "technician",
        method="POST",
        data=_page_register_body,
        scoped=False,
        why_unscoped=CHOICE,
        max_queries=40,
    ),
    unscoped("vacant:unit-sync", "supervisor", "technician", why=COMMUNITY, method="POST"),
    RouteCase(
        "vacant:unit-detail", "area_manager", "technician", kwargs=pk(_vacancy), max_queries=24
    ),
    RouteCase(
        "vacant:unit-update",
        "supervisor",
        "technician",
        method="POST",
        kwargs=pk(_vacancy),
        data=lambda w, c: {"water": "on", "power": "off", "notes": "看房"},
        max_queries=24,
    ),
    RouteCase(
        "vacant:unit-leave",
        "supervisor",
        "receptionist",
        method="POST",
        kwargs=pk(_vacancy),
        data=lambda w, c: {"reason": "moved_in"},
        max_queries=40,
    ),
    RouteCase(
        "vacant:unit-viewing",
        "area_manager",
        "technician",
        method="POST",
        kwargs=pk(_vacancy),
        data=lambda w, c: {
            "visitor_name": "李买家",
            "consent_by": "某某地产",
            "consent": jpeg(),
            "accompanied_by": w.user("area_manager").pk,
        },
        max_queries=30,
    ),
    RouteCase("vacant:unit-inspect", "area_manager", "receptionist", kwargs=pk(_vacancy)),
    RouteCase(
        "vacant:unit-inspect",
        "area_manager",
        "receptionist",
        method="POST",
        kwargs=pk(_vacancy),
        data=lambda w, c: _checklist(),
        max_queries=30,
    ),
    unscoped("vacant:inspection-list", "supervisor", "technician", max_queries=16),
    RouteCase("vacant:inspection-detail", "supervisor", "technician", kwargs=pk(_inspection)),
    unscoped("vacant:task-list", "area_manager", "technician", max_queries=16),
    unscoped("vacant:task-generate", "supervisor", "area_manager", why=COMMUNITY, method="POST"),
    RouteCase(
        "vacant:task-done",
        "area_manager",
        "technician",
        method="POST",
        kwargs=pk(_task),
    ),
    unscoped("vacant:storm-create", "supervisor", "area_manager", why=COMMUNITY),
    unscoped(
        "vacant:storm-create",
        "supervisor",
        "area_manager",
        why=COMMUNITY,
        method="POST",
        data=lambda w, c: {
            "description": "暴雨",
            "ended_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        },
    ),
    unscoped("vacant:kpis", "director", "technician", why=COMMUNITY, max_queries=20),
    unscoped("vacant:kpis-export", "director", "technician", why=COMMUNITY, max_queries=20),
]

# --- API ------------------------------------------------------------------------------------


def api(name, allowed, denied, method="GET", **kw):
    if method == "POST":
        kw.setdefault("ok", (200, 201))
    return RouteCase(
        f"vacant-api:{name}", allowed=allowed, denied=denied, method=method, api=True, **kw
    )


def _community_body(w, c):
    return {"community": c.pk}


def _api_inspection_body(w, c):
    v = vacancy(w, c)
    items = ["doors_ok", "no_leaks", "no_damp", "fixtures_ok", "meters_still", "clean_ok"]
    return {"unit": v.unit_id, **dict.fromkeys(items, True), "ventilated": True}


ROUTES += [
    api("unit-list", "area_manager", "technician", scoped=False, why_unscoped=LIST),
    api(
        "unit-list",
        "supervisor",
        "technician",
        method="POST",
        data=lambda w, c: {"community": c.pk, **_register_body(w, c)},
        scoped=False,
        why_unscoped=BODY,
        max_queries=40,
    ),
    api("unit-sync", "supervisor", "technician", method="POST", data=_community_body),
    api("unit-detail", "area_manager", "technician", kwargs=pk(_vacancy)),
    api(
        "unit-change",
        "supervisor",
        "technician",
        method="POST",
        kwargs=pk(_vacancy),
        data=lambda w, c: {"water": "on", "power": "off"},
        max_queries=24,
    ),
    api(
        "unit-leave",
        "supervisor",
        "receptionist",
        method="POST",
        kwargs=pk(_vacancy),
        data=lambda w, c: {"reason": "renovating"},
        max_queries=40,
    ),
    # JSON carries no file: the right role gets the refusal for the missing written consent
    # (400, nothing saved); test_api.py posts the consent as multipart.
    api(
        "unit-viewing",
        "area_manager",
        "technician",
        method="POST",
        kwargs=pk(_vacancy),
        data=lambda w, c: {"visitor_name": "李买家", "consent_by": "某某地产"},
        ok=(400,),
        max_queries=24,
    ),
    api("task-list", "area_manager", "technician", scoped=False, why_unscoped=LIST),
    api("task-detail", "area_manager", "technician", kwargs=pk(_task)),
    api("task-done", "area_manager", "technician", method="POST", kwargs=pk(_task)),
    api("task-generate", "supervisor", "area_manager", method="POST", data=_community_body),
    api(
        "storm-create",
        "supervisor",
        "area_manager",
        method="POST",
        data=lambda w, c: {
            "community": c.pk,
            "description": "台风",
            "ended_at": timezone.now().isoformat(),
        },
    ),
    api("inspection-list", "supervisor", "technician", scoped=False, why_unscoped=LIST),
    api(
        "inspection-list",
        "area_manager",
        "receptionist",
        method="POST",
        data=_api_inspection_body,
        max_queries=30,
    ),
    api("inspection-detail", "supervisor", "technician", kwargs=pk(_inspection)),
    api(
        "kpis",
        "director",
        "technician",
        data=lambda w, c: {"community": c.pk, "start": "2024-01-01", "end": "2024-01-31"},
    ),
]

"""Every visits route and its promises (see guanjia/core/tests/matrix.py)."""

from guanjia.core.tests.matrix import RouteCase

from .factories import complaint_visit

LIST = "a list shows the current community's rows only"
REPORT = "a report of the current community"
GENERATE = "generates in the current community"
API_LIST = "a list holds the caller's communities only"

ANSWERS = {
    "method": "phone",
    "quality": "satisfied",
    "timeliness": "satisfied",
    "attitude": "fairly",
    "conduct": "satisfied",
    "satisfaction": "satisfied",
}


def unscoped(name, allowed, denied=None, why=LIST, **kw):
    return RouteCase(name, allowed=allowed, denied=denied, scoped=False, why_unscoped=why, **kw)


def visit(w, c):
    return {"pk": complaint_visit(w, c).pk}


def recorded(w, c):
    from guanjia.visits import services

    from .factories import actor, answers

    v = complaint_visit(w, c)
    services.record_visit(visit=v, answers=answers(), by=actor(w, c, "area_manager"))
    return {"pk": v.pk}


def api(name, allowed, denied=None, method="GET", **kw):
    return RouteCase(
        f"visits-api:{name}", allowed=allowed, denied=denied, method=method, api=True, **kw
    )


ROUTES = [
    unscoped("visits:visit-list", "receptionist", "technician", max_queries=12),
    unscoped("visits:review", "supervisor", "receptionist", max_queries=13),
    unscoped(
        "visits:generate", "supervisor", "receptionist", method="POST", why=GENERATE, max_queries=21
    ),
    unscoped("visits:kpis", "supervisor", "receptionist", why=REPORT, max_queries=12),
    unscoped("visits:kpis-export", "director", "technician", why=REPORT, max_queries=11),
    RouteCase(
        "visits:visit-detail",
        allowed="area_manager",
        denied="technician",
        kwargs=visit,
        max_queries=14,
    ),
    RouteCase(
        "visits:visit-record",
        allowed="area_manager",
        denied="cashier",
        method="POST",
        kwargs=visit,
        data=lambda w, c: {f"record-{k}": v for k, v in ANSWERS.items()},
        max_queries=28,
    ),
    RouteCase(
        "visits:visit-attempt",
        allowed="area_manager",
        denied="cashier",
        method="POST",
        kwargs=visit,
        data=lambda w, c: {"attempt-outcome": "no_answer"},
        max_queries=25,
    ),
    RouteCase(
        "visits:visit-decline",
        allowed="area_manager",
        denied="cashier",
        method="POST",
        kwargs=visit,
        data=lambda w, c: {"decline-note": "不需要"},
        max_queries=21,
    ),
    RouteCase(
        "visits:visit-review",
        allowed="director",
        denied="area_manager",
        method="POST",
        kwargs=recorded,
        data=lambda w, c: {"review-note": "已阅"},
        max_queries=20,
    ),
    api(
        "visit-list",
        "receptionist",
        "technician",
        scoped=False,
        why_unscoped=API_LIST,
        max_queries=11,
    ),
    api("visit-detail", "receptionist", "technician", kwargs=visit, max_queries=11),
    api(
        "visit-record",
        "area_manager",
        "cashier",
        method="POST",
        kwargs=visit,
        data=lambda w, c: ANSWERS,
        max_queries=30,
    ),
    api(
        "visit-attempt",
        "area_manager",
        "cashier",
        method="POST",
        kwargs=visit,
        data=lambda w, c: {"outcome": "no_answer"},
        max_queries=27,
    ),
    api(
        "visit-review",
        "director",
        "area_manager",
        method="POST",
        kwargs=recorded,
        data=lambda w, c: {"note": "已阅"},
        max_queries=22,
    ),
    api(
        "generate",
        "supervisor",
        "receptionist",
        method="POST",
        data=lambda w, c: {"community": c.pk},
        max_queries=22,
    ),
]

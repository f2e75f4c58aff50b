"""Every sanctions route and its promises (see guanjia/core/tests/matrix.py)."""

from __future__ import annotations

from guanjia.core.tests.matrix import RouteCase

from .factories import SIGN, line, visitor, visitor_at

LIST = "a list shows the current community's rows only"
REPORT = "a report of the current community"
FORM = "a form for the current community"
API_LIST = "a list holds the caller's communities only"
BODY = "another community in the body is refused as not existing (400, test_pages_api.py)"


def unscoped(name, allowed, denied=None, why=LIST, **kw):
    return RouteCase(name, allowed=allowed, denied=denied, scoped=False, why_unscoped=why, **kw)


def api(name, allowed, denied=None, method="GET", **kw):
    return RouteCase(
        f"sanctions-api:{name}", allowed=allowed, denied=denied, method=method, api=True, **kw
    )


def a_reported(w, c):
    return {"pk": visitor(w, c).pk}


def at(status):
    def build(w, c):
        return {"pk": visitor_at(w, c, status).pk}

    return build


def a_line(w, c):
    return {"pk": line(c).pk}


def step(name, allowed, denied, kwargs, data, **kw):
    return RouteCase(
        f"sanctions:{name}",
        allowed=allowed,
        denied=denied,
        method="POST",
        kwargs=kwargs,
        data=data,
        **kw,
    )


TABLE_BODY = {"name": "电梯内吸烟", "default_amount": "100", "max_amount": "150", "active": True}

ROUTES = [
    unscoped("sanctions:breach-list", "receptionist", "engineering_lead", max_queries=14),
    unscoped("sanctions:breach-create", "security", "cashier", why=FORM, max_queries=12),
    unscoped("sanctions:kpis", "supervisor", "security", why=REPORT, max_queries=16),
    unscoped("sanctions:table", "security", "engineering_lead", max_queries=12),
    RouteCase(
        "sanctions:table-edit",
        allowed="supervisor",
        denied="security",
        kwargs=a_line,
        max_queries=13,
    ),
    RouteCase(
        "sanctions:breach-detail",
        allowed="receptionist",
        denied="engineering_lead",
        kwargs=a_reported,
        max_queries=15,
    ),
    RouteCase(
        "sanctions:breach-print",
        allowed="cashier",
        denied="engineering_lead",
        kwargs=at("notified"),
        max_queries=16,
    ),
    step(
        "breach-verify",
        "area_manager",
        "receptionist",
        a_reported,
        lambda w, c: {"verify-note": "核实"},
        max_queries=19,
    ),
    step(
        "breach-decide",
        "supervisor",
        "security",
        at("verified"),
        lambda w, c: {"decide-amount": "0", "decide-damage": "0", "decide-expel": "on"},
        max_queries=21,
    ),
    step(
        "breach-notify",
        "area_manager",
        "cashier",
        at("decided"),
        lambda w, c: {
            "notify-party": "person",
            "notify-signer": "某访客",
            "notify-signature": SIGN,
        },
        max_queries=21,
    ),
    step(
        "breach-execute",
        "security",
        "receptionist",
        at("notified"),
        lambda w, c: {"execute-note": "已清出"},
        max_queries=19,
    ),
    step(
        "breach-appeal",
        "area_manager",
        "cashier",
        at("notified"),
        lambda w, c: {"appeal-party": "person", "appeal-grounds": "不服"},
        max_queries=20,
    ),
    step(
        "breach-appeal-decide",
        "director",
        "supervisor",
        at("appealed"),
        lambda w, c: {"appeal_decide-decision": "upheld", "appeal_decide-note": "维持"},
        max_queries=19,
    ),
    step(
        "breach-close",
        "supervisor",
        "security",
        at("executed"),
        lambda w, c: {"close-note": "结案"},
        ok=(400,),
        max_queries=28,
    ),
    step(
        "breach-cancel",
        "supervisor",
        "security",
        a_reported,
        lambda w, c: {"cancel-note": "误报"},
        max_queries=18,
    ),
    step(
        "breach-photo",
        "security",
        "cashier",
        a_reported,
        lambda w, c: {},
        ok=(400,),
        max_queries=19,
    ),
    api("breach-list", "receptionist", "engineering_lead", scoped=False, why_unscoped=API_LIST,
        max_queries=11),
    api(
        "breach-list",
        "security",
        "cashier",
        method="POST",
        data=lambda w, c: {
            "community": c.pk, "kind": line(c).pk, "place": "大堂", "description": "吸烟",
            "source": "guard", "person_kind": "visitor", "person_name": "某访客",
        },
        scoped=False,
        why_unscoped=BODY,
        ok=(201,),
        max_queries=21,
    ),
    api("breach-detail", "receptionist", "engineering_lead", kwargs=a_reported, max_queries=13),
    api(
        "breach-verify", "area_manager", "receptionist", method="POST", kwargs=a_reported,
        data=lambda w, c: {"note": "核实"}, max_queries=24,
    ),
    api(
        "breach-decide", "supervisor", "security", method="POST", kwargs=at("verified"),
        data=lambda w, c: {"amount": "0", "expel": True}, max_queries=26,
    ),
    api(
        "breach-notify", "area_manager", "cashier", method="POST", kwargs=at("decided"),
        data=lambda w, c: {"party": "person", "signer": "某访客", "signature": SIGN},
        max_queries=26,
    ),
    api(
        "breach-execute", "security", "receptionist", method="POST", kwargs=at("notified"),
        data=lambda w, c: {"note": "已清出"}, max_queries=24,
    ),
    api(
        "breach-appeal", "area_manager", "cashier", method="POST", kwargs=at("notified"),
        data=lambda w, c: {"party": "person", "grounds": "不服"}, max_queries=25,
    ),
    api(
        "breach-appeal-decide", "director", "supervisor", method="POST", kwargs=at("appealed"),
        data=lambda w, c: {"decision": "cancelled", "note": "撤销"}, max_queries=24,
    ),
    api(
        "breach-close", "supervisor", "security", method="POST", kwargs=at("executed"),
        data=lambda w, c: {"note": "结案"}, ok=(400,), max_queries=19,
    ),
    api(
        "breach-cancel", "supervisor", "security", method="POST", kwargs=a_reported,
        data=lambda w, c: {"note": "误报"}, max_queries=23,
    ),
    # The matrix posts JSON: without the picture the body is refused.
    api(
        "breach-photo", "security", "cashier", method="POST", kwargs=a_reported,
        data=lambda w, c: {}, ok=(400,), max_queries=13,
    ),
    api("table-list", "security", "engineering_lead", scoped=False, why_unscoped=API_LIST,
        max_queries=12),
    api(
        "table-save", "supervisor", "security", method="POST", kwargs=a_line,
        data=lambda w, c: TABLE_BODY, max_queries=16,
    ),
]  # fmt: skip

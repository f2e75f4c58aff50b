"""Every passes route and its promises (see guanjia/core/tests/matrix.py)."""

import base64

from guanjia.core.tests.matrix import RouteCase
from guanjia.estates.tests.factories import UnitFactory
from guanjia.passes import services

from .factories import SIGN, desk, group, id_number, issue, photo

LIST = "a list shows the current community's rows only"
NEW = "a new row is created in the current community"
CHOICE = (
    "the form's choices are the current community's rows: another community's is not a "
    "choice (400, nothing saved)"
)
BODY = "the body names the community; one the caller cannot see is refused with 400"
GATE = "the gate checks passes of the community the guard works in now"
KPI = "the KPIs of the community the user works in now (API: ?community=, 404 elsewhere)"


def unscoped(name, allowed, denied, why=LIST, **kw):
    return RouteCase(name, allowed=allowed, denied=denied, scoped=False, why_unscoped=why, **kw)


def pk(builder):
    return lambda w, c: {"pk": builder(w, c).pk}


def _pass(w, c):
    return issue(w, c)


def _returned(w, c):
    p = issue(w, c)
    return services.return_pass(pass_obj=p, by=desk(w, c))


def _lost(w, c):
    p = issue(w, c)
    return services.report_lost(pass_obj=p, by=desk(w, c))


def _group(w, c):
    return group(w, c)


def _suspended(w, c):
    g = group(w, c)
    return services.suspend_group(g, reason="停工", by=desk(w, c))


def _slip(w, c):
    return services.apply_slip(
        community=c,
        unit=UnitFactory(community=c),
        applicant_name="张三",
        applicant_role="owner",
        id_number=id_number(),
        items=[("沙发", 1), ("纸箱", 3)],
        by=desk(w, c),
    )


_built: dict = {}


def _slip_for_release(w, c):
    s = _slip(w, c)
    _built["items"] = [i.pk for i in s.items.all()]
    return s


def _pass_page_body(w, c):
    return {
        "kind": "worker_long",
        "holder_name": "王师傅",
        "id_number": id_number(),
        "photo": photo(),
        "unit": UnitFactory(community=c).pk,
    }


def _photo_url():
    return "data:image/jpeg;base64," + base64.b64encode(photo().read()).decode("ascii")


def _pass_api_body(w, c):
    body = _pass_page_body(w, c)
    return {**body, "community": c.pk, "photo": _photo_url()}


def _visitor_body(w, c):
    return {
        "holder_name": "访客",
        "id_number": id_number(),
        "unit": UnitFactory(community=c).pk,
        "host_called": True,
    }


def _slip_body(w, c):
    return {
        "unit": UnitFactory(community=c).pk,
        "applicant_name": "张三",
        "applicant_role": "owner",
        "id_number": id_number(),
        "items": "沙发 1\n纸箱 3",
    }


def _release_page_body(w, c):
    body = {"carrier_name": "李四", "carrier_id": id_number(), "signature": SIGN}
    body.update({f"qty_{item}": 1 for item in _built["items"]})
    return body


def _release_api_body(w, c):
    return {
        "released": [{"item": item, "quantity": 1} for item in _built["items"]],
        "carrier_name": "李四",
        "carrier_id": id_number(),
        "signature": SIGN,
    }


def _future_end(w, c):
    p = _built["renew"] = issue(w, c, kind="worker_short")
    return {"pk": p.pk}


def _renew_ok(w, c):
    import datetime as dt

    return {"valid_to": (_built["renew"].valid_to + dt.timedelta(days=3)).isoformat()}


REC, TECH, SEC, CAS = "receptionist", "technician", "security", "cashier"

ROUTES = [
    unscoped("passes:pass-list", REC, TECH, max_queries=16),
    unscoped("passes:pass-create", REC, TECH, why=NEW, max_queries=16),
    RouteCase(
        "passes:pass-create",
        REC,
        TECH,
        method="POST",
        data=_pass_page_body,
        scoped=False,
        why_unscoped=CHOICE,
        max_queries=70,  # 64 measured on PostgreSQL (a pass, its fee and deposit postings)
    ),
    RouteCase("passes:pass-detail", REC, TECH, kwargs=pk(_pass), max_queries=20),
    RouteCase("passes:pass-print", REC, TECH, kwargs=pk(_pass), max_queries=16),
    RouteCase(
        "passes:pass-renew",
        REC,
        TECH,
        method="POST",
        kwargs=_future_end,
        data=_renew_ok,
        max_queries=40,
    ),
    RouteCase(
        "passes:pass-change",
        REC,
        TECH,
        method="POST",
        kwargs=pk(_pass),
        data=lambda w, c: {"employer": "某装饰公司"},
        max_queries=30,
    ),
    RouteCase("passes:pass-return", REC, TECH, method="POST", kwargs=pk(_pass), max_queries=30),
    RouteCase("passes:pass-refund", CAS, REC, method="POST", kwargs=pk(_returned), max_queries=40),
    RouteCase(
        "passes:pass-forfeit",
        CAS,
        REC,
        method="POST",
        kwargs=pk(_returned),
        data=lambda w, c: {"reason": "卡面涂改"},
        max_queries=40,
    ),
    RouteCase("passes:pass-lost", REC, TECH, method="POST", kwargs=pk(_pass), max_queries=40),
    RouteCase("passes:pass-reissue", REC, TECH, method="POST", kwargs=pk(_lost), max_queries=60),
    RouteCase(
        "passes:pass-confiscate",
        SEC,
        TECH,
        method="POST",
        kwargs=pk(_pass),
        data=lambda w, c: {"reason": "转借他人"},
        max_queries=40,
    ),
    unscoped("passes:group-list", REC, TECH, max_queries=16),
    unscoped("passes:group-create", REC, TECH, why=NEW, max_queries=16),
    unscoped(
        "passes:group-create",
        REC,
        TECH,
        why=NEW,
        method="POST",
        data=lambda w, c: {"kind": "contractor", "name": "某装饰公司"},
        max_queries=20,
    ),
    RouteCase("passes:group-detail", REC, TECH, kwargs=pk(_group), max_queries=16),
    RouteCase(
        "passes:group-suspend",
        SEC,
        TECH,
        method="POST",
        kwargs=pk(_group),
        data=lambda w, c: {"reason": "违规动火"},
        max_queries=24,
    ),
    RouteCase(
        "passes:group-resume", SEC, TECH, method="POST", kwargs=pk(_suspended), max_queries=24
    ),
    RouteCase("passes:group-close", REC, TECH, method="POST", kwargs=pk(_group), max_queries=24),
    unscoped("passes:gate", SEC, REC, why=GATE, max_queries=16),
    unscoped(
        "passes:gate",
        SEC,
        REC,
        why=GATE,
        method="POST",
        data=lambda w, c: {"number": "CRZ-2000-000001"},
        max_queries=20,
    ),
    unscoped("passes:gate-visitor", SEC, TECH, why=NEW, max_queries=16),
    RouteCase(
        "passes:gate-visitor",
        SEC,
        TECH,
        method="POST",
        data=_visitor_body,
        scoped=False,
        why_unscoped=CHOICE,
        max_queries=40,
    ),
    unscoped("passes:gate-log", "supervisor", REC, max_queries=16),
    unscoped("passes:slip-list", REC, TECH, max_queries=16),
    unscoped("passes:slip-create", REC, TECH, why=NEW, max_queries=16),
    RouteCase(
        "passes:slip-create",
        REC,
        TECH,
        method="POST",
        data=_slip_body,
        scoped=False,
        why_unscoped=CHOICE,
        max_queries=40,
    ),
    RouteCase("passes:slip-detail", REC, TECH, kwargs=pk(_slip), max_queries=20),
    RouteCase(
        "passes:slip-release",
        SEC,
        REC,
        method="POST",
        kwargs=pk(_slip_for_release),
        data=_release_page_body,
        max_queries=40,
    ),
    RouteCase(
        "passes:slip-cancel",
        REC,
        TECH,
        method="POST",
        kwargs=pk(_slip),
        data=lambda w, c: {"reason": "业主取消"},
        max_queries=24,
    ),
    unscoped("passes:kpis", "supervisor", REC, why=KPI, max_queries=16),
]


# --- API ------------------------------------------------------------------------------------


def api(name, allowed, denied, method="GET", **kw):
    if method == "POST":
        kw.setdefault("ok", (200, 201))
    return RouteCase(
        f"passes-api:{name}", allowed=allowed, denied=denied, method=method, api=True, **kw
    )


ROUTES += [
    api("pass-list", REC, TECH, scoped=False, why_unscoped=LIST, max_queries=16),
    api(
        "pass-list",
        REC,
        TECH,
        method="POST",
        data=_pass_api_body,
        scoped=False,
        why_unscoped=BODY,
        max_queries=70,  # 66 measured on PostgreSQL
    ),
    api("pass-detail", REC, TECH, kwargs=pk(_pass), max_queries=16),
    api("pass-renew", REC, TECH, method="POST", kwargs=_future_end, data=_renew_ok, max_queries=40),
    api(
        "pass-change",
        REC,
        TECH,
        method="POST",
        kwargs=pk(_pass),
        data=lambda w, c: {"employer": "某装饰公司"},
        max_queries=30,
    ),
    api("pass-return", REC, TECH, method="POST", kwargs=pk(_pass), max_queries=30),
    api("pass-refund", CAS, REC, method="POST", kwargs=pk(_returned), max_queries=40),
    api(
        "pass-forfeit",
        CAS,
        REC,
        method="POST",
        kwargs=pk(_returned),
        data=lambda w, c: {"reason": "卡面涂改"},
        max_queries=40,
    ),
    api("pass-lost", REC, TECH, method="POST", kwargs=pk(_pass), max_queries=40),
    api("pass-reissue", REC, TECH, method="POST", kwargs=pk(_lost), max_queries=60),
    api(
        "pass-confiscate",
        SEC,
        TECH,
        method="POST",
        kwargs=pk(_pass),
        data=lambda w, c: {"reason": "转借他人"},
        max_queries=40,
    ),
    api("group-list", REC, TECH, scoped=False, why_unscoped=LIST, max_queries=16),
    api(
        "group-list",
        REC,
        TECH,
        method="POST",
        data=lambda w, c: {"community": c.pk, "kind": "contractor", "name": "某装饰公司"},
        scoped=False,
        why_unscoped=BODY,
        max_queries=24,
    ),
    api("group-detail", REC, TECH, kwargs=pk(_group), max_queries=16),
    api(
        "group-suspend",
        SEC,
        TECH,
        method="POST",
        kwargs=pk(_group),
        data=lambda w, c: {"reason": "违规动火"},
        max_queries=24,
    ),
    api("group-resume", SEC, TECH, method="POST", kwargs=pk(_suspended), max_queries=24),
    api("group-close", REC, TECH, method="POST", kwargs=pk(_group), max_queries=24),
    api(
        "gate-check",
        SEC,
        REC,
        method="POST",
        data=lambda w, c: {"community": c.pk, "number": "CRZ-2000-000001"},
        scoped=False,
        why_unscoped=BODY,
        max_queries=20,
    ),
    api(
        "gate-visitor",
        SEC,
        TECH,
        method="POST",
        data=lambda w, c: {"community": c.pk, **_visitor_body(w, c)},
        scoped=False,
        why_unscoped=BODY,
        max_queries=40,
    ),
    api("gate-log", "supervisor", REC, scoped=False, why_unscoped=LIST, max_queries=16),
    api("slip-list", REC, TECH, scoped=False, why_unscoped=LIST, max_queries=16),
    api(
        "slip-list",
        REC,
        TECH,
        method="POST",
        data=lambda w, c: {
            **_slip_body(w, c),
            "community": c.pk,
            "items": [{"description": "沙发", "quantity": 1}],
        },
        scoped=False,
        why_unscoped=BODY,
        max_queries=40,
    ),
    api("slip-detail", REC, TECH, kwargs=pk(_slip), max_queries=16),
    api(
        "slip-release",
        SEC,
        REC,
        method="POST",
        kwargs=pk(_slip_for_release),
        data=_release_api_body,
        max_queries=40,
    ),
    api(
        "slip-cancel",
        REC,
        TECH,
        method="POST",
        kwargs=pk(_slip),
        data=lambda w, c: {"reason": "业主取消"},
        max_queries=24,
    ),
    api("kpis", "supervisor", REC, data=lambda w, c: {"community": c.pk}, max_queries=16),
]

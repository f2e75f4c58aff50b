"""Every violations route and its promises (see guanjia/core/tests/matrix.py)."""

from __future__ import annotations

from django.utils import timezone

from guanjia.core.tests.matrix import RouteCase

from .factories import PNG, actor, found, kind, managed_unit, noticed, serving

LIST = "a list shows the current community's rows only"
REPORT = "a report of the current community"
FORM = "a form for the current community"
API_LIST = "a list holds the caller's communities only"
BODY = "another community in the body is refused as not existing (400, test_api.py)"


def unscoped(name, allowed, denied=None, why=LIST, **kw):
    return RouteCase(name, allowed=allowed, denied=denied, scoped=False, why_unscoped=why, **kw)


def api(name, allowed, denied=None, method="GET", **kw):
    return RouteCase(
        f"violations-api:{name}", allowed=allowed, denied=denied, method=method, api=True, **kw
    )


def a_found(w, c):
    return {"pk": found(w, c).pk}


def a_noticed(w, c):
    return {"pk": noticed(w, c).pk}


def a_notice(w, c):
    return {"pk": noticed(w, c).notices.get().pk}


def not_corrected(w, c):
    from guanjia.violations import services

    v = found(w, c)
    by = actor(w, c, "area_manager")
    today = timezone.localdate()
    services.issue_notice(violation=v, serving=serving(deadline=today), by=by)
    services.recheck_violation(violation=v, corrected=False, note="未整改", by=by)
    return {"pk": v.pk}


def reported(w, c):
    from guanjia.violations import services

    v = found(w, c)
    report = services.Report(authority="police", reported_on=timezone.localdate())
    services.report_to_authority(violation=v, report=report, by=actor(w, c, "supervisor"))
    return {"pk": v.pk}


def appealed(w, c):
    from guanjia.violations import services

    v = noticed(w, c)
    services.lodge_appeal(violation=v, grounds="不服", by=actor(w, c, "area_manager"))
    return {"pk": v.pk}


def own_type(w, c):
    from guanjia.violations import services

    t = services.add_type(
        community=c, group="behaviour", name="自定义", by=actor(w, c, "supervisor")
    )
    return {"pk": t.pk}


def today():
    return timezone.localdate().isoformat()


def step(name, allowed, denied, kwargs, data, **kw):
    return RouteCase(
        f"violations:{name}",
        allowed=allowed,
        denied=denied,
        method="POST",
        kwargs=kwargs,
        data=data,
        **kw,
    )


ROUTES = [
    unscoped("violations:violation-list", "receptionist", "cashier", max_queries=13),
    unscoped("violations:recheck-list", "area_manager", "receptionist", max_queries=13),
    unscoped("violations:violation-create", "receptionist", "cashier", why=FORM, max_queries=12),
    unscoped("violations:kpis", "supervisor", "area_manager", why=REPORT, max_queries=16),
    unscoped("violations:kpis-export", "director", "receptionist", why=REPORT, max_queries=15),
    unscoped("violations:type-list", "receptionist", "cashier", max_queries=12),
    RouteCase(
        "violations:type-retire",
        allowed="supervisor",
        denied="receptionist",
        method="POST",
        kwargs=own_type,
        max_queries=15,
    ),
    RouteCase(
        "violations:violation-detail",
        allowed="receptionist",
        denied="cashier",
        kwargs=a_found,
        max_queries=16,
    ),
    RouteCase(
        "violations:notice-print",
        allowed="receptionist",
        denied="cashier",
        kwargs=a_notice,
        max_queries=14,
    ),
    step(
        "violation-dissuade",
        "area_manager",
        "receptionist",
        a_found,
        lambda w, c: {"dissuade-action": "已劝阻"},
        max_queries=23,
    ),
    step(
        "violation-notice",
        "area_manager",
        "receptionist",
        a_found,
        lambda w, c: {"notice-demand": "限期清理", "notice-signature": PNG},
        max_queries=29,
    ),
    step(
        "violation-recheck",
        "area_manager",
        "receptionist",
        a_noticed,
        lambda w, c: {"recheck-corrected": "yes", "recheck-note": "已清理"},
        max_queries=22,
    ),
    step(
        "violation-correct",
        "area_manager",
        "receptionist",
        a_found,
        lambda w, c: {"correct-note": "已整改"},
        max_queries=22,
    ),
    step(
        "violation-escalate",
        "supervisor",
        "area_manager",
        not_corrected,
        lambda w, c: {
            "escalate-kind": "second",
            "escalate-demand": "再次限期整改",
            "escalate-refused_to_sign": "on",
        },
        max_queries=24,
    ),
    step(
        "violation-report",
        "supervisor",
        "area_manager",
        a_found,
        lambda w, c: {"report-authority": "police", "report-reported_on": today()},
        max_queries=19,
    ),
    step(
        "violation-transfer",
        "supervisor",
        "area_manager",
        reported,
        lambda w, c: {"transfer-note": "已移交"},
        max_queries=18,
    ),
    step(
        "violation-measure",
        "area_manager",
        "receptionist",
        a_found,
        lambda w, c: {"measure-kind": "phone_owner"},
        max_queries=17,
    ),
    step(
        "violation-appeal",
        "area_manager",
        "receptionist",
        a_noticed,
        lambda w, c: {"appeal-grounds": "不服"},
        max_queries=19,
    ),
    step(
        "violation-decide",
        "director",
        "supervisor",
        appealed,
        lambda w, c: {"decide-decision": "upheld", "decide-note": "维持"},
        max_queries=17,
    ),
    # Without the picture the form is refused (the upload is tested in test_pages.py).
    step(
        "violation-photo",
        "area_manager",
        "cashier",
        a_found,
        lambda w, c: {},
        ok=(400,),
        max_queries=23,
    ),
    # The API
    api(
        "violation-list",
        "receptionist",
        "cashier",
        scoped=False,
        why_unscoped=API_LIST,
        max_queries=11,
    ),
    api("violation-detail", "receptionist", "cashier", kwargs=a_found, max_queries=14),
    api(
        "violation-list",
        "receptionist",
        "cashier",
        method="POST",
        data=lambda w, c: {
            "community": c.pk,
            "unit": managed_unit(w, c).pk,
            "kind": kind().pk,
            "description": "楼道堆物",
            "responsible": "owner",
            "source": "staff",
        },
        scoped=False,
        why_unscoped=BODY,
        ok=(201,),
        max_queries=34,
    ),
    api(
        "violation-dissuade",
        "area_manager",
        "receptionist",
        method="POST",
        kwargs=a_found,
        data=lambda w, c: {"action": "已劝阻"},
        max_queries=30,
    ),
    api(
        "violation-notice",
        "area_manager",
        "receptionist",
        method="POST",
        kwargs=a_found,
        data=lambda w, c: {"demand": "限期清理", "refused_to_sign": True},
        max_queries=37,
    ),
    api(
        "violation-recheck",
        "area_manager",
        "receptionist",
        method="POST",
        kwargs=a_noticed,
        data=lambda w, c: {"corrected": True, "note": "已清理"},
        max_queries=29,
    ),
    api(
        "violation-correct",
        "area_manager",
        "receptionist",
        method="POST",
        kwargs=a_found,
        data=lambda w, c: {"note": "已整改"},
        max_queries=29,
    ),
    api(
        "violation-escalate",
        "supervisor",
        "area_manager",
        method="POST",
        kwargs=not_corrected,
        data=lambda w, c: {"kind": "director_letter", "demand": "主任函", "signature": PNG},
        max_queries=31,
    ),
    api(
        "violation-report",
        "supervisor",
        "area_manager",
        method="POST",
        kwargs=a_found,
        data=lambda w, c: {"authority": "fire", "reported_on": today(), "reference": "X1"},
        max_queries=26,
    ),
    api(
        "violation-transfer",
        "supervisor",
        "area_manager",
        method="POST",
        kwargs=reported,
        data=lambda w, c: {"note": "已移交"},
        max_queries=25,
    ),
    api(
        "violation-measure",
        "area_manager",
        "receptionist",
        method="POST",
        kwargs=a_found,
        data=lambda w, c: {"kind": "committee"},
        max_queries=24,
    ),
    api(
        "violation-appeal",
        "area_manager",
        "receptionist",
        method="POST",
        kwargs=a_noticed,
        data=lambda w, c: {"grounds": "不服"},
        max_queries=26,
    ),
    api(
        "violation-decide",
        "director",
        "supervisor",
        method="POST",
        kwargs=appealed,
        data=lambda w, c: {"decision": "cancelled", "note": "撤销"},
        max_queries=26,
    ),
    # The matrix posts JSON: without the picture the body is refused.
    api(
        "violation-photo",
        "area_manager",
        "cashier",
        method="POST",
        kwargs=a_found,
        data=lambda w, c: {},
        ok=(400,),
        max_queries=14,
    ),
    api(
        "type-list", "receptionist", "cashier", scoped=False, why_unscoped=API_LIST, max_queries=12
    ),
    api(
        "type-list",
        "supervisor",
        "receptionist",
        method="POST",
        data=lambda w, c: {"community": c.pk, "group": "use", "name": "群租"},
        scoped=False,
        why_unscoped=BODY,
        ok=(201,),
        max_queries=16,
    ),
    api(
        "type-retire",
        "supervisor",
        "receptionist",
        method="POST",
        kwargs=own_type,
        max_queries=15,
    ),
]

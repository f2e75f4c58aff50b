"""Every renovation route and its promises (see guanjia/core/tests/matrix.py)."""

from guanjia.core.tests.matrix import RouteCase

from . import factories as f

LIST = "a list shows the current community's rows only"
API_LIST = "a list holds the caller's communities only"
CREATE = "creates in the current community"
REPORT = "a report of the current community"
MULTIPART = "the API takes files as multipart; the matrix sends JSON, so the body is refused"


def unscoped(name, allowed, denied=None, why=LIST, **kw):
    return RouteCase(name, allowed=allowed, denied=denied, scoped=False, why_unscoped=why, **kw)


def api(name, allowed, denied=None, method="GET", **kw):
    return RouteCase(
        f"renovation-api:{name}", allowed=allowed, denied=denied, method=method, api=True, **kw
    )


def pk(build):
    return lambda w, c: {"pk": build(w, c).pk}


def contractor(w, c):
    return {"pk": f.contractor(w, c).pk}


def suspended(w, c):
    from guanjia.renovation import services

    reno = f.in_progress(w, c)
    services.suspend(renovation=reno, reason="违规", by=f.actor(w, c, "supervisor"))
    return reno


def extendable(w, c):
    return f.in_progress(w, c)


def completion_requested(w, c):
    from guanjia.renovation import services

    reno = f.in_progress(w, c)
    return services.request_completion(renovation=reno, by=f.actor(w, c, "receptionist"))


def observation(w, c):
    from guanjia.renovation import services

    f.set_policy(w, c, "reno.refund_after_days", 0)
    reno = completion_requested(w, c)
    return services.accept_initial(
        renovation=reno, checks=f.ALL_PASSED, by=f.actor(w, c, "engineering_lead")
    )


def refund_requested(w, c):
    from guanjia.renovation import services

    reno = f.final_accepted(w, c)
    services.request_refund(
        renovation=reno,
        payee="王业主",
        deductions=[services.DeductionLine("垃圾", "200", "公共区域")],
        by=f.actor(w, c, "supervisor"),
    )
    return reno


def refund_approved(w, c):
    from guanjia.renovation import services

    reno = refund_requested(w, c)
    services.decide_refund(refund=reno.refund, approve=True, by=f.actor(w, c, "director"))
    return reno


def opinions(w, c):
    from guanjia.renovation import services

    reno = f.under_review(w, c)
    services.give_opinion(
        renovation=reno, opinion="同意", by=f.actor(w, c, "supervisor"), engineering=False
    )
    services.give_opinion(
        renovation=reno, opinion="合格", by=f.actor(w, c, "engineering_lead"), engineering=True
    )
    return reno


def paid_approved(w, c):
    return f.paid(f.approved(w, c), w)


def permit_token(w, c):
    return {"token": f.permitted(w, c).permit_token}


def apply_form(w, c):
    import datetime as dt

    from django.utils import timezone

    start = timezone.localdate() + dt.timedelta(days=5)
    return {
        "unit": f.owned_unit(c).pk,
        "kind": "full",
        "applicant_kind": "owner",
        "applicant_name": "王业主",
        "applicant_phone": "13900000000",
        "contractor": f.contractor(w, c).pk,
        "planned_start": start.isoformat(),
        "planned_end": (start + dt.timedelta(days=20)).isoformat(),
        "item_walls": "刷漆",
    }


def apply_body(w, c):
    body = apply_form(w, c)
    body["community"] = c.pk
    body["items"] = {"walls": body.pop("item_walls")}
    return body


def doc(kind, build):
    return lambda w, c: {"pk": build(w, c).pk, "kind": kind}


ROUTES = [
    unscoped("renovation:renovation-list", "receptionist", "technician", max_queries=14),
    unscoped(
        "renovation:renovation-create",
        "receptionist",
        "area_manager",
        method="POST",
        data=apply_form,
        why=CREATE,
        max_queries=40,
    ),
    unscoped("renovation:due-inspections", "area_manager", "receptionist", max_queries=14),
    unscoped("renovation:kpis", "supervisor", "receptionist", why=REPORT, max_queries=16),
    RouteCase(
        "renovation:permit-public",
        allowed=None,
        public=True,
        kwargs=permit_token,
        scoped=False,
        max_queries=6,
    ),
    unscoped("renovation:contractor-list", "receptionist", "technician", max_queries=14),
    unscoped(
        "renovation:contractor-create",
        "receptionist",
        "area_manager",
        method="POST",
        data=lambda w, c: {
            "name": "新装饰",
            "licence_no": "NEW0001",
            "person_in_charge": "钱",
            "phone": "138",
            "fire_safety_person": "孙",
        },
        why=CREATE,
        max_queries=14,
    ),
    RouteCase(
        "renovation:contractor-detail",
        allowed="area_manager",
        denied="technician",
        kwargs=contractor,
        max_queries=14,
    ),
    RouteCase(
        "renovation:contractor-ban",
        allowed="supervisor",
        denied="receptionist",
        method="POST",
        kwargs=contractor,
        data=lambda w, c: {"reason": "违规动火"},
        max_queries=16,
    ),
    RouteCase(
        "renovation:renovation-detail",
        allowed="area_manager",
        denied="technician",
        kwargs=pk(f.applied),
        max_queries=40,
    ),
    RouteCase(
        "renovation:renovation-print",
        allowed="receptionist",
        denied="technician",
        kwargs=doc("application", f.applied),
        max_queries=20,
    ),
    RouteCase(
        "renovation:renovation-plan",
        allowed="receptionist",
        denied="area_manager",
        method="POST",
        kwargs=pk(f.applied),
        data=lambda w, c: {"plan-kind": "layout", "plan-file": f.pdf()},
        max_queries=30,
    ),
    RouteCase(
        "renovation:renovation-worker",
        allowed="receptionist",
        denied="area_manager",
        method="POST",
        kwargs=pk(f.applied),
        data=lambda w, c: {
            "worker-name": "张",
            "worker-id_number": f.ID_OK,
            "worker-photo": f.png(),
        },
        max_queries=30,
    ),
    RouteCase(
        "renovation:renovation-submit",
        allowed="receptionist",
        denied="cashier",
        method="POST",
        kwargs=pk(lambda w, c: f.applied(w, c, kind="minor")),
        max_queries=30,
    ),
    RouteCase(
        "renovation:renovation-csc-opinion",
        allowed="supervisor",
        denied="receptionist",
        method="POST",
        kwargs=pk(f.under_review),
        data=lambda w, c: {"opinion-opinion": "同意"},
        max_queries=30,
    ),
    RouteCase(
        "renovation:renovation-engineering-opinion",
        allowed="engineering_lead",
        denied="receptionist",
        method="POST",
        kwargs=pk(f.under_review),
        data=lambda w, c: {"opinion-opinion": "合格"},
        max_queries=30,
    ),
    RouteCase(
        "renovation:renovation-changes",
        allowed="supervisor",
        denied="receptionist",
        method="POST",
        kwargs=pk(f.under_review),
        data=lambda w, c: {"note-note": "补图"},
        max_queries=30,
    ),
    RouteCase(
        "renovation:renovation-reject",
        allowed="supervisor",
        denied="receptionist",
        method="POST",
        kwargs=pk(f.under_review),
        data=lambda w, c: {"note-note": "不符"},
        max_queries=30,
    ),
    RouteCase(
        "renovation:renovation-approve",
        allowed="supervisor",
        denied="receptionist",
        method="POST",
        kwargs=pk(opinions),
        max_queries=90,
    ),
    RouteCase(
        "renovation:renovation-permit",
        allowed="supervisor",
        denied="receptionist",
        method="POST",
        kwargs=pk(paid_approved),
        max_queries=50,
    ),
    RouteCase(
        "renovation:renovation-start",
        allowed="supervisor",
        denied="receptionist",
        method="POST",
        kwargs=pk(f.permitted),
        max_queries=30,
    ),
    RouteCase(
        "renovation:renovation-inspect",
        allowed="area_manager",
        denied="receptionist",
        method="POST",
        kwargs=pk(f.in_progress),
        data=lambda w, c: {"inspect-outcome": "ok"},
        max_queries=30,
    ),
    RouteCase(
        "renovation:renovation-suspend",
        allowed="security",
        denied="receptionist",
        method="POST",
        kwargs=pk(f.in_progress),
        data=lambda w, c: {"note-note": "动火"},
        max_queries=30,
    ),
    RouteCase(
        "renovation:renovation-resume",
        allowed="area_manager",
        denied="receptionist",
        method="POST",
        kwargs=pk(suspended),
        data=lambda w, c: {"note-note": "已整改"},
        max_queries=30,
    ),
    RouteCase(
        "renovation:renovation-extend",
        allowed="supervisor",
        denied="receptionist",
        method="POST",
        kwargs=pk(extendable),
        data=lambda w, c: {"extend-new_end": _later(), "extend-reason": "延误"},
        max_queries=30,
    ),
    RouteCase(
        "renovation:renovation-complete",
        allowed="receptionist",
        denied="cashier",
        method="POST",
        kwargs=pk(f.in_progress),
        max_queries=30,
    ),
    RouteCase(
        "renovation:renovation-accept",
        allowed="engineering_lead",
        denied="supervisor",
        method="POST",
        kwargs=pk(completion_requested),
        data=lambda w, c: dict.fromkeys((f"accept-check_{n}" for n in f.services.CHECKS), "on"),
        max_queries=40,
    ),
    RouteCase(
        "renovation:renovation-accept-final",
        allowed="engineering_lead",
        denied="supervisor",
        method="POST",
        kwargs=pk(observation),
        max_queries=30,
    ),
    RouteCase(
        "renovation:renovation-refund",
        allowed="supervisor",
        denied="receptionist",
        method="POST",
        kwargs=pk(f.final_accepted),
        data=lambda w, c: {"refund-payee": "王业主", "refund-deductions": "垃圾|200|公共区域"},
        max_queries=40,
    ),
    RouteCase(
        "renovation:renovation-refund-decide",
        allowed="director",
        denied="cashier",
        method="POST",
        kwargs=pk(refund_requested),
        data=lambda w, c: {"decide-decision": "approve"},
        max_queries=40,
    ),
    RouteCase(
        "renovation:renovation-refund-pay",
        allowed="cashier",
        denied="supervisor",
        method="POST",
        kwargs=pk(refund_approved),
        data=lambda w, c: {"pay-reference": "PZ001"},
        max_queries=60,
    ),
    # API
    api(
        "contractor-list",
        "receptionist",
        "technician",
        scoped=False,
        why_unscoped=API_LIST,
        max_queries=12,
    ),
    api("contractor-detail", "receptionist", "technician", kwargs=contractor, max_queries=12),
    api(
        "contractor-ban",
        "supervisor",
        "receptionist",
        method="POST",
        kwargs=contractor,
        data=lambda w, c: {"reason": "违规"},
        max_queries=16,
    ),
    api(
        "renovation-list",
        "receptionist",
        "technician",
        scoped=False,
        why_unscoped=API_LIST,
        max_queries=12,
    ),
    api("renovation-detail", "receptionist", "technician", kwargs=pk(f.applied), max_queries=16),
    api(
        "renovation-plans",
        "receptionist",
        "area_manager",
        method="POST",
        kwargs=pk(f.applied),
        data=lambda w, c: {"kind": "layout"},
        ok=(400,),
        max_queries=16,
    ),
    api(
        "renovation-workers",
        "receptionist",
        "area_manager",
        method="POST",
        kwargs=pk(f.applied),
        data=lambda w, c: {"name": "张", "id_number": f.ID_BAD},
        ok=(400,),
        max_queries=20,
    ),
    api(
        "renovation-submit",
        "receptionist",
        "cashier",
        method="POST",
        kwargs=pk(lambda w, c: f.applied(w, c, kind="minor")),
        max_queries=30,
    ),
    api(
        "renovation-opinion",
        "supervisor",
        "receptionist",
        method="POST",
        kwargs=pk(f.under_review),
        data=lambda w, c: {"opinion": "同意"},
        max_queries=30,
    ),
    api(
        "renovation-changes",
        "supervisor",
        "receptionist",
        method="POST",
        kwargs=pk(f.under_review),
        data=lambda w, c: {"note": "补图"},
        max_queries=30,
    ),
    api(
        "renovation-reject",
        "supervisor",
        "receptionist",
        method="POST",
        kwargs=pk(f.under_review),
        data=lambda w, c: {"note": "不符"},
        max_queries=30,
    ),
    api(
        "renovation-approve",
        "supervisor",
        "receptionist",
        method="POST",
        kwargs=pk(opinions),
        max_queries=90,
    ),
    api(
        "renovation-permit",
        "supervisor",
        "receptionist",
        method="POST",
        kwargs=pk(paid_approved),
        max_queries=50,
    ),
    api(
        "renovation-start",
        "supervisor",
        "receptionist",
        method="POST",
        kwargs=pk(f.permitted),
        max_queries=30,
    ),
    api(
        "renovation-inspect",
        "area_manager",
        "receptionist",
        method="POST",
        kwargs=pk(f.in_progress),
        data=lambda w, c: {"outcome": "nobody"},
        max_queries=30,
    ),
    api(
        "renovation-suspend",
        "security",
        "receptionist",
        method="POST",
        kwargs=pk(f.in_progress),
        data=lambda w, c: {"note": "动火"},
        max_queries=30,
    ),
    api(
        "renovation-resume",
        "area_manager",
        "receptionist",
        method="POST",
        kwargs=pk(suspended),
        data=lambda w, c: {"note": "已整改"},
        max_queries=30,
    ),
    api(
        "renovation-extend",
        "supervisor",
        "receptionist",
        method="POST",
        kwargs=pk(extendable),
        data=lambda w, c: {"new_end": _later(), "reason": "延误"},
        max_queries=30,
    ),
    api(
        "renovation-complete",
        "receptionist",
        "cashier",
        method="POST",
        kwargs=pk(f.in_progress),
        max_queries=30,
    ),
    api(
        "renovation-accept",
        "engineering_lead",
        "supervisor",
        method="POST",
        kwargs=pk(completion_requested),
        data=lambda w, c: {"checks": dict.fromkeys(f.services.CHECKS, True)},
        max_queries=40,
    ),
    api(
        "renovation-accept-final",
        "engineering_lead",
        "supervisor",
        method="POST",
        kwargs=pk(observation),
        max_queries=30,
    ),
    api(
        "renovation-refund",
        "supervisor",
        "receptionist",
        method="POST",
        kwargs=pk(f.final_accepted),
        data=lambda w, c: {
            "payee": "王",
            "deductions": [{"item": "x", "amount": "10", "reason": "y"}],
        },
        max_queries=40,
    ),
    api(
        "renovation-refund-decide",
        "director",
        "cashier",
        method="POST",
        kwargs=pk(refund_requested),
        data=lambda w, c: {"approve": True},
        max_queries=40,
    ),
    api(
        "renovation-refund-pay",
        "cashier",
        "supervisor",
        method="POST",
        kwargs=pk(refund_approved),
        data=lambda w, c: {"reference": "PZ1"},
        max_queries=60,
    ),
]


def _later():
    import datetime as dt

    from django.utils import timezone

    return (timezone.localdate() + dt.timedelta(days=50)).isoformat()

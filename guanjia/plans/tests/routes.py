"""Every plans route and its promises (see guanjia/core/tests/matrix.py)."""

from __future__ import annotations

from django.utils import timezone

from guanjia.core.tests.matrix import RouteCase

from .factories import actor, approved, case, draft, meeting, submitted, summary, this_month

LIST = "a list shows the current community's rows only"
FORM = "a form for the current community"
CHECK = "the daily check of the current community"
API_LIST = "a list holds the caller's communities only"
BODY = "another community in the body is refused as not existing (400, test_api.py)"
Q = 40  # ceilings: the pages build several forms and read the figures of other apps


def unscoped(name, allowed, denied=None, why=LIST, **kw):
    kw.setdefault("max_queries", Q)
    return RouteCase(name, allowed=allowed, denied=denied, scoped=False, why_unscoped=why, **kw)


def page(name, allowed, denied, kwargs, method="GET", data=None, **kw):
    kw.setdefault("max_queries", Q)
    return RouteCase(
        f"plans:{name}",
        allowed=allowed,
        denied=denied,
        method=method,
        kwargs=kwargs,
        data=data,
        **kw,
    )


def api(name, allowed, denied=None, method="GET", **kw):
    kw.setdefault("max_queries", Q)
    return RouteCase(
        f"plans-api:{name}", allowed=allowed, denied=denied, method=method, api=True, **kw
    )


def a_draft(w, c):
    return {"pk": draft(w, c).pk}


def a_submitted(w, c):
    return {"pk": submitted(w, c).pk}


def an_approved(w, c):
    return {"pk": approved(w, c).pk}


def running(w, c):
    from guanjia.plans import services

    plan = approved(w, c)
    services.start_plan(plan=plan, by=actor(w, c, "supervisor"))
    return {"pk": plan.pk}


def summarised(w, c):
    from guanjia.plans import services

    plan = approved(w, c)
    services.start_plan(plan=plan, by=actor(w, c, "supervisor"))
    services.summarise_plan(plan=plan, summary="完成", by=actor(w, c, "supervisor"))
    return {"pk": plan.pk}


def a_running_item(w, c):
    return {"pk": approved(w, c).items.get().pk}


def a_draft_item(w, c):
    return {"pk": draft(w, c).items.get().pk}


def a_meeting(w, c):
    return {"pk": meeting(w, c).pk}


def an_action(w, c):
    from guanjia.plans import services

    m = meeting(w, c)
    owner = actor(w, c, "supervisor")
    item = services.add_action(meeting=m, title="回访", owner=owner, due_on=m.held_on, by=owner)
    return {"pk": item.pk}


def a_case(w, c):
    return {"pk": case(w, c).pk}


def a_summary(w, c):
    return {"pk": summary(w, c).pk}


def a_sent(w, c):
    from guanjia.plans import services

    s = summary(w, c)
    services.send_summary(summary=s, by=actor(w, c, "supervisor"))
    return {"pk": s.pk}


def last_item(c):
    from guanjia.plans.models import PlanItem

    return PlanItem.objects.filter(plan__community=c).latest("pk").pk


def today():
    return timezone.localdate().isoformat()


def owner_of(w, c):
    return actor(w, c, "supervisor").pk


ROUTES = [
    unscoped("plans:plan-list", "receptionist", "engineering_lead"),
    unscoped("plans:plan-create", "supervisor", "director", why=FORM),
    unscoped(
        "plans:plan-create",
        "supervisor",
        "director",
        why=FORM,
        method="POST",
        data=lambda w, c: {
            "kind": "annual",
            "period": f"{this_month():%Y-%m}",
            "title": "年度工作计划",
        },
    ),
    page("plan-detail", "receptionist", "engineering_lead", a_draft),
    page("plan-print", "receptionist", "engineering_lead", a_draft),
    page(
        "plan-edit",
        "supervisor",
        "receptionist",
        a_draft,
        "POST",
        lambda w, c: {"edit-title": "新标题"},
    ),
    page(
        "plan-item-add",
        "supervisor",
        "receptionist",
        a_draft,
        "POST",
        lambda w, c: {
            "item-title": "回访",
            "item-owner": owner_of(w, c),
            "item-due_on": this_month().isoformat(),
        },
    ),
    page("plan-submit", "supervisor", "receptionist", a_draft, "POST", lambda w, c: {}),
    page("plan-approve", "director", "supervisor", a_submitted, "POST", lambda w, c: {}),
    page(
        "plan-return",
        "director",
        "supervisor",
        a_submitted,
        "POST",
        lambda w, c: {"return-comments": "补充"},
    ),
    page("plan-start", "supervisor", "receptionist", an_approved, "POST", lambda w, c: {}),
    page(
        "plan-summarise",
        "supervisor",
        "receptionist",
        running,
        "POST",
        lambda w, c: {"summarise-summary": "完成"},
    ),
    page("plan-archive", "supervisor", "receptionist", summarised, "POST", lambda w, c: {}),
    page(
        "item-progress",
        "supervisor",
        "cashier",
        a_running_item,
        "POST",
        lambda w, c: {"progress-done_pct": "50"},
    ),
    page("item-remove", "supervisor", "receptionist", a_draft_item, "POST", lambda w, c: {}),
    unscoped("plans:meeting-list", "receptionist", "engineering_lead"),
    unscoped("plans:meeting-create", "supervisor", "director", why=FORM),
    unscoped(
        "plans:meeting-create",
        "supervisor",
        "director",
        why=FORM,
        method="POST",
        data=lambda w, c: {"kind": "weekly", "held_on": today(), "topics": "例会"},
    ),
    page("meeting-detail", "receptionist", "engineering_lead", a_meeting),
    page("meeting-print", "receptionist", "engineering_lead", a_meeting),
    page(
        "meeting-minutes",
        "supervisor",
        "receptionist",
        a_meeting,
        "POST",
        lambda w, c: {"minutes-topics": "例会议题"},
    ),
    page(
        "meeting-sign-in",
        "supervisor",
        "receptionist",
        a_meeting,
        "POST",
        lambda w, c: {"signin-person": owner_of(w, c)},
    ),
    page(
        "meeting-action-add",
        "supervisor",
        "receptionist",
        a_meeting,
        "POST",
        lambda w, c: {
            "action-title": "回访",
            "action-owner": owner_of(w, c),
            "action-due_on": today(),
        },
    ),
    unscoped("plans:action-list", "receptionist", "engineering_lead"),
    page(
        "action-close",
        "supervisor",
        "receptionist",
        an_action,
        "POST",
        lambda w, c: {"close-outcome": "已完成"},
    ),
    unscoped("plans:case-list", "receptionist", "engineering_lead"),
    unscoped("plans:case-create", "supervisor", "director", why=FORM),
    page("case-detail", "receptionist", "engineering_lead", a_case),
    page("case-edit", "supervisor", "director", a_case),
    unscoped("plans:summary-list", "director", "engineering_lead"),
    unscoped("plans:summary-create", "supervisor", "director", why=FORM),
    unscoped(
        "plans:summary-create",
        "supervisor",
        "director",
        why=FORM,
        method="POST",
        data=lambda w, c: {"month": f"{this_month():%Y-%m}"},
    ),
    page("summary-detail", "director", "engineering_lead", a_summary),
    page("summary-print", "director", "engineering_lead", a_summary),
    page(
        "summary-edit",
        "supervisor",
        "director",
        a_summary,
        "POST",
        lambda w, c: {"text-highlights": "完成"},
    ),
    page("summary-refresh", "supervisor", "director", a_summary, "POST", lambda w, c: {}),
    page("summary-send", "supervisor", "director", a_summary, "POST", lambda w, c: {}),
    page("summary-read", "director", "supervisor", a_sent, "POST", lambda w, c: {}),
    page(
        "summary-return",
        "director",
        "supervisor",
        a_sent,
        "POST",
        lambda w, c: {"return-note": "补充数据"},
    ),
    unscoped("plans:daily-check", "supervisor", "receptionist", why=CHECK),
    unscoped(
        "plans:daily-check-sign",
        "supervisor",
        "director",
        why=CHECK,
        method="POST",
        data=lambda w, c: {},
    ),
    # The API.
    api("plan-list", "receptionist", "engineering_lead", scoped=False, why_unscoped=API_LIST),
    api(
        "plan-list",
        "supervisor",
        "receptionist",
        method="POST",
        data=lambda w, c: {
            "community": c.pk,
            "kind": "monthly",
            "period": this_month().isoformat(),
            "title": "月度计划",
        },
        scoped=False,
        why_unscoped=BODY,
        ok=(201,),
    ),
    api("plan-detail", "receptionist", "engineering_lead", kwargs=a_draft),
    api(
        "plan-item-add",
        "supervisor",
        "receptionist",
        method="POST",
        kwargs=a_draft,
        data=lambda w, c: {
            "title": "回访",
            "owner": owner_of(w, c),
            "due_on": this_month().isoformat(),
        },
    ),
    api(
        "plan-submit",
        "supervisor",
        "receptionist",
        method="POST",
        kwargs=a_draft,
        data=lambda w, c: {},
    ),
    api(
        "plan-approve",
        "director",
        "supervisor",
        method="POST",
        kwargs=a_submitted,
        data=lambda w, c: {},
    ),
    api(
        "plan-return",
        "director",
        "supervisor",
        method="POST",
        kwargs=a_submitted,
        data=lambda w, c: {"comments": "补充"},
    ),
    api("plan-start", "supervisor", "receptionist", method="POST", kwargs=an_approved),
    api(
        "plan-progress",
        "supervisor",
        "cashier",
        method="POST",
        kwargs=running,
        data=lambda w, c: {"item": last_item(c), "done_pct": 10},
    ),
    api(
        "plan-summarise",
        "supervisor",
        "receptionist",
        method="POST",
        kwargs=running,
        data=lambda w, c: {"summary": "完成"},
    ),
    api("plan-archive", "supervisor", "receptionist", method="POST", kwargs=summarised),
    api("meeting-list", "receptionist", "engineering_lead", scoped=False, why_unscoped=API_LIST),
    api(
        "meeting-list",
        "supervisor",
        "receptionist",
        method="POST",
        data=lambda w, c: {"community": c.pk, "held_on": today(), "topics": "例会"},
        scoped=False,
        why_unscoped=BODY,
        ok=(201,),
    ),
    api("meeting-detail", "receptionist", "engineering_lead", kwargs=a_meeting),
    api(
        "meeting-sign-in",
        "supervisor",
        "receptionist",
        method="POST",
        kwargs=a_meeting,
        data=lambda w, c: {"person": owner_of(w, c)},
    ),
    api(
        "meeting-action-add",
        "supervisor",
        "receptionist",
        method="POST",
        kwargs=a_meeting,
        data=lambda w, c: {"title": "回访", "owner": owner_of(w, c), "due_on": today()},
    ),
    api("action-list", "receptionist", "engineering_lead", scoped=False, why_unscoped=API_LIST),
    api(
        "action-close",
        "supervisor",
        "receptionist",
        method="POST",
        kwargs=an_action,
        data=lambda w, c: {"outcome": "已完成"},
    ),
    api("case-list", "receptionist", "engineering_lead", scoped=False, why_unscoped=API_LIST),
    api(
        "case-list",
        "supervisor",
        "receptionist",
        method="POST",
        data=lambda w, c: {
            "community": c.pk,
            "title": "个案",
            "tickets": [],
            "facts": "事实",
            "cause": "原因",
            "lesson": "教训",
        },
        scoped=False,
        why_unscoped=BODY,
        ok=(201,),
    ),
    api("case-detail", "receptionist", "engineering_lead", kwargs=a_case),
    api(
        "case-detail",
        "supervisor",
        "receptionist",
        method="PATCH",
        kwargs=a_case,
        data=lambda w, c: {"used_in_training": True},
    ),
]

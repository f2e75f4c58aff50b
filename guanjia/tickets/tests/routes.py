"""Every tickets route and its promises (see guanjia/core/tests/matrix.py)."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from guanjia.core.tests.matrix import RouteCase
from guanjia.estates.tests.factories import UnitFactory
from guanjia.tickets.models import SavedView

from .factories import PNG, actor, complaint, entry, repair

LIST = "a list shows the current community's rows only"
NEW = "a new contact is registered in the current community"


def unscoped(name, allowed, denied=None, why=LIST, **kw):
    return RouteCase(name, allowed=allowed, denied=denied, scoped=False, why_unscoped=why, **kw)


def pk_of(builder):
    return lambda w, community: {"pk": builder(w, community).pk}


def in_state(kind, state):
    if kind == "complaint":
        return pk_of(lambda w, community: complaint(w, community, state))
    return pk_of(lambda w, community: repair(w, community, state))


def saved_view(w, community):
    return {
        "pk": SavedView.objects.create(
            user=w.user("receptionist"),
            list_name="requests",
            name="mine",
            querystring="status=open",
        ).pk
    }


def _future(days=3):
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


def _owner(w, community):
    return {
        "kind": "corrective",
        "description": "培训",
        "owner": actor(w, community, "supervisor").pk,
        "due_on": _future(),
    }


COMPLAINT_CASES = [
    (
        "classify",
        "registered",
        lambda w, community: {
            "validity": "valid",
            "severity": "minor",
            "category": "service",
            "department": "customer_service",
        },
    ),
    ("progress", "handling", lambda w, community: {"note": "已联系", "told_requester": "on"}),
    ("promise", "handling", lambda w, community: {"promise_date": _future()}),
    ("resolve", "handling", lambda w, community: {"result": "已处理"}),
    ("reply", "resolved", lambda w, community: {"reply": "已处理", "reply_method": "phone"}),
    ("close", "visited", lambda w, community: {}),
    ("reopen", "replied", lambda w, community: {"note": "不满意"}),
    ("action", "handling", _owner),
]

# Query ceilings of each step, (page, API): measured plus a margin (route_queries.py).
STEP_QUERIES = {
    "classify": (20, 22),
    "progress": (17, 19),
    "promise": (17, 19),
    "resolve": (17, 19),
    "reply": (17, 19),
    "close": (25, 27),
    "reopen": (17, 19),
    "action": (22, 24),
    "dispatch": (29, 31),
    "accept": (17, 19),
    "arrive": (17, 19),
    "quote": (18, 20),
    "parts": (18, 20),
    "no-access": (18, 20),
    "complete": (17, 19),
    "verify": (25, 27),
    "rework": (24, 26),
    "cancel": (25, 27),
}

REPAIR_CASES = [
    (
        "dispatch",
        "registered",
        "engineering_lead",
        "technician",
        lambda w, community: {"technician": actor(w, community, "technician").pk},
    ),
    ("accept", "dispatched", "technician", "receptionist", lambda w, community: {}),
    ("arrive", "accepted", "technician", "receptionist", lambda w, community: {}),
    ("quote", "on_site", "technician", "receptionist", lambda w, community: {"amount": "50.00"}),
    (
        "parts",
        "on_site",
        "technician",
        "receptionist",
        lambda w, community: {"promised_on": _future()},
    ),
    (
        "no-access",
        "accepted",
        "technician",
        "receptionist",
        lambda w, community: {"note": "无人在家"},
    ),
    (
        "complete",
        "on_site",
        "technician",
        "receptionist",
        lambda w, community: {"fault": "漏水", "work_done": "更换"},
    ),
    (
        "verify",
        "completed",
        "technician",
        "area_manager",
        lambda w, community: {"satisfied": "yes", "signature": PNG},
    ),
    ("rework", "verified", "receptionist", "technician", lambda w, community: {"note": "又坏了"}),
    (
        "cancel",
        "registered",
        "engineering_lead",
        "receptionist",
        lambda w, community: {"note": "重复"},
    ),
]


def _quoted(w, community):
    order = repair(w, community, "on_site")
    from guanjia.tickets import services

    return services.quote_repair(order=order, amount=Decimal("20.00"), by=order.technician)


def _job_with_phone(w, community):
    """A dispatched job whose requester left a phone (the technician's call link)."""
    from guanjia.tickets import services

    details = services.RepairDetails(location="home", category="plumbing", urgency="ordinary")
    order = services.open_repair(
        entry=entry(w, community, "repair", requester_phone="13900001111"),
        details=details,
        by=actor(w, community, "receptionist"),
    )
    return services.dispatch_repair(
        order=order,
        technician=actor(w, community, "technician"),
        by=actor(w, community, "engineering_lead"),
    )


def _waiting(w, community):
    order = repair(w, community, "on_site")
    from guanjia.tickets import services

    return services.wait_for_parts(
        order=order, promised_on=timezone.localdate(), by=order.technician
    )


ROUTES = [
    unscoped("tickets:request-list", "receptionist", "hr", max_queries=13),
    unscoped("tickets:request-create", "receptionist", "technician", why=NEW, max_queries=11),
    RouteCase(
        "tickets:request-create",
        allowed="receptionist",
        denied="technician",
        method="POST",
        scoped=False,
        why_unscoped=NEW,
        data=lambda w, community: {
            "kind": "suggestion",
            "channel": "phone",
            "content": "加装路灯",
            "requester_name": "赵六",
        },
        max_queries=26,
    ),
    unscoped("tickets:requester-search", "receptionist", "technician", query="q=1", max_queries=10),
    RouteCase(
        "tickets:requester-residents",
        allowed="receptionist",
        denied="technician",
        data=lambda w, community: {"unit": UnitFactory(community=community).pk},
        max_queries=14,
    ),
    RouteCase(
        "tickets:request-detail",
        allowed="receptionist",
        denied="hr",
        kwargs=pk_of(lambda w, community: entry(w, community, "suggestion")),
        max_queries=19,
    ),
    RouteCase(
        "tickets:request-answer",
        allowed="receptionist",
        denied="technician",
        method="POST",
        kwargs=pk_of(lambda w, community: entry(w, community, "suggestion")),
        data=lambda w, community: {"answer": "谢谢建议"},
        max_queries=19,
    ),
    unscoped("tickets:complaint-list", "supervisor", "technician", max_queries=15),
    unscoped("tickets:request-export", "receptionist", "hr", max_queries=12),
    unscoped("tickets:request-print", "receptionist", "hr", max_queries=13),
    RouteCase(
        "tickets:complaint-print",
        allowed="supervisor",
        denied="technician",
        kwargs=in_state("complaint", "replied"),
        max_queries=17,
    ),
    unscoped("tickets:complaint-export", "supervisor", "technician", max_queries=12),
    unscoped("tickets:repair-export", "engineering_lead", "hr", max_queries=12),
    RouteCase(
        "tickets:complaint-detail",
        allowed="receptionist",
        denied="technician",
        kwargs=in_state("complaint", "registered"),
        max_queries=16,
    ),
    unscoped("tickets:repair-list", "engineering_lead", "hr", max_queries=15),
    unscoped("tickets:my-jobs", "technician", "receptionist", max_queries=12),
    RouteCase(
        "tickets:repair-detail",
        allowed="technician",
        denied="hr",
        kwargs=in_state("repair", "registered"),
        max_queries=16,
    ),
    RouteCase(
        "tickets:repair-contact",
        allowed="technician",
        denied="hr",
        method="POST",
        kwargs=pk_of(_job_with_phone),
        max_queries=19,
    ),
    RouteCase(
        "tickets:repair-print",
        allowed="engineering_lead",
        denied="hr",
        kwargs=in_state("repair", "completed"),
        max_queries=15,
    ),
    unscoped("tickets:dashboard", "supervisor", "receptionist", max_queries=19),
    RouteCase(
        "tickets:savedview-create",
        allowed="receptionist",
        denied="hr",
        method="POST",
        scoped=False,
        why_unscoped="a saved view belongs to its user",
        data=lambda w, community: {
            "name": "逾期",
            "querystring": "overdue=true",
            "list_name": "complaints",
        },
        max_queries=16,
    ),
    RouteCase(
        "tickets:savedview-delete",
        allowed="receptionist",
        method="POST",
        scoped=False,
        why_unscoped="a saved view belongs to its user",
        kwargs=saved_view,
        max_queries=12,
    ),
    RouteCase(
        "tickets:repair-decide-quote",
        allowed="technician",
        denied="area_manager",
        method="POST",
        kwargs=pk_of(_quoted),
        data=lambda w, community: {"accepted": "yes"},
        max_queries=23,
    ),
    RouteCase(
        "tickets:repair-resume",
        allowed="technician",
        denied="receptionist",
        method="POST",
        kwargs=pk_of(_waiting),
        max_queries=23,
    ),
    RouteCase(
        "tickets:repair-photo",
        allowed="technician",
        denied="receptionist",
        method="POST",
        kwargs=in_state("repair", "on_site"),
        data=lambda w, community: {"kind": "before"},
        ok=(302, 400),
        max_queries=21,
    ),
]
ROUTES += [
    RouteCase(
        f"tickets:complaint-{name}",
        allowed="supervisor",
        denied="receptionist",
        method="POST",
        kwargs=in_state("complaint", state),
        data=data,
        max_queries=STEP_QUERIES[name][0],
    )
    for name, state, data in COMPLAINT_CASES
]
ROUTES += [
    RouteCase(
        f"tickets:repair-{name}",
        allowed=allowed,
        denied=denied,
        method="POST",
        kwargs=in_state("repair", state),
        data=data,
        max_queries=STEP_QUERIES[name][0],
    )
    for name, state, allowed, denied, data in REPAIR_CASES
]
ROUTES += [
    unscoped(
        "tickets:kpis",
        "supervisor",
        "receptionist",
        why="a report of the current community",
        max_queries=19,
    ),
    unscoped(
        "tickets:kpis-export",
        "director",
        "technician",
        why="a report of the current community",
        max_queries=17,
    ),
]


def api(name, allowed, denied=None, method="GET", **kw):
    return RouteCase(
        f"tickets-api:{name}", allowed=allowed, denied=denied, method=method, api=True, **kw
    )


API_LIST = "a list holds the caller's communities only"
BODY = "the body names the community; one the caller cannot use is refused with 400"
ROUTES += [
    api("request-list", "receptionist", "hr", scoped=False, why_unscoped=API_LIST, max_queries=11),
    api(
        "request-list",
        "receptionist",
        "technician",
        method="POST",
        data=lambda w, community: {
            "community": community.pk,
            "channel": "phone",
            "kind": "suggestion",
            "content": "建议增加垃圾桶",
            "requester_name": "钱七",
        },
        ok=(201,),
        scoped=False,
        why_unscoped=BODY,
        max_queries=26,
    ),
    api(
        "request-detail",
        "receptionist",
        "hr",
        kwargs=pk_of(lambda w, community: entry(w, community)),
        max_queries=13,
    ),
    api(
        "complaint-list",
        "supervisor",
        "technician",
        scoped=False,
        why_unscoped=API_LIST,
        max_queries=11,
    ),
    api(
        "complaint-detail",
        "supervisor",
        "technician",
        kwargs=in_state("complaint", "registered"),
        max_queries=13,
    ),
    api("repair-list", "technician", "hr", scoped=False, why_unscoped=API_LIST, max_queries=11),
    api(
        "repair-detail", "technician", "hr", kwargs=in_state("repair", "registered"), max_queries=13
    ),
]
ROUTES += [
    api(
        f"complaint-{name}",
        "supervisor",
        "receptionist",
        method="POST",
        kwargs=in_state("complaint", state),
        data=data,
        max_queries=STEP_QUERIES[name][1],
    )
    for name, state, data in COMPLAINT_CASES
]
ROUTES += [
    api(
        f"repair-{name}",
        allowed,
        denied,
        method="POST",
        kwargs=in_state("repair", state),
        data=data,
        max_queries=STEP_QUERIES[name][1],
    )
    for name, state, allowed, denied, data in REPAIR_CASES
]
ROUTES += [
    api(
        "repair-decide-quote",
        "technician",
        "area_manager",
        method="POST",
        kwargs=pk_of(_quoted),
        data=lambda w, community: {"accepted": "yes"},
        max_queries=25,
    ),
    api(
        "repair-resume",
        "technician",
        "receptionist",
        method="POST",
        kwargs=pk_of(_waiting),
        max_queries=25,
    ),
]


def _letter(w, community, status=""):
    from guanjia.tickets import services

    register_entry = entry(w, community, "suggestion", channel="letter", subject="关于绿化的建议")
    if status in ("drafted", "checked"):
        register_entry = services.draft_letter_reply(
            entry=register_entry, text="感谢来函", by=actor(w, community, "receptionist")
        )
    if status == "checked":
        register_entry = services.check_letter_reply(
            entry=register_entry, by=actor(w, community, "supervisor")
        )
    return register_entry


ROUTES += [
    RouteCase(
        "tickets:letter-draft",
        allowed="receptionist",
        denied="technician",
        method="POST",
        kwargs=pk_of(_letter),
        data=lambda w, community: {"text": "感谢您的来函"},
        max_queries=19,
    ),
    RouteCase(
        "tickets:letter-check",
        allowed="supervisor",
        denied="receptionist",
        method="POST",
        kwargs=pk_of(lambda w, community: _letter(w, community, "drafted")),
        max_queries=20,
    ),
    RouteCase(
        "tickets:letter-approve",
        allowed="director",
        denied="supervisor",
        method="POST",
        kwargs=pk_of(lambda w, community: _letter(w, community, "checked")),
        max_queries=19,
    ),
    RouteCase(
        "tickets:attachment-add",
        allowed="receptionist",
        denied="technician",
        method="POST",
        kwargs=pk_of(_letter),
        data=lambda w, community: {},
        ok=(400,),
        max_queries=23,
    ),
]


def _action(w, community, done=False):
    """An action owned by the director: the supervisor (allowed role) records and verifies."""
    from guanjia.tickets import services

    cp = complaint(w, community, "handling")
    director = actor(w, community, "director")
    action = services.add_complaint_action(
        complaint=cp,
        kind="preventive",
        description="增加巡查",
        owner=director,
        due_on=timezone.localdate(),
        by=director,
    )
    if done:
        action = services.complete_complaint_action(action=action, note="已落实", by=director)
    return {"pk": cp.pk, "action_pk": action.pk}


ROUTES += [
    RouteCase(
        "tickets:complaint-action-done",
        allowed="supervisor",
        denied="receptionist",
        method="POST",
        kwargs=_action,
        data=lambda w, community: {"note": "已落实"},
        max_queries=18,
    ),
    RouteCase(
        "tickets:complaint-action-verified",
        allowed="supervisor",
        denied="receptionist",
        method="POST",
        kwargs=lambda w, community: _action(w, community, done=True),
        data=lambda w, community: {"note": "抽查合格"},
        max_queries=18,
    ),
]
ROUTES += [
    api(
        "complaint-action-done",
        "supervisor",
        "receptionist",
        method="POST",
        kwargs=_action,
        data=lambda w, community: {"note": "已落实"},
        max_queries=18,
    ),
    api(
        "complaint-action-verified",
        "supervisor",
        "receptionist",
        method="POST",
        kwargs=lambda w, community: _action(w, community, done=True),
        data=lambda w, community: {"note": "抽查合格"},
        max_queries=18,
    ),
    # The matrix posts JSON: without the picture the body is refused (the upload is tested in
    # test_api_uploads.py).
    api(
        "repair-photo",
        "technician",
        "receptionist",
        method="POST",
        kwargs=in_state("repair", "on_site"),
        data=lambda w, community: {"kind": "before"},
        ok=(400,),
        max_queries=12,
    ),
]
ROUTES += [
    api(
        "request-answer",
        "receptionist",
        "technician",
        method="POST",
        kwargs=pk_of(lambda w, community: entry(w, community, "suggestion")),
        data=lambda w, community: {"answer": "谢谢建议"},
        max_queries=21,
    ),
    api(
        "letter-draft",
        "receptionist",
        "technician",
        method="POST",
        kwargs=pk_of(_letter),
        data=lambda w, community: {"text": "感谢您的来函"},
        max_queries=21,
    ),
    api(
        "letter-check",
        "supervisor",
        "receptionist",
        method="POST",
        kwargs=pk_of(lambda w, community: _letter(w, community, "drafted")),
        max_queries=22,
    ),
    api(
        "letter-approve",
        "director",
        "supervisor",
        method="POST",
        kwargs=pk_of(lambda w, community: _letter(w, community, "checked")),
        max_queries=21,
    ),
    # JSON cannot carry the file: refused (the upload is tested in test_api_uploads.py).
    api(
        "attachment-add",
        "receptionist",
        "technician",
        method="POST",
        kwargs=pk_of(_letter),
        data=lambda w, community: {},
        ok=(400,),
        max_queries=12,
    ),
]

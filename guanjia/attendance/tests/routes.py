"""Every attendance route and its promises (see guanjia/core/tests/matrix.py)."""

import datetime as dt

from django.utils import timezone

from guanjia.accounts.tests.factories import staff
from guanjia.attendance import services
from guanjia.core.tests.matrix import RouteCase
from guanjia.desk.tests.factories import post_and_shift

from .factories import MONTH

LIST = "a list shows the current community's rows only"
PAGE = "the page shows the community the user works in now"
NEW = "a new row is created in the current community"
CHOICE = (
    "the form's choices are the current community's rows: another community's is not a "
    "choice (400, nothing saved)"
)
BODY = "the body names the community; one the caller cannot see is refused with 400"
TOMORROW = timezone.localdate() + dt.timedelta(days=1)
NEXT_MONTH = (timezone.localdate().replace(day=1) + dt.timedelta(days=40)).replace(day=3)


def unscoped(name, allowed, denied, why=LIST, **kw):
    return RouteCase(name, allowed=allowed, denied=denied, scoped=False, why_unscoped=why, **kw)


def pk(builder):
    return lambda w, c: {"pk": builder(w, c).pk}


def _person(w, c, name="wk"):
    return staff("receptionist", c, username=f"{name}-{c.code}", staff_no=f"{name}{c.code}")


def _supervisor(w, c):
    return w.user("supervisor") if c == w.a else staff("supervisor", c)


def _entry(w, c, person, day=TOMORROW):
    post, shift = post_and_shift(w, c)
    (entry,) = services.plan_roster(
        post=post, shift=shift, employee=person, first=day, last=day, by=_supervisor(w, c)
    )
    return entry


def _swap(w, c):
    me, other = _person(w, c, "me"), _person(w, c, "ot")
    _entry(w, c, other, TOMORROW + dt.timedelta(days=1))
    return services.request_swap(
        entry=_entry(w, c, me), kind="cover", substitute=other, explanation="有事", by=me
    )


def _leave(w, c):
    return services.request_leave(
        community=c,
        kind="personal",
        starts_on=NEXT_MONTH,
        ends_on=NEXT_MONTH,
        explanation="有事",
        by=_person(w, c, "lv"),
    )


def _missing(w, c):
    return services.request_missing_punch(
        community=c,
        at=timezone.now() - dt.timedelta(hours=1),
        explanation="忘记",
        by=_person(w, c, "ms"),
    )


def _employee(w, c):
    return _person(w, c, "em")


def _plan_body(w, c):
    post, shift = post_and_shift(w, c)
    return {
        "post": post.pk,
        "shift": shift.pk,
        "employee": _person(w, c, "pl").pk,
        "first": f"{NEXT_MONTH}",
        "last": f"{NEXT_MONTH}",
    }


def _swap_body(w, c):
    me, other = w.user("receptionist"), _person(w, c, "sb")
    _entry(w, c, other, TOMORROW + dt.timedelta(days=1))
    entry = _entry(w, c, me)
    return {"entry": entry.pk, "kind": "cover", "substitute": other.pk, "explanation": "有事"}


def _leave_body(w, c):
    return {
        "kind": "personal",
        "starts_on": f"{NEXT_MONTH}",
        "ends_on": f"{NEXT_MONTH}",
        "explanation": "有事",
    }


def _missing_body(w, c):
    moment = timezone.localtime() - dt.timedelta(hours=1)
    return {"at": moment.strftime("%Y-%m-%dT%H:%M"), "explanation": "忘记"}


def _punch_file(w, c):
    from django.core.files.uploadedfile import SimpleUploadedFile

    _person(w, c, "pf")
    day = MONTH.replace(day=2)
    text = f"工号,打卡时间\npf{c.code},{day} 08:00\n"
    return {"file": SimpleUploadedFile("p.csv", text.encode(), content_type="text/csv")}


def _month(w, c):
    return {"month": f"{MONTH:%Y-%m}"}


def _reopen(w, c):
    # HR works company-wide: whichever community is its current one has a submitted month.
    for community in (w.a, w.b):
        services.submit_sheet(community=community, month=MONTH, by=_supervisor(w, community))
    return {"month": f"{MONTH:%Y-%m}", "note": "补卡"}


DECIDE = {"go": "approve"}

ROUTES = [
    unscoped("attendance:mine", "receptionist", "finance", why=PAGE),
    unscoped("attendance:punch", "receptionist", "finance", why=NEW, method="POST", max_queries=30),
    RouteCase(
        "attendance:employee", "supervisor", "receptionist", kwargs=pk(_employee), max_queries=24
    ),
    unscoped("attendance:roster", "receptionist", "finance", why=PAGE),
    unscoped("attendance:roster-print", "receptionist", "finance", why=PAGE),
    unscoped("attendance:roster-plan", "supervisor", "receptionist", why=NEW),
    RouteCase(
        "attendance:roster-plan",
        "supervisor",
        "receptionist",
        method="POST",
        data=_plan_body,
        scoped=False,
        why_unscoped=CHOICE,
        max_queries=40,
    ),
    unscoped("attendance:swap-list", "receptionist", "finance"),
    unscoped("attendance:swap-create", "receptionist", "finance", why=NEW),
    RouteCase(
        "attendance:swap-create",
        "receptionist",
        "finance",
        method="POST",
        data=_swap_body,
        scoped=False,
        why_unscoped=CHOICE,
        max_queries=60,
    ),
    RouteCase("attendance:swap-detail", "supervisor", "finance", kwargs=pk(_swap)),
    RouteCase(
        "attendance:swap-decide",
        "supervisor",
        "receptionist",
        method="POST",
        kwargs=pk(_swap),
        data=lambda w, c: DECIDE,
        max_queries=40,
    ),
    unscoped("attendance:leave-list", "receptionist", "finance"),
    unscoped("attendance:leave-create", "receptionist", "finance", why=NEW),
    RouteCase(
        "attendance:leave-create",
        "receptionist",
        "finance",
        method="POST",
        data=_leave_body,
        scoped=False,
        why_unscoped=NEW,
        max_queries=40,
    ),
    RouteCase("attendance:leave-detail", "supervisor", "finance", kwargs=pk(_leave)),
    RouteCase(
        "attendance:leave-decide",
        "supervisor",
        "receptionist",
        method="POST",
        kwargs=pk(_leave),
        data=lambda w, c: DECIDE,
        max_queries=40,
    ),
    unscoped("attendance:missing-list", "receptionist", "finance"),
    unscoped("attendance:missing-create", "receptionist", "finance", why=NEW),
    RouteCase(
        "attendance:missing-create",
        "receptionist",
        "finance",
        method="POST",
        data=_missing_body,
        scoped=False,
        why_unscoped=NEW,
        max_queries=40,
    ),
    RouteCase("attendance:missing-detail", "supervisor", "finance", kwargs=pk(_missing)),
    RouteCase(
        "attendance:missing-decide",
        "supervisor",
        "receptionist",
        method="POST",
        kwargs=pk(_missing),
        data=lambda w, c: DECIDE,
        max_queries=40,
    ),
    unscoped("attendance:punch-import", "supervisor", "receptionist", why=PAGE),
    RouteCase(
        "attendance:punch-import",
        "supervisor",
        "receptionist",
        method="POST",
        data=_punch_file,
        scoped=False,
        why_unscoped=NEW,
        max_queries=40,
    ),
    unscoped("attendance:punch-columns", "supervisor", "receptionist", why=PAGE),
    RouteCase(
        "attendance:punch-columns",
        "supervisor",
        "receptionist",
        method="POST",
        data=lambda w, c: {"staff_no": "考勤号", "punched_at": "时间"},
        scoped=False,
        why_unscoped=NEW,
    ),
    unscoped("attendance:day-list", "supervisor", "finance"),
    unscoped(
        "attendance:recompute",
        "supervisor",
        "receptionist",
        why=PAGE,
        method="POST",
        data=_month,
        max_queries=30,
    ),
    unscoped("attendance:sheet", "supervisor", "receptionist", why=PAGE, max_queries=24),
    unscoped(
        "attendance:sheet-submit",
        "supervisor",
        "receptionist",
        why=PAGE,
        method="POST",
        data=_month,
        max_queries=40,
    ),
    unscoped(
        "attendance:sheet-reopen",
        "hr",
        "supervisor",
        why=PAGE,
        method="POST",
        data=_reopen,
        max_queries=30,
    ),
    unscoped("attendance:sheet-export", "supervisor", "receptionist", why=PAGE, max_queries=24),
    unscoped("attendance:kpis", "supervisor", "receptionist", why=PAGE),
]

# --- API ------------------------------------------------------------------------------------


def api(name, allowed, denied, method="GET", **kw):
    if method == "POST":
        kw.setdefault("ok", (200, 201))
    return RouteCase(
        f"attendance-api:{name}", allowed=allowed, denied=denied, method=method, api=True, **kw
    )


def _with_community(builder):
    return lambda w, c: {"community": c.pk, **builder(w, c)}


def _api_missing_body(w, c):
    return {
        "community": c.pk,
        "at": (timezone.now() - dt.timedelta(hours=1)).isoformat(),
        "explanation": "忘记",
    }


ROUTES += [
    api("roster-list", "receptionist", "finance", scoped=False, why_unscoped=LIST),
    api(
        "roster-plan",
        "supervisor",
        "receptionist",
        method="POST",
        data=_plan_body,
        scoped=False,
        why_unscoped=BODY,
        max_queries=40,
    ),
    api("swap-list", "receptionist", "finance", scoped=False, why_unscoped=LIST),
    api(
        "swap-list",
        "receptionist",
        "finance",
        method="POST",
        data=_swap_body,
        scoped=False,
        why_unscoped=BODY,
        max_queries=60,
    ),
    api("swap-detail", "supervisor", "finance", kwargs=pk(_swap)),
    api(
        "swap-decide",
        "supervisor",
        "receptionist",
        method="POST",
        kwargs=pk(_swap),
        data=lambda w, c: {"approve": True},
        max_queries=40,
    ),
    api("leave-list", "receptionist", "finance", scoped=False, why_unscoped=LIST),
    api(
        "leave-list",
        "receptionist",
        "finance",
        method="POST",
        data=_with_community(_leave_body),
        scoped=False,
        why_unscoped=BODY,
        max_queries=40,
    ),
    api("leave-detail", "supervisor", "finance", kwargs=pk(_leave)),
    api(
        "leave-decide",
        "supervisor",
        "receptionist",
        method="POST",
        kwargs=pk(_leave),
        data=lambda w, c: {"approve": True},
        max_queries=40,
    ),
    api("missing-list", "receptionist", "finance", scoped=False, why_unscoped=LIST),
    api(
        "missing-list",
        "receptionist",
        "finance",
        method="POST",
        data=_api_missing_body,
        scoped=False,
        why_unscoped=BODY,
        max_queries=40,
    ),
    api(
        "missing-decide",
        "supervisor",
        "receptionist",
        method="POST",
        kwargs=pk(_missing),
        data=lambda w, c: {"approve": True},
        max_queries=40,
    ),
    api(
        "punch",
        "receptionist",
        "finance",
        method="POST",
        data=lambda w, c: {"community": w.a.pk},
        scoped=False,
        why_unscoped=BODY,
        max_queries=30,
    ),
    api("day-list", "supervisor", "finance", scoped=False, why_unscoped=LIST),
    api(
        "findings",
        "supervisor",
        "receptionist",
        data=_with_community(_month),
        scoped=False,
        why_unscoped=BODY,
    ),
    api(
        "sheet-submit",
        "supervisor",
        "receptionist",
        method="POST",
        data=_with_community(_month),
        scoped=False,
        why_unscoped=BODY,
        max_queries=40,
    ),
]

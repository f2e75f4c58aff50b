"""Every front-desk route and its promises (see guanjia/core/tests/matrix.py)."""

import datetime as dt

from django.utils import timezone

from guanjia.accounts.tests.factories import staff
from guanjia.core.tests.matrix import RouteCase
from guanjia.desk import services
from guanjia.desk.models import KeyHolding, PostKind

from .factories import SIGN, handover, household_unit, key, loan, parcel

LIST = "a list shows the current community's rows only"
NEW = "a new row is created in the current community"
CHOICE = (
    "the form's choices are the current community's rows: another community's is not a "
    "choice (400, nothing saved)"
)
BODY = "the body names the community; one the caller cannot see is refused with 400"
CONSOLE = "the console shows the community the user works in now"


def unscoped(name, allowed, denied, why=LIST, **kw):
    return RouteCase(name, allowed=allowed, denied=denied, scoped=False, why_unscoped=why, **kw)


def pk(builder):
    return lambda w, c: {"pk": builder(w, c).pk}


def _key(w, c):
    return key(w, c)


def _loan(w, c):
    return loan(w, key(w, c))


def _parcel(w, c):
    return parcel(w, c)


def _handover(w, c):
    return handover(w, c)


def _offered(w, c):
    """Offered to community A's receptionist (the allowed role checks it)."""
    outgoing = staff("receptionist", c, username=f"out-{c.code}")
    incoming = w.user("receptionist") if c == w.a else None
    h = handover(w, c, outgoing=outgoing, incoming=incoming)
    return services.offer_handover(handover=h, signature=SIGN, by=outgoing)


def _accepted(w, c):
    h = _handover(w, c)
    h = services.offer_handover(handover=h, signature=SIGN, by=h.outgoing)
    findings = {i.pk: ("ok", "") for i in h.items.all()}
    return services.accept_handover(handover=h, findings=findings, signature=SIGN, by=h.incoming)


def _collect_body(w, c):
    return {"signature": SIGN}


# The object a case's kwargs built, for its body (prepare() builds the kwargs, then the body).
_built: dict = {}


def _held_parcel(w, c):
    unit, owner = household_unit(c)
    _built["owner"] = owner
    return parcel(w, c, unit=unit)


def _offered_for_check(w, c):
    h = _offered(w, c)
    _built["findings"] = [i.pk for i in h.items.all()]
    return h


def _check_page_body(w, c):
    body = {"go": "accept", "signature": SIGN}
    body.update({f"finding_{pk}": "ok" for pk in _built["findings"]})
    return body


def _accept_api_body(w, c):
    return {"items": [{"id": pk, "finding": "ok"} for pk in _built["findings"]], "signature": SIGN}


def key_body(w, c):
    from guanjia.estates.tests.factories import UnitFactory

    return {
        "unit": UnitFactory(community=c).pk,
        "kind": "door",
        "holding": KeyHolding.OFFICE,
        "count": 1,
        "cabinet_slot": "Z-99",
    }


def parcel_body(w, c):
    return {
        "unit": household_unit(c)[0].pk,
        "addressee": "王五",
        "kind": "parcel",
        "carrier": "顺丰",
    }


def handover_body(w, c):
    p = services.add_post(
        community=c, name="前台", kind=PostKind.FRONT_DESK, by=staff("supervisor", c)
    )
    s = services.add_shift(
        post=p, name="白班", starts=dt.time(8), ends=dt.time(20), by=staff("supervisor", c)
    )
    return {
        "post": p.pk,
        "shift": s.pk,
        "incoming": staff("receptionist", c, username=f"in-{c.code}").pk,
    }


ROUTES = [
    unscoped("desk:console", "receptionist", "technician", why=CONSOLE, max_queries=20),
    unscoped("desk:key-list", "receptionist", "technician", max_queries=16),
    unscoped("desk:key-create", "receptionist", "technician", why=NEW, max_queries=16),
    RouteCase(
        "desk:key-create",
        "receptionist",
        "technician",
        method="POST",
        data=key_body,
        scoped=False,
        why_unscoped=CHOICE,
        max_queries=24,
    ),
    RouteCase("desk:key-detail", "receptionist", "technician", kwargs=pk(_key), max_queries=20),
    RouteCase(
        "desk:key-add-collector",
        "receptionist",
        "technician",
        method="POST",
        kwargs=pk(_key),
        data=lambda w, c: {"name": "李四"},
        max_queries=16,
    ),
    RouteCase(
        "desk:key-lend",
        "receptionist",
        "technician",
        method="POST",
        kwargs=pk(_key),
        data=lambda w, c: {
            "staff": w.user("receptionist").pk,
            "purpose": "看房",
            "signature": SIGN,
        },
        max_queries=30,
    ),
    unscoped("desk:loan-list", "supervisor", "technician", max_queries=16),
    RouteCase(
        "desk:loan-return",
        "receptionist",
        "technician",
        method="POST",
        kwargs=pk(_loan),
        data=_collect_body,
        max_queries=20,
    ),
    RouteCase(
        "desk:loan-overnight",
        "supervisor",
        "receptionist",
        method="POST",
        kwargs=pk(_loan),
        data=lambda w, c: {
            "until": (timezone.localtime() + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
        },
        max_queries=20,
    ),
    unscoped("desk:parcel-list", "receptionist", "technician", max_queries=16),
    unscoped("desk:parcel-overdue", "receptionist", "technician", max_queries=16),
    unscoped("desk:parcel-create", "receptionist", "technician", why=NEW, max_queries=16),
    RouteCase(
        "desk:parcel-create",
        "receptionist",
        "technician",
        method="POST",
        data=parcel_body,
        scoped=False,
        why_unscoped=CHOICE,
        max_queries=30,
    ),
    RouteCase(
        "desk:parcel-detail", "receptionist", "technician", kwargs=pk(_parcel), max_queries=20
    ),
    RouteCase(
        "desk:parcel-collect",
        "receptionist",
        "technician",
        method="POST",
        kwargs=pk(_held_parcel),
        data=lambda w, c: {"collected_by": _built["owner"].pk, "signature": SIGN},
        max_queries=30,
    ),
    RouteCase(
        "desk:parcel-return",
        "receptionist",
        "technician",
        method="POST",
        kwargs=pk(_parcel),
        data=lambda w, c: {"return_note": "退回"},
        max_queries=20,
    ),
    unscoped("desk:post-list", "supervisor", "technician", max_queries=16),
    unscoped("desk:post-create", "supervisor", "receptionist", why=NEW, max_queries=16),
    RouteCase(
        "desk:post-create",
        "supervisor",
        "receptionist",
        method="POST",
        data=lambda w, c: {"name": "监控中心", "kind": "control_room"},
        why_unscoped=NEW,
        scoped=False,
        max_queries=20,
    ),
    unscoped("desk:shift-create", "supervisor", "receptionist", why=NEW, max_queries=16),
    RouteCase(
        "desk:shift-create",
        "supervisor",
        "receptionist",
        method="POST",
        data=lambda w, c: {
            "post": handover_body(w, c)["post"],
            "name": "夜班",
            "starts": "20:00",
            "ends": "08:00",
        },
        scoped=False,
        why_unscoped=CHOICE,
        max_queries=24,
    ),
    unscoped("desk:instruction-create", "supervisor", "receptionist", why=NEW, max_queries=16),
    RouteCase(
        "desk:instruction-create",
        "supervisor",
        "receptionist",
        method="POST",
        data=lambda w, c: {"text": "注意", "valid_until": f"{timezone.localdate():%Y-%m-%d}"},
        why_unscoped=NEW,
        scoped=False,
        max_queries=20,
    ),
    unscoped("desk:handover-list", "supervisor", "technician", max_queries=16),
    unscoped("desk:handover-create", "receptionist", "technician", why=NEW, max_queries=20),
    RouteCase(
        "desk:handover-create",
        "receptionist",
        "technician",
        method="POST",
        data=handover_body,
        scoped=False,
        why_unscoped=CHOICE,
        max_queries=60,
    ),
    RouteCase(
        "desk:handover-detail", "supervisor", "technician", kwargs=pk(_handover), max_queries=24
    ),
    RouteCase(
        "desk:handover-notes",
        "receptionist",
        "technician",
        method="POST",
        kwargs=pk(_handover),
        data=lambda w, c: {"notes": "正常"},
        max_queries=20,
    ),
    RouteCase(
        "desk:handover-offer",
        "receptionist",
        "technician",
        method="POST",
        kwargs=pk(_handover),
        data=lambda w, c: {"signature": SIGN},
        max_queries=24,
    ),
    RouteCase(
        "desk:handover-check",
        "receptionist",
        "technician",
        method="POST",
        kwargs=pk(_offered_for_check),
        data=_check_page_body,
        max_queries=40,
    ),
    RouteCase(
        "desk:handover-close",
        "receptionist",
        "technician",
        method="POST",
        kwargs=pk(_accepted),
        max_queries=24,
    ),
]

# --- API ------------------------------------------------------------------------------------


def api(name, allowed, denied, method="GET", **kw):
    if method == "POST":
        kw.setdefault("ok", (200, 201))
    return RouteCase(
        f"desk-api:{name}", allowed=allowed, denied=denied, method=method, api=True, **kw
    )


def _api_key_body(w, c):
    return {"community": c.pk, **key_body(w, c)}


def _api_parcel_body(w, c):
    return {"community": c.pk, **parcel_body(w, c)}


ROUTES += [
    api("key-list", "receptionist", "technician", scoped=False, why_unscoped=LIST, max_queries=16),
    api(
        "key-list",
        "receptionist",
        "technician",
        method="POST",
        data=_api_key_body,
        scoped=False,
        why_unscoped=BODY,
        max_queries=24,
    ),
    api("key-detail", "receptionist", "technician", kwargs=pk(_key), max_queries=16),
    api(
        "key-add-collector",
        "receptionist",
        "technician",
        method="POST",
        kwargs=pk(_key),
        data=lambda w, c: {"name": "李四"},
        max_queries=16,
    ),
    api(
        "key-lend",
        "receptionist",
        "technician",
        method="POST",
        kwargs=pk(_key),
        data=lambda w, c: {
            "staff": w.user("receptionist").pk,
            "purpose": "看房",
            "signature": SIGN,
        },
        max_queries=30,
    ),
    api("loan-list", "supervisor", "technician", scoped=False, why_unscoped=LIST, max_queries=16),
    api("loan-detail", "supervisor", "technician", kwargs=pk(_loan), max_queries=16),
    api(
        "loan-return",
        "receptionist",
        "technician",
        method="POST",
        kwargs=pk(_loan),
        data=_collect_body,
        max_queries=20,
    ),
    api(
        "loan-overnight",
        "supervisor",
        "receptionist",
        method="POST",
        kwargs=pk(_loan),
        data=lambda w, c: {"until": (timezone.now() + dt.timedelta(days=1)).isoformat()},
        max_queries=20,
    ),
    api(
        "parcel-list", "receptionist", "technician", scoped=False, why_unscoped=LIST, max_queries=16
    ),
    api(
        "parcel-list",
        "receptionist",
        "technician",
        method="POST",
        data=_api_parcel_body,
        scoped=False,
        why_unscoped=BODY,
        max_queries=30,
    ),
    api("parcel-detail", "receptionist", "technician", kwargs=pk(_parcel), max_queries=16),
    api(
        "parcel-collect",
        "receptionist",
        "technician",
        method="POST",
        kwargs=pk(_held_parcel),
        data=lambda w, c: {"collected_by": _built["owner"].pk, "signature": SIGN},
        max_queries=30,
    ),
    api(
        "parcel-return",
        "receptionist",
        "technician",
        method="POST",
        kwargs=pk(_parcel),
        data=lambda w, c: {"return_note": "退回"},
        max_queries=20,
    ),
    api("post-list", "supervisor", "technician", scoped=False, why_unscoped=LIST, max_queries=16),
    api(
        "handover-list", "supervisor", "technician", scoped=False, why_unscoped=LIST, max_queries=16
    ),
    api(
        "handover-list",
        "receptionist",
        "technician",
        method="POST",
        data=handover_body,
        scoped=False,
        why_unscoped=BODY,
        max_queries=60,
    ),
    api("handover-detail", "supervisor", "technician", kwargs=pk(_handover), max_queries=16),
    api(
        "handover-notes",
        "receptionist",
        "technician",
        method="POST",
        kwargs=pk(_handover),
        data=lambda w, c: {"notes": "正常"},
        max_queries=20,
    ),
    api(
        "handover-offer",
        "receptionist",
        "technician",
        method="POST",
        kwargs=pk(_handover),
        data=lambda w, c: {"signature": SIGN},
        max_queries=24,
    ),
    api(
        "handover-accept",
        "receptionist",
        "technician",
        method="POST",
        kwargs=pk(_offered_for_check),
        data=_accept_api_body,
        max_queries=40,
    ),
    api(
        "handover-refuse",
        "receptionist",
        "technician",
        method="POST",
        kwargs=pk(_offered),
        data=lambda w, c: {"reason": "未清点"},
        max_queries=40,
    ),
    api(
        "handover-close",
        "receptionist",
        "technician",
        method="POST",
        kwargs=pk(_accepted),
        max_queries=24,
    ),
]


# --- Lost and found -------------------------------------------------------------------------


def _found(w, c):
    from guanjia.desk.services import register_found_item

    return register_found_item(
        community=c,
        description="黑色钱包",
        found_where="3栋电梯",
        found_by="保洁王阿姨",
        by=staff("receptionist", c, username=f"found-{c.code}"),
    )


CLAIM = {"claimant_name": "周先生", "proof": "说出钱包内证件姓名", "signature": SIGN}
FOUND = {"description": "黑色钱包", "found_where": "3栋电梯", "found_by": "保洁王阿姨"}

ROUTES += [
    unscoped("desk:found-list", "receptionist", "technician", max_queries=16),
    unscoped("desk:found-create", "receptionist", "technician", why=NEW, max_queries=16),
    unscoped(
        "desk:found-create",
        "receptionist",
        "technician",
        why=NEW,
        method="POST",
        data=lambda w, c: FOUND,
        max_queries=20,
    ),
    RouteCase("desk:found-detail", "receptionist", "technician", kwargs=pk(_found), max_queries=16),
    RouteCase(
        "desk:found-claim",
        "receptionist",
        "technician",
        method="POST",
        kwargs=pk(_found),
        data=lambda w, c: CLAIM,
        max_queries=20,
    ),
    api(
        "found-list", "receptionist", "technician", scoped=False, why_unscoped=LIST, max_queries=16
    ),
    api(
        "found-list",
        "receptionist",
        "technician",
        method="POST",
        data=lambda w, c: {"community": c.pk, **FOUND},
        scoped=False,
        why_unscoped=BODY,
        max_queries=20,
    ),
    api("found-detail", "receptionist", "technician", kwargs=pk(_found), max_queries=16),
    api(
        "found-claim",
        "receptionist",
        "technician",
        method="POST",
        kwargs=pk(_found),
        data=lambda w, c: CLAIM,
        max_queries=20,
    ),
]


# --- Notices --------------------------------------------------------------------------------


def _notice(w, c, submit=False, approve=False):
    from guanjia.desk.services import decide_notice, draft_notice, submit_notice

    start = timezone.now() + dt.timedelta(days=1)
    drafter = staff("receptionist", c, username=f"n-{c.code}-{timezone.now().timestamp()}")
    notice = draft_notice(
        community=c, title="通知", body="内容", starts_at=start,
        ends_at=start + dt.timedelta(days=1), by=drafter,
    )  # fmt: skip
    if submit or approve:
        submit_notice(notice=notice, by=drafter)
    if approve:
        decide_notice(notice=notice, approve=True, by=staff("director", c))
    return notice


def _notice_body(w, c):
    start = timezone.localtime() + dt.timedelta(days=1)
    return {
        "kind": "general",
        "title": "通知",
        "body": "内容",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
    }


def _api_notice_body(w, c):
    start = timezone.now() + dt.timedelta(days=1)
    return {
        "community": c.pk,
        "title": "通知",
        "body": "内容",
        "starts_at": start.isoformat(),
        "ends_at": (start + dt.timedelta(days=1)).isoformat(),
    }


ROUTES += [
    unscoped("desk:notice-list", "receptionist", "technician", max_queries=16),
    unscoped("desk:notice-create", "receptionist", "technician", why=NEW, max_queries=16),
    unscoped(
        "desk:notice-create",
        "receptionist",
        "technician",
        why=CHOICE,
        method="POST",
        data=_notice_body,
        max_queries=24,
    ),
    RouteCase(
        "desk:notice-detail", "receptionist", "technician", kwargs=pk(_notice), max_queries=20
    ),
    RouteCase(
        "desk:notice-print", "receptionist", "technician", kwargs=pk(_notice), max_queries=20
    ),
    RouteCase(
        "desk:notice-submit",
        "receptionist",
        "technician",
        method="POST",
        kwargs=pk(_notice),
        max_queries=24,
    ),
    RouteCase(
        "desk:notice-decide",
        "supervisor",
        "receptionist",
        method="POST",
        kwargs=pk(lambda w, c: _notice(w, c, submit=True)),
        data=lambda w, c: {"go": "approve"},
        max_queries=30,
    ),
    RouteCase(
        "desk:notice-take-down",
        "receptionist",
        "technician",
        method="POST",
        kwargs=pk(lambda w, c: _notice(w, c, approve=True)),
        max_queries=24,
    ),
    api(
        "notice-list", "receptionist", "technician", scoped=False, why_unscoped=LIST, max_queries=16
    ),
    api(
        "notice-list",
        "receptionist",
        "technician",
        method="POST",
        data=_api_notice_body,
        scoped=False,
        why_unscoped=BODY,
        max_queries=24,
    ),
    api("notice-detail", "receptionist", "technician", kwargs=pk(_notice), max_queries=16),
    api(
        "notice-submit",
        "receptionist",
        "technician",
        method="POST",
        kwargs=pk(_notice),
        max_queries=24,
    ),
    api(
        "notice-decide",
        "supervisor",
        "receptionist",
        method="POST",
        kwargs=pk(lambda w, c: _notice(w, c, submit=True)),
        data=lambda w, c: {"approve": True},
        max_queries=30,
    ),
    api(
        "notice-take-down",
        "receptionist",
        "technician",
        method="POST",
        kwargs=pk(lambda w, c: _notice(w, c, approve=True)),
        max_queries=24,
    ),
]

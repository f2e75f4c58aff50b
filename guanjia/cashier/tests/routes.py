"""Every cashier route and its promises (see guanjia/core/tests/matrix.py)."""

from __future__ import annotations

import uuid

from django.utils import timezone

from guanjia.accounts.tests.factories import staff
from guanjia.cashier.models import Receipt
from guanjia.cashier.services import count_session
from guanjia.core.tests.matrix import RouteCase

from .factories import charge, day_of, item, owned_unit, pay

LIST = "a list shows the current community's rows only"
COUNTER = "the counter and a new day work in the community the user works in now"
BODY = (
    "the unit (or community) is in the body: another community's reads as 'does not exist' "
    "(400) like every API create (core.api.ScopedSerializerMixin; test_api)"
)
FINANCE = (
    "finance checks and closes days as a company role: it sees every community of its "
    "company (the day's own cashier is refused: test_sessions)"
)


def _cashier(w, c):
    """Community A's cashier (a test user), or a cashier of community `c`."""
    if c == w.a:
        return w.user("cashier")
    key = f"cashier@{c.code}"
    if key not in w.users:
        w.users[key] = staff("cashier", c, company=w.company, username=f"cashier-{c.code}")
    return w.users[key]


def _owing_unit(w, c):
    unit = owned_unit(c)
    charge(
        unit,
        item(c, "service", "物业服务费"),
        timezone.localdate().replace(day=1),
        "300.00",
        _cashier(w, c),
    )
    return unit


def unit(w, c):
    return {"pk": _owing_unit(w, c).pk}


def paying_unit(w, c):
    """A unit owing in `c`, and community A's cashier with an open day."""
    day_of(w.user("cashier"), w.a)
    return unit(w, c)


def payment_body(w, c):
    return {
        "amount": "100.00",
        "method": "cash",
        "tendered": "100.00",
        "idempotency_key": uuid.uuid4().hex,
    }


def _receipt(w, c) -> Receipt:
    cashier = _cashier(w, c)
    payment = pay(_owing_unit(w, c), "100.00", cashier)
    return payment.receipt


def receipt(w, c):
    return {"pk": _receipt(w, c).pk}


def token(w, c):
    return {"token": _receipt(w, c).token}


def session(w, c):
    return {"pk": day_of(_cashier(w, c), c).pk}


def counted_session(w, c):
    day = day_of(_cashier(w, c), c, float_amount="100.00")
    count_session(session=day, denominations={"100": 1}, explanation="", by=day.cashier)
    return {"pk": day.pk}


def unscoped(name, allowed, denied=None, why=LIST, **kw):
    return RouteCase(name, allowed=allowed, denied=denied, scoped=False, why_unscoped=why, **kw)


ROUTES = [
    unscoped(
        "cashier:counter", "cashier", "receptionist", why=COUNTER, query="q=1201", max_queries=14
    ),
    RouteCase(
        "cashier:unit-account",
        allowed="cashier",
        denied="receptionist",
        kwargs=unit,
        max_queries=20,
    ),
    RouteCase(
        "cashier:payment-preview",
        allowed="cashier",
        denied="receptionist",
        method="POST",
        kwargs=unit,
        data=payment_body,
        ok=(200,),
        max_queries=19,
    ),
    RouteCase(
        "cashier:payment-create",
        allowed="cashier",
        denied="receptionist",
        method="POST",
        kwargs=paying_unit,
        data=payment_body,
        ok=(302,),
        max_queries=46,
    ),
    unscoped("cashier:payment-list", "cashier", "receptionist", max_queries=12),
    unscoped("cashier:receipt-list", "area_manager", "receptionist", max_queries=12),
    RouteCase(
        "cashier:receipt-detail",
        allowed="supervisor",
        denied="receptionist",
        kwargs=receipt,
        max_queries=14,
    ),
    RouteCase(
        "cashier:receipt-print",
        allowed="cashier",
        denied="receptionist",
        kwargs=receipt,
        max_queries=14,
    ),
    RouteCase(
        "cashier:receipt-void",
        allowed="cashier",
        denied="supervisor",
        method="POST",
        kwargs=receipt,
        data=lambda w, c: {"reason": "打印错误"},
        ok=(302,),
        max_queries=29,
    ),
    RouteCase(
        "cashier:receipt-verify",
        allowed=None,
        public=True,
        kwargs=token,
        scoped=False,
        max_queries=3,
    ),
    unscoped("cashier:session-list", "finance", "receptionist", max_queries=12),
    unscoped(
        "cashier:session-open",
        "cashier",
        "finance",
        why=COUNTER,
        method="POST",
        data=lambda w, c: {"float_amount": "200.00"},
        ok=(302,),
        max_queries=17,
    ),
    RouteCase(
        "cashier:session-detail",
        allowed="cashier",
        denied="receptionist",
        kwargs=session,
        max_queries=15,
    ),
    RouteCase(
        "cashier:session-count",
        allowed="cashier",
        denied="supervisor",
        method="POST",
        kwargs=session,
        data=lambda w, c: {"n_100": "2", "explanation": ""},
        ok=(302,),
        max_queries=21,
    ),
    RouteCase(
        "cashier:session-close",
        allowed="finance",
        denied="supervisor",
        method="POST",
        kwargs=counted_session,
        data=lambda w, c: {"note": "已复核"},
        scoped=False,
        why_unscoped=FINANCE,
        ok=(302,),
        max_queries=18,
    ),
    RouteCase(
        "cashier:session-return",
        allowed="finance",
        denied="supervisor",
        method="POST",
        kwargs=counted_session,
        data=lambda w, c: {"reason": "重点"},
        scoped=False,
        why_unscoped=FINANCE,
        ok=(302,),
        max_queries=18,
    ),
    RouteCase(
        "cashier:session-report",
        allowed="supervisor",
        denied="receptionist",
        kwargs=session,
        max_queries=13,
    ),
]


def api_payment_body(w, c):
    return {**payment_body(w, c), "unit": _owing_unit(w, c).pk}


def api_open_body(w, c):
    return {"community": c.pk, "float_amount": "200.00"}


ROUTES += [
    unscoped("cashier-api:payment-list", "finance", "receptionist", api=True, max_queries=11),
    RouteCase(
        "cashier-api:payment-list",
        allowed="cashier",
        denied="receptionist",
        method="POST",
        api=True,
        data=lambda w, c: (day_of(w.user("cashier"), w.a), api_payment_body(w, c))[1],
        ok=(201,),
        scoped=False,
        why_unscoped=BODY,
        max_queries=50,
    ),
    RouteCase(
        "cashier-api:payment-preview",
        allowed="cashier",
        denied="receptionist",
        method="POST",
        api=True,
        data=api_payment_body,
        ok=(200,),
        scoped=False,
        why_unscoped=BODY,
        max_queries=19,
    ),
    RouteCase(
        "cashier-api:payment-detail",
        allowed="supervisor",
        denied="receptionist",
        api=True,
        kwargs=lambda w, c: {"pk": _receipt(w, c).payment_id},
        max_queries=13,
    ),
    unscoped("cashier-api:receipt-list", "auditor", "receptionist", api=True, max_queries=11),
    RouteCase(
        "cashier-api:receipt-detail",
        allowed="cashier",
        denied="receptionist",
        api=True,
        kwargs=receipt,
        max_queries=13,
    ),
    RouteCase(
        "cashier-api:receipt-void",
        allowed="cashier",
        denied="supervisor",
        method="POST",
        api=True,
        kwargs=receipt,
        data=lambda w, c: {"reason": "打印错误"},
        max_queries=35,
    ),
    unscoped("cashier-api:session-list", "finance", "receptionist", api=True, max_queries=11),
    RouteCase(
        "cashier-api:session-list",
        allowed="cashier",
        denied="receptionist",
        method="POST",
        api=True,
        data=api_open_body,
        ok=(201,),
        scoped=False,
        why_unscoped=BODY,
        max_queries=20,
    ),
    RouteCase(
        "cashier-api:session-detail",
        allowed="cashier",
        denied="receptionist",
        api=True,
        kwargs=session,
        max_queries=13,
    ),
    RouteCase(
        "cashier-api:session-count",
        allowed="cashier",
        denied="supervisor",
        method="POST",
        api=True,
        kwargs=session,
        data=lambda w, c: {"denominations": {"100": 2}, "explanation": ""},
        max_queries=24,
    ),
    RouteCase(
        "cashier-api:session-close",
        allowed="finance",
        denied="supervisor",
        method="POST",
        api=True,
        kwargs=counted_session,
        data=lambda w, c: {"note": "已复核"},
        scoped=False,
        why_unscoped=FINANCE,
        max_queries=21,
    ),
    RouteCase(
        "cashier-api:session-return",
        allowed="finance",
        denied="supervisor",
        method="POST",
        api=True,
        kwargs=counted_session,
        data=lambda w, c: {"reason": "重点"},
        scoped=False,
        why_unscoped=FINANCE,
        max_queries=21,
    ),
]

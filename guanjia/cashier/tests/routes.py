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


# --- Deposits ------------------------------------------------------------------------------


def _deposit(w, c, *, status: str = "held"):
    from guanjia.cashier.services import decide_settlement, request_settlement, take_deposit

    cashier = _cashier(w, c)
    day_of(cashier, c)
    deposit = take_deposit(
        unit=owned_unit(c),
        kind="renovation_owner",
        amount="2000.00",
        method="cash",
        payer_name="王业主",
        idempotency_key=uuid.uuid4().hex,
        by=cashier,
    )
    if status in ("requested", "approved"):
        asker = staff("supervisor", c, company=w.company, username=f"sup-{uuid.uuid4().hex[:8]}")
        request_settlement(deposit=deposit, note="验收合格", by=asker)
    if status == "approved":
        decider = staff("director", c, company=w.company, username=f"dir-{uuid.uuid4().hex[:8]}")
        decide_settlement(deposit=deposit, approve=True, by=decider)
    return deposit


def deposit(w, c):
    return {"pk": _deposit(w, c).pk}


def requested_deposit(w, c):
    return {"pk": _deposit(w, c, status="requested").pk}


def approved_deposit(w, c):
    return {"pk": _deposit(w, c, status="approved").pk}


def pay_out_body(w, c):
    from guanjia.cashier.models import Deposit

    day_of(w.user("cashier"), w.a)
    latest = Deposit.objects.filter(community=c).order_by("-pk").first()
    number = latest.payment.receipt.number if latest else "SJ-0"
    return {"receipt_number": number, "method": "cash"}


def deposit_body(w, c):
    day_of(w.user("cashier"), w.a)
    return {
        "room": owned_unit(c).room_code,
        "kind": "pass",
        "amount": "20",
        "method": "cash",
        "payer_name": "李师傅",
        "idempotency_key": uuid.uuid4().hex,
    }


ROUTES += [
    unscoped("cashier:deposit-list", "area_manager", "technician", max_queries=14),
    unscoped(
        "cashier:deposit-take",
        "cashier",
        "receptionist",
        why=COUNTER,
        method="POST",
        data=deposit_body,
        ok=(302,),
        max_queries=45,
    ),
    RouteCase(
        "cashier:deposit-detail",
        allowed="receptionist",
        denied="technician",
        kwargs=deposit,
        max_queries=16,
    ),
    RouteCase(
        "cashier:deposit-request-settlement",
        allowed="receptionist",
        denied="cashier",
        method="POST",
        kwargs=deposit,
        data=lambda w, c: {"note": "验收合格", "deductions": "垃圾清运 200"},
        ok=(302,),
        max_queries=30,
    ),
    RouteCase(
        "cashier:deposit-decide",
        allowed="director",
        denied="supervisor",
        method="POST",
        kwargs=requested_deposit,
        data=lambda w, c: {"approve": "yes"},
        ok=(302,),
        max_queries=30,
    ),
    RouteCase(
        "cashier:deposit-pay-out",
        allowed="cashier",
        denied="director",
        method="POST",
        kwargs=approved_deposit,
        data=pay_out_body,
        ok=(302,),
        max_queries=60,
    ),
    unscoped("cashier-api:deposit-list", "finance", "technician", api=True, max_queries=12),
    RouteCase(
        "cashier-api:deposit-list",
        allowed="cashier",
        denied="receptionist",
        method="POST",
        api=True,
        data=lambda w, c: {
            **{k: v for k, v in deposit_body(w, c).items() if k != "room"},
            "unit": owned_unit(c).pk,
        },
        ok=(201,),
        scoped=False,
        why_unscoped=BODY,
        max_queries=50,
    ),
    RouteCase(
        "cashier-api:deposit-detail",
        allowed="supervisor",
        denied="technician",
        api=True,
        kwargs=deposit,
        max_queries=14,
    ),
    RouteCase(
        "cashier-api:deposit-settle",
        allowed="area_manager",
        denied="cashier",
        method="POST",
        api=True,
        kwargs=deposit,
        data=lambda w, c: {"note": "验收合格", "deductions": [{"item": "清运", "amount": "50"}]},
        max_queries=30,
    ),
    RouteCase(
        "cashier-api:deposit-decide",
        allowed="finance",
        denied="supervisor",
        method="POST",
        api=True,
        kwargs=requested_deposit,
        data=lambda w, c: {"approve": True},
        scoped=False,
        why_unscoped=FINANCE,
        max_queries=30,
    ),
    RouteCase(
        "cashier-api:deposit-pay-out",
        allowed="cashier",
        denied="director",
        method="POST",
        api=True,
        kwargs=approved_deposit,
        data=pay_out_body,
        max_queries=60,
    ),
]


def counted_receipt(w, c):
    """A receipt of a counted day, in community `c` (its cashier)."""
    cashier = _cashier(w, c)
    payment = pay(_owing_unit(w, c), "100.00", cashier)
    count_session(session=payment.session, denominations={"100": 3}, explanation="", by=cashier)
    return {"pk": payment.receipt.pk}


def reversal_asked(w, c):
    from guanjia.cashier.services import request_reversal

    kwargs = counted_receipt(w, c)
    receipt = Receipt.objects.get(pk=kwargs["pk"])
    request_reversal(payment=receipt.payment, cause="other", reason="错收", by=_cashier(w, c))
    return kwargs


ROUTES += [
    RouteCase(
        "cashier:receipt-reverse",
        allowed="cashier",
        denied="supervisor",
        method="POST",
        kwargs=counted_receipt,
        data=lambda w, c: {"cause": "bounced_cheque", "reason": "支票退票"},
        ok=(302,),
        max_queries=30,
    ),
    RouteCase(
        "cashier:receipt-reversal-decide",
        allowed="director",
        denied="area_manager",
        method="POST",
        kwargs=reversal_asked,
        data=lambda w, c: {"approve": "yes"},
        ok=(302,),
        max_queries=62,
    ),
]


def _reversal_pk(w, c):
    from guanjia.cashier.models import PaymentReversal

    receipt = Receipt.objects.get(pk=reversal_asked(w, c)["pk"])
    return {"pk": PaymentReversal.objects.get(payment=receipt.payment).pk}


ROUTES += [
    RouteCase(
        "cashier-api:payment-reverse",
        allowed="cashier",
        denied="supervisor",
        method="POST",
        api=True,
        kwargs=lambda w, c: {"pk": Receipt.objects.get(**counted_receipt(w, c)).payment_id},
        data=lambda w, c: {"cause": "bounced_cheque", "reason": "支票退票"},
        ok=(201,),
        max_queries=30,
    ),
    unscoped("cashier-api:reversal-list", "director", "technician", api=True, max_queries=11),
    RouteCase(
        "cashier-api:reversal-detail",
        allowed="director",
        denied="technician",
        api=True,
        kwargs=_reversal_pk,
        max_queries=11,
    ),
    RouteCase(
        "cashier-api:reversal-decide",
        allowed="director",
        denied="area_manager",
        method="POST",
        api=True,
        kwargs=_reversal_pk,
        data=lambda w, c: {"approve": True},
        max_queries=62,
    ),
]


# --- Dunning -------------------------------------------------------------------------------


def _case(w, c):
    from guanjia.cashier.services import open_case

    return open_case(unit=_owing_unit(w, c), by=_cashier(w, c), reason="欠费")


def case(w, c):
    return {"pk": _case(w, c).pk}


def _notice(w, c):
    from guanjia.cashier.services import prepare_notice

    return prepare_notice(unit=_owing_unit(w, c), kind="fee", by=_cashier(w, c))


def disputed_case(w, c):
    from guanjia.cashier.services import flag_dispute

    found = _case(w, c)
    flag_dispute(case=found, complaint_ref="TS-1", note="电梯故障", by=_cashier(w, c))
    return {"pk": found.pk}


def paid_case(w, c):
    found = _case(w, c)
    pay(found.unit, "300.00", _cashier(w, c))
    return {"pk": found.pk}


def notice(w, c):
    return {"pk": _notice(w, c).pk}


def batch(w, c):
    from guanjia.cashier.models import NoticeBatch
    from guanjia.cashier.services.notices import run_notice_print, start_notice_print

    n = _notice(w, c)
    run = start_notice_print(building=n.unit.building, kind="fee", month=n.month, by=_cashier(w, c))
    found = NoticeBatch.objects.filter(community=c).latest("pk")
    run_notice_print(run, batch_id=found.pk)  # the worker's part (on commit, never in a test)
    return {"pk": found.pk}


def print_body(w, c):
    n = _notice(w, c)
    return {"building": n.unit.building_id, "kind": "fee", "month": f"{n.month:%Y-%m}"}


def clear_unit(w, c):
    return {"pk": owned_unit(c).pk}


def _today(w, c):
    return timezone.localdate().isoformat()


ROUTES += [
    unscoped("cashier:case-list", "receptionist", "technician", max_queries=14),
    unscoped(
        "cashier:case-open",
        "cashier",
        "area_manager",
        why=COUNTER,
        method="POST",
        data=lambda w, c: {"room": _owing_unit(w, c).room_code, "reason": "欠费"},
        ok=(302,),
        max_queries=30,
    ),
    RouteCase(
        "cashier:case-detail",
        allowed="receptionist",
        denied="technician",
        kwargs=case,
        max_queries=30,
    ),
    RouteCase(
        "cashier:case-step",
        allowed="cashier",
        denied="receptionist",
        method="POST",
        kwargs=case,
        data=lambda w, c: {"stage": "phone", "method": "phone", "done_on": _today(w, c)},
        ok=(302,),
        max_queries=30,
    ),
    RouteCase(
        "cashier:case-promise",
        allowed="supervisor",
        denied="receptionist",
        method="POST",
        kwargs=case,
        data=lambda w, c: {"pay_by": _today(w, c), "amount": "100"},
        ok=(302,),
        max_queries=30,
    ),
    RouteCase(
        "cashier:case-dispute",
        allowed="cashier",
        denied="finance",
        method="POST",
        kwargs=case,
        data=lambda w, c: {"complaint_ref": "TS-1", "note": "电梯故障"},
        ok=(302,),
        max_queries=30,
    ),
    RouteCase(
        "cashier:case-clear-dispute",
        allowed="cashier",
        denied="finance",
        method="POST",
        kwargs=disputed_case,
        data=lambda w, c: {"note": "已修复"},
        ok=(302,),
        max_queries=30,
    ),
    RouteCase(
        "cashier:case-plan",
        allowed="supervisor",
        denied="cashier",
        method="POST",
        kwargs=case,
        data=lambda w, c: {"schedule": f"{_today(w, c)} 300"},
        ok=(302,),
        max_queries=40,
    ),
    RouteCase(
        "cashier:case-close",
        allowed="cashier",
        denied="receptionist",
        method="POST",
        kwargs=paid_case,
        data=lambda w, c: {"to": "settled", "note": ""},
        ok=(302,),
        max_queries=30,
    ),
    unscoped("cashier:notice-list", "area_manager", "technician", max_queries=16),
    unscoped(
        "cashier:notice-print-batch",
        "cashier",
        "technician",
        why=COUNTER,
        method="POST",
        data=print_body,
        ok=(302,),
        max_queries=40,
    ),
    RouteCase(
        "cashier:notice-batch-download",
        allowed="cashier",
        denied="technician",
        kwargs=batch,
        max_queries=12,
    ),
    RouteCase(
        "cashier:notice-detail",
        allowed="receptionist",
        denied="technician",
        kwargs=notice,
        max_queries=14,
    ),
    RouteCase(
        "cashier:notice-print",
        allowed="cashier",
        denied="technician",
        kwargs=notice,
        max_queries=14,
    ),
    RouteCase(
        "cashier:notice-sign",
        allowed="cashier",
        denied="receptionist",
        method="POST",
        kwargs=notice,
        data=lambda w, c: {"signed_by": "王业主", "signed_on": _today(w, c)},
        ok=(302,),
        max_queries=30,
    ),
    RouteCase(
        "cashier:clearance-certificate",
        allowed="cashier",
        denied="technician",
        kwargs=clear_unit,
        max_queries=18,
    ),
]

REPORT = "the collection page reports the community the user works in now"
ROUTES += [
    unscoped("cashier:collection", "finance", "receptionist", why=REPORT, max_queries=26),
    unscoped("cashier:collection-export", "auditor", "area_manager", why=REPORT, max_queries=26),
]


ROUTES += [
    unscoped("cashier-api:case-list", "receptionist", "technician", api=True, max_queries=12),
    RouteCase(
        "cashier-api:case-list",
        allowed="cashier",
        denied="area_manager",
        method="POST",
        api=True,
        data=lambda w, c: {"unit": _owing_unit(w, c).pk, "reason": "欠费"},
        ok=(201,),
        scoped=False,
        why_unscoped=BODY,
        max_queries=30,
    ),
    RouteCase(
        "cashier-api:case-detail",
        allowed="receptionist",
        denied="technician",
        api=True,
        kwargs=case,
        max_queries=16,
    ),
    RouteCase(
        "cashier-api:case-step",
        allowed="cashier",
        denied="receptionist",
        method="POST",
        api=True,
        kwargs=case,
        data=lambda w, c: {"stage": "phone", "method": "phone", "done_on": _today(w, c)},
        ok=(201,),
        max_queries=34,
    ),
    RouteCase(
        "cashier-api:case-promise",
        allowed="cashier",
        denied="receptionist",
        method="POST",
        api=True,
        kwargs=case,
        data=lambda w, c: {"pay_by": _today(w, c), "amount": "100.00"},
        ok=(201,),
        max_queries=34,
    ),
    RouteCase(
        "cashier-api:case-dispute",
        allowed="cashier",
        denied="finance",
        method="POST",
        api=True,
        kwargs=case,
        data=lambda w, c: {"complaint_ref": "TS-1", "note": "电梯故障"},
        max_queries=34,
    ),
    RouteCase(
        "cashier-api:case-clear-dispute",
        allowed="cashier",
        denied="finance",
        method="POST",
        api=True,
        kwargs=disputed_case,
        data=lambda w, c: {"note": "已修复"},
        max_queries=34,
    ),
    RouteCase(
        "cashier-api:case-plan",
        allowed="supervisor",
        denied="cashier",
        method="POST",
        api=True,
        kwargs=case,
        data=lambda w, c: {"instalments": [{"due_on": _today(w, c), "amount": "300.00"}]},
        ok=(201,),
        max_queries=44,
    ),
    RouteCase(
        "cashier-api:case-close",
        allowed="cashier",
        denied="receptionist",
        method="POST",
        api=True,
        kwargs=paid_case,
        data=lambda w, c: {"to": "settled"},
        max_queries=34,
    ),
    unscoped("cashier-api:notice-list", "auditor", "technician", api=True, max_queries=12),
    RouteCase(
        "cashier-api:notice-list",
        allowed="cashier",
        denied="receptionist",
        method="POST",
        api=True,
        data=lambda w, c: {"unit": _owing_unit(w, c).pk, "kind": "fee"},
        ok=(201,),
        scoped=False,
        why_unscoped=BODY,
        max_queries=30,
    ),
    RouteCase(
        "cashier-api:notice-print",
        allowed="cashier",
        denied="technician",
        method="POST",
        api=True,
        data=print_body,
        ok=(202,),
        scoped=False,
        why_unscoped=BODY,
        max_queries=30,
    ),
    RouteCase(
        "cashier-api:notice-detail",
        allowed="receptionist",
        denied="technician",
        api=True,
        kwargs=notice,
        max_queries=12,
    ),
    RouteCase(
        "cashier-api:notice-sign",
        allowed="cashier",
        denied="receptionist",
        method="POST",
        api=True,
        kwargs=notice,
        data=lambda w, c: {"signed_by": "王业主", "signed_on": _today(w, c)},
        max_queries=30,
    ),
]

"""Every appraisal route and its promises (see guanjia/core/tests/matrix.py)."""

from guanjia.core.tests.matrix import RouteCase

LIST = "a list shows the current community's rows only"
OWN = "the caller's own scores and appraisals, wherever they work"
MAKE = "acts on the current community"
API_LIST = "a list holds the caller's communities only (and their own rows)"


def unscoped(name, allowed, denied="admin", why=LIST, **kw):
    return RouteCase(name, allowed=allowed, denied=denied, scoped=False, why_unscoped=why, **kw)


def api(name, allowed, denied="admin", method="GET", **kw):
    return RouteCase(
        f"appraisal-api:{name}", allowed=allowed, denied=denied, method=method, api=True, **kw
    )


def score(w, c):
    from .factories import score_of

    return {"pk": score_of(w, "receptionist", c).pk}


def opened(w, c):
    from .factories import appraisal

    return {"pk": appraisal(w, "open", community=c).pk}


def to_rate(w, c):
    return {**opened(w, c), "step": "rate"}


def _month(w, c):
    from .factories import this_month

    return f"{this_month():%Y-%m}"


def _probation_body(w, c, prefix=""):
    from django.utils import timezone

    from guanjia.tickets.tests.factories import actor

    today = timezone.localdate().isoformat()
    return {
        "community": c.pk,
        "employee": actor(w, c, "cashier").pk,
        "start": today,
        "end": today,
    }


ROUTES = [
    unscoped("appraisal:score-list", "supervisor", "receptionist", max_queries=14),
    unscoped(
        "appraisal:score-compute",
        "supervisor",
        "receptionist",
        method="POST",
        why=MAKE,
        data=lambda w, c: {"month": _month(w, c)},
        max_queries=40,
    ),
    RouteCase(
        "appraisal:score-detail", allowed="supervisor", denied="admin", kwargs=score, max_queries=14
    ),
    RouteCase(
        "appraisal:score-adjust",
        allowed="supervisor",
        denied="admin",
        method="POST",
        kwargs=score,
        data=lambda w, c: {"points": "-2", "reason": "月检仪容不合格"},
        max_queries=24,
    ),
    unscoped("appraisal:appraisal-list", "supervisor", "receptionist", max_queries=16),
    unscoped(
        "appraisal:appraisal-open",
        "supervisor",
        "receptionist",
        method="POST",
        why=MAKE,
        data=lambda w, c: {"kind": "quarter", "day": "2026-01-15"},
        max_queries=40,
    ),
    unscoped(
        "appraisal:probation-open",
        "supervisor",
        "receptionist",
        method="POST",
        why=MAKE,
        data=lambda w, c: {k: v for k, v in _probation_body(w, c).items() if k != "community"},
        max_queries=40,
    ),
    RouteCase(
        "appraisal:appraisal-detail",
        allowed="supervisor",
        denied="admin",
        kwargs=opened,
        max_queries=24,
    ),
    RouteCase(
        "appraisal:appraisal-act",
        allowed="supervisor",
        denied="admin",
        method="POST",
        kwargs=to_rate,
        data=lambda w, c: {"rate-score": "85", "rate-score_reason": "综合评定"},
        max_queries=40,
    ),
    unscoped("appraisal:mine", "receptionist", why=OWN, max_queries=12),
    unscoped("appraisal:reports", "supervisor", "receptionist", max_queries=14),
    unscoped("appraisal:pay-export", "finance", "receptionist", max_queries=20),
    api("score-list", "supervisor", scoped=False, why_unscoped=API_LIST, max_queries=12),
    api(
        "score-compute",
        "supervisor",
        "receptionist",
        method="POST",
        ok=(202,),
        data=lambda w, c: {"community": c.pk, "month": _month(w, c)},
        max_queries=40,
    ),
    api("score-detail", "supervisor", kwargs=score, max_queries=12),
    api(
        "score-adjust",
        "supervisor",
        method="POST",
        kwargs=score,
        data=lambda w, c: {"points": "-2", "reason": "工作日志未按时提交"},
        max_queries=24,
    ),
    api("appraisal-list", "supervisor", scoped=False, why_unscoped=API_LIST, max_queries=12),
    api(
        "appraisal-open",
        "supervisor",
        "receptionist",
        method="POST",
        ok=(201,),
        data=lambda w, c: {"community": c.pk, "kind": "quarter", "day": "2026-01-15"},
        max_queries=40,
    ),
    api(
        "probation-open",
        "supervisor",
        "receptionist",
        method="POST",
        ok=(201,),
        data=_probation_body,
        max_queries=40,
    ),
    api("appraisal-detail", "supervisor", kwargs=opened, max_queries=12),
    api(
        "appraisal-step",
        "supervisor",
        method="POST",
        kwargs=to_rate,
        data=lambda w, c: {"score": "85", "score_reason": "综合评定"},
        max_queries=40,
    ),
    api(
        "reports",
        "supervisor",
        "receptionist",
        query="month=2026-01",
        kwargs=lambda w, c: {"community_id": c.pk},
        max_queries=14,
    ),
]

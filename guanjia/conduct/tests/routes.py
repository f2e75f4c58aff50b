"""Every conduct route and its promises (see guanjia/core/tests/matrix.py)."""

from guanjia.core.tests.matrix import RouteCase

from .factories import open_check, record, submitted

LIST = "a list shows the current community's rows only"
COMPANY = "the company's reference lists and levels (one per company)"
OWN = "the caller's own checks and records, wherever they work"
MAKE = "creates in the current community"
API_LIST = "a list holds the caller's communities only (and their own rows)"


def unscoped(name, allowed, denied="admin", why=LIST, **kw):
    return RouteCase(name, allowed=allowed, denied=denied, scoped=False, why_unscoped=why, **kw)


def api(name, allowed, denied="admin", method="GET", **kw):
    return RouteCase(
        f"conduct-api:{name}", allowed=allowed, denied=denied, method=method, api=True, **kw
    )


def check(w, c):
    return {"pk": open_check(w, c).pk}


def sent(w, c):
    return {"pk": submitted(w, c).pk}


def proposed(w, c):
    return {"pk": record(w, community=c).pk}


def step(w, c):
    return {"pk": record(w, community=c).pk, "step": "confirm"}


def first_standard(w, c):
    from guanjia.conduct.models import StandardItem

    return {"pk": StandardItem.objects.filter(company=c.company).first().pk}


def first_level(w, c):
    from guanjia.conduct.models import RecordLevel

    return {"pk": RecordLevel.objects.get(company=c.company, code="praise").pk}


def results(w, c, prefix=""):
    from guanjia.conduct.models import SpotCheck

    found = SpotCheck.objects.filter(community=c).order_by("-pk").first()
    return {f"item-{i.pk}-result": "pass" for i in found.items.all()}


def _open_and_pass(w, c):
    return {"pk": open_check(w, c).pk}


def _api_results(w, c):
    from guanjia.conduct.models import SpotCheck

    found = SpotCheck.objects.filter(community=c).order_by("-pk").first()
    return {"items": [{"id": i.pk, "result": "pass"} for i in found.items.all()]}


def _propose_body(w, c):
    from django.utils import timezone

    from guanjia.tickets.tests.factories import actor

    from .factories import level

    return {
        "community": c.pk,
        "employee": actor(w, c, "receptionist").pk,
        "level": level(w, "praise").pk,
        "event_date": timezone.localdate().isoformat(),
        "facts": "拾金不昧",
    }


def _open_body(w, c):
    from guanjia.tickets.tests.factories import actor

    return {"community": c.pk, "employee": actor(w, c, "receptionist").pk, "cadence": "daily"}


ROUTES = [
    unscoped("conduct:standards", "receptionist", why=COMPANY, max_queries=12),
    unscoped("conduct:standards-print", "receptionist", why=COMPANY, max_queries=10),
    unscoped(
        "conduct:standard-add",
        "supervisor",
        "receptionist",
        method="POST",
        why=COMPANY,
        data=lambda w, c: {"kind": "appearance", "text": "不佩戴耳机"},
        max_queries=14,
    ),
    RouteCase(
        "conduct:standard-edit",
        allowed="supervisor",
        denied="receptionist",
        kwargs=first_standard,
        scoped=False,
        why_unscoped=COMPANY,
        max_queries=12,
    ),
    unscoped("conduct:levels", "receptionist", why=COMPANY, max_queries=10),
    RouteCase(
        "conduct:level-edit",
        allowed="hr",
        denied="supervisor",
        method="POST",
        kwargs=first_level,
        data=lambda w, c: {"points": "3", "authority": "1"},
        scoped=False,
        why_unscoped=COMPANY,
        max_queries=14,
    ),
    unscoped("conduct:check-list", "supervisor", "receptionist", max_queries=12),
    unscoped("conduct:check-new", "supervisor", "receptionist", why=MAKE, max_queries=12),
    RouteCase(
        "conduct:check-detail", allowed="supervisor", denied="admin", kwargs=check, max_queries=16
    ),
    RouteCase(
        "conduct:check-submit",
        allowed="supervisor",
        denied="admin",
        method="POST",
        kwargs=_open_and_pass,
        data=results,
        max_queries=30,
    ),
    RouteCase(
        "conduct:check-acknowledge",
        allowed="receptionist",
        denied="admin",
        method="POST",
        kwargs=sent,
        data=lambda w, c: {"sign-statement": "好的"},
        max_queries=22,
    ),
    RouteCase(
        "conduct:check-refuse",
        allowed="supervisor",
        denied="admin",
        method="POST",
        kwargs=sent,
        data=lambda w, c: {"sign-statement": "拒签"},
        max_queries=22,
    ),
    RouteCase(
        "conduct:check-cancel",
        allowed="supervisor",
        denied="admin",
        method="POST",
        kwargs=check,
        data=lambda w, c: {"sign-statement": "开错了"},
        max_queries=22,
    ),
    unscoped("conduct:record-list", "supervisor", "receptionist", max_queries=12),
    unscoped("conduct:record-new", "supervisor", "receptionist", why=MAKE, max_queries=12),
    unscoped(
        "conduct:generate", "supervisor", "receptionist", method="POST", why=MAKE, max_queries=30
    ),
    RouteCase(
        "conduct:record-detail",
        allowed="supervisor",
        denied="admin",
        kwargs=proposed,
        max_queries=20,
    ),
    RouteCase(
        "conduct:record-act",
        allowed="director",
        denied="admin",
        method="POST",
        kwargs=step,
        data=lambda w, c: {"confirm-note": "属实"},
        max_queries=24,
    ),
    unscoped("conduct:mine", "receptionist", why=OWN, max_queries=12),
    unscoped("conduct:board", "receptionist", max_queries=12),
    unscoped("conduct:kpis", "supervisor", "receptionist", max_queries=14),
    unscoped("conduct:kpis-export", "director", "receptionist", max_queries=14),
    api("standards", "receptionist", scoped=False, why_unscoped=COMPANY, max_queries=10),
    api("levels", "receptionist", scoped=False, why_unscoped=COMPANY, max_queries=10),
    api(
        "generate",
        "supervisor",
        "receptionist",
        method="POST",
        data=lambda w, c: {"community": c.pk},
        max_queries=30,
    ),
    api("check-list", "supervisor", scoped=False, why_unscoped=API_LIST, max_queries=12),
    RouteCase(
        "conduct-api:check-list",
        allowed="supervisor",
        denied="receptionist",
        method="POST",
        api=True,
        ok=(201,),
        data=_open_body,
        max_queries=30,
    ),
    api("check-detail", "supervisor", kwargs=check, max_queries=12),
    api(
        "check-submit",
        "supervisor",
        method="POST",
        kwargs=_open_and_pass,
        data=_api_results,
        max_queries=30,
    ),
    api(
        "check-acknowledge",
        "receptionist",
        method="POST",
        kwargs=sent,
        data=lambda w, c: {},
        max_queries=22,
    ),
    api(
        "check-refuse",
        "supervisor",
        method="POST",
        kwargs=sent,
        data=lambda w, c: {"statement": "拒签"},
        max_queries=22,
    ),
    api("record-list", "supervisor", scoped=False, why_unscoped=API_LIST, max_queries=12),
    RouteCase(
        "conduct-api:record-list",
        allowed="supervisor",
        denied="receptionist",
        method="POST",
        api=True,
        ok=(201,),
        data=_propose_body,
        max_queries=30,
    ),
    api("record-detail", "supervisor", kwargs=proposed, max_queries=12),
    api(
        "record-step",
        "director",
        method="POST",
        kwargs=step,
        data=lambda w, c: {"note": "属实"},
        max_queries=24,
    ),
]

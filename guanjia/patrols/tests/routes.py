"""Every patrols route and its promises (see guanjia/core/tests/matrix.py)."""

from django.utils import timezone

from guanjia.core.tests.matrix import RouteCase
from guanjia.patrols.models import ChecklistItem, Patrol, PatrolPlan, PatrolStatus

from .factories import (
    checkpoint,
    finding,
    first_day_next_month,
    in_progress,
    patrol,
    png_upload,
    scanned,
    zone,
)

LIST = "a list shows the current community's rows only"
CURRENT = "writes in the current community (another community's ids are refused, 400)"
REPORT = "a report of the current community"
API_LIST = "a list holds the caller's communities only"


def unscoped(name, allowed, denied=None, why=LIST, **kw):
    return RouteCase(name, allowed=allowed, denied=denied, scoped=False, why_unscoped=why, **kw)


def api(name, allowed, denied=None, method="GET", **kw):
    return RouteCase(
        f"patrols-api:{name}", allowed=allowed, denied=denied, method=method, api=True, **kw
    )


def _patrol(w, c):
    return {"pk": patrol(w, c).pk}


def _walking(w, c):
    return {"pk": in_progress(w, c).pk}


def _latest(c):
    return Patrol.objects.filter(community=c).latest("pk")


def _token(w, c):
    from guanjia.patrols import services

    return services.label_token(services.route(_latest(c))[0])


def _scanned(w, c):
    result = scanned(w, c)
    return {"pk": result.patrol_id, "result": result.pk}


def _all_ok(w, c):
    from guanjia.patrols.services.walking import checklist

    result = _latest(c).results.get()
    return [(line.pk, True) for line in checklist(c, result.checkpoint.kind)]


def _items_page(w, c):
    return {f"item_{pk}": "ok" for pk, _ok in _all_ok(w, c)}


def _items_api(w, c):
    return {"lines": [{"item": pk, "ok": ok} for pk, ok in _all_ok(w, c)]}


def _done(w, c):
    p = patrol(w, c)
    Patrol.objects.filter(pk=p.pk).update(status=PatrolStatus.DONE, submitted_at=timezone.now())
    return {"pk": p.pk}


def _missed(w, c):
    p = patrol(w, c)
    Patrol.objects.filter(pk=p.pk).update(status=PatrolStatus.MISSED, missed_reason="x")
    return {"pk": p.pk}


def _with_finding(w, c):
    f = finding(w, c)
    return {"pk": f.patrol_id, "finding": f.pk}


def _finding(w, c):
    return {"pk": finding(w, c).pk}


def _actioned(w, c):
    return {"pk": finding(w, c, "action").pk}


def _checkpoint(w, c):
    return {"pk": checkpoint(w, zone(w, c), "gate").pk}


def _item(w, c):
    from guanjia.patrols import services

    services.seed_checklist(c)
    return {"pk": ChecklistItem.objects.filter(community=c).first().pk}


def _plan(w, c):
    patrol(w, c)
    return {"pk": PatrolPlan.objects.filter(community=c).latest("pk").pk}


def _new_plan_zone(w, c):
    z = zone(w, c)
    checkpoint(w, z, "gate")
    return z


def _plan_page_data(w, c):
    z = _new_plan_zone(w, c)
    return {"plan-zone": z.pk, "plan-month": first_day_next_month().strftime("%Y-%m")}


def _plan_api_data(w, c):
    z = _new_plan_zone(w, c)
    return {"community": c.pk, "zone": z.pk, "month": first_day_next_month().isoformat()}


def _checkpoint_api_data(w, c):
    return {"community": c.pk, "zone": zone(w, c).pk, "kind": "gate", "name": "北门"}


ROUTES = [
    unscoped("patrols:today", "area_manager", "cashier", max_queries=14),
    unscoped("patrols:patrol-list", "area_manager", "cashier", max_queries=14),
    RouteCase("patrols:patrol-detail", "area_manager", "cashier", kwargs=_patrol, max_queries=22),
    RouteCase("patrols:patrol-walk", "area_manager", "cashier", kwargs=_walking, max_queries=26),
    RouteCase(
        "patrols:patrol-start",
        "area_manager",
        "cashier",
        method="POST",
        kwargs=_patrol,
        max_queries=24,
    ),
    RouteCase(
        "patrols:patrol-scan",
        "area_manager",
        "cashier",
        method="POST",
        kwargs=_walking,
        data=lambda w, c: {"scan-code": _token(w, c)},
        max_queries=24,
    ),
    RouteCase(
        "patrols:patrol-items",
        "area_manager",
        "cashier",
        method="POST",
        kwargs=_scanned,
        data=_items_page,
        max_queries=40,
    ),
    RouteCase(
        "patrols:patrol-finding",
        "area_manager",
        "cashier",
        method="POST",
        kwargs=_walking,
        data=lambda w, c: {"finding-description": "消防门未关"},
        max_queries=24,
    ),
    RouteCase(
        "patrols:patrol-photo",
        "area_manager",
        "cashier",
        method="POST",
        kwargs=_with_finding,
        data=lambda w, c: {"photo-image": png_upload()},
        max_queries=24,
    ),
    RouteCase(
        "patrols:patrol-talk",
        "area_manager",
        "cashier",
        method="POST",
        kwargs=_walking,
        data=lambda w, c: {"talk-said": "电梯有异响"},
        max_queries=24,
    ),
    RouteCase(
        "patrols:patrol-submit",
        "area_manager",
        "cashier",
        method="POST",
        kwargs=lambda w, c: {"pk": scanned(w, c).patrol_id},
        max_queries=30,
    ),
    RouteCase(
        "patrols:patrol-spot-check",
        "supervisor",
        "area_manager",
        method="POST",
        kwargs=_done,
        data=lambda w, c: {"spot-agrees": "yes"},
        max_queries=24,
    ),
    RouteCase(
        "patrols:patrol-explain",
        "supervisor",
        "area_manager",
        method="POST",
        kwargs=_missed,
        data=lambda w, c: {"reason-reason": "病假"},
        max_queries=24,
    ),
    unscoped("patrols:checkpoint-list", "supervisor", "cashier", max_queries=14),
    unscoped("patrols:checkpoint-create", "supervisor", "area_manager", max_queries=14),
    unscoped("patrols:checkpoint-labels", "supervisor", "cashier", max_queries=14),
    RouteCase(
        "patrols:checkpoint-label", "supervisor", "cashier", kwargs=_checkpoint, max_queries=14
    ),
    RouteCase(
        "patrols:checkpoint-replace-label",
        "supervisor",
        "area_manager",
        method="POST",
        kwargs=_checkpoint,
        max_queries=16,
    ),
    unscoped("patrols:checklist", "area_manager", "cashier", max_queries=14),
    RouteCase(
        "patrols:checklist-toggle",
        "supervisor",
        "area_manager",
        method="POST",
        kwargs=_item,
        max_queries=16,
    ),
    unscoped("patrols:plan-list", "area_manager", "cashier", max_queries=16),
    unscoped(
        "patrols:plan-create",
        "supervisor",
        "area_manager",
        method="POST",
        why=CURRENT,
        data=_plan_page_data,
        max_queries=24,
    ),
    unscoped(
        "patrols:template-create",
        "supervisor",
        "area_manager",
        method="POST",
        why=CURRENT,
        data=lambda w, c: {"tpl-name": "日常巡查", "tpl-kinds": ["gate", "fire"]},
        max_queries=16,
    ),
    unscoped(
        "patrols:plan-generate",
        "supervisor",
        "area_manager",
        method="POST",
        why=CURRENT,
        data=lambda w, c: {"gen-month": first_day_next_month().strftime("%Y-%m")},
        max_queries=24,
    ),
    unscoped(
        "patrols:storm",
        "supervisor",
        "area_manager",
        method="POST",
        why=CURRENT,
        data=lambda w, c: {"storm-reason": "台风预警"},
        max_queries=24,
    ),
    RouteCase("patrols:plan-detail", "area_manager", "cashier", kwargs=_plan, max_queries=16),
    unscoped("patrols:finding-list", "area_manager", "cashier", max_queries=14),
    RouteCase("patrols:finding-detail", "area_manager", "cashier", kwargs=_finding, max_queries=20),
    RouteCase(
        "patrols:finding-action",
        "area_manager",
        "cashier",
        method="POST",
        kwargs=_finding,
        data=lambda w, c: {"action-kind": "fixed", "action-note": "已修好"},
        max_queries=24,
    ),
    RouteCase(
        "patrols:finding-close",
        "area_manager",
        "cashier",
        method="POST",
        kwargs=_actioned,
        data=lambda w, c: {"close-note": "保洁已清理"},
        max_queries=24,
    ),
    RouteCase(
        "patrols:finding-photo",
        "area_manager",
        "cashier",
        method="POST",
        kwargs=_finding,
        data=lambda w, c: {"photo-image": png_upload()},
        max_queries=24,
    ),
    unscoped("patrols:review", "supervisor", "area_manager", max_queries=16),
    unscoped("patrols:kpis", "supervisor", "area_manager", why=REPORT, max_queries=14),
    unscoped("patrols:kpis-export", "director", "area_manager", why=REPORT, max_queries=14),
    # API
    api(
        "checkpoint-list",
        "supervisor",
        "cashier",
        scoped=False,
        why_unscoped=API_LIST,
        max_queries=12,
    ),
    api(
        "checkpoint-list",
        "supervisor",
        "area_manager",
        method="POST",
        data=_checkpoint_api_data,
        ok=(201,),
        max_queries=20,
    ),
    api("checkpoint-detail", "supervisor", "cashier", kwargs=_checkpoint, max_queries=12),
    api("plan-list", "supervisor", "cashier", scoped=False, why_unscoped=API_LIST, max_queries=12),
    api(
        "plan-list",
        "supervisor",
        "area_manager",
        method="POST",
        data=_plan_api_data,
        ok=(201,),
        max_queries=24,
    ),
    api("plan-detail", "supervisor", "cashier", kwargs=_plan, max_queries=12),
    api(
        "plan-generate",
        "supervisor",
        "area_manager",
        method="POST",
        data=lambda w, c: {"community": c.pk, "month": first_day_next_month().isoformat()},
        max_queries=20,
    ),
    api(
        "patrol-list",
        "area_manager",
        "cashier",
        scoped=False,
        why_unscoped=API_LIST,
        max_queries=12,
    ),
    api("patrol-detail", "area_manager", "cashier", kwargs=_patrol, max_queries=16),
    api("patrol-start", "area_manager", "cashier", method="POST", kwargs=_patrol, max_queries=24),
    api(
        "patrol-scan",
        "area_manager",
        "cashier",
        method="POST",
        kwargs=_walking,
        data=lambda w, c: {"code": _token(w, c)},
        ok=(201,),
        max_queries=20,
    ),
    api(
        "patrol-items",
        "area_manager",
        "cashier",
        method="POST",
        kwargs=_scanned,
        data=_items_api,
        max_queries=40,
    ),
    api(
        "patrol-findings",
        "area_manager",
        "cashier",
        method="POST",
        kwargs=_walking,
        data=lambda w, c: {"description": "消防门未关"},
        ok=(201,),
        max_queries=20,
    ),
    api(
        "patrol-talks",
        "area_manager",
        "cashier",
        method="POST",
        kwargs=_walking,
        data=lambda w, c: {"said": "电梯有异响"},
        ok=(201,),
        max_queries=20,
    ),
    api(
        "patrol-submit",
        "area_manager",
        "cashier",
        method="POST",
        kwargs=lambda w, c: {"pk": scanned(w, c).patrol_id},
        max_queries=30,
    ),
    api(
        "patrol-spot-check",
        "supervisor",
        "area_manager",
        method="POST",
        kwargs=_done,
        data=lambda w, c: {"agrees": True},
        ok=(201,),
        max_queries=20,
    ),
    api(
        "patrol-storm",
        "supervisor",
        "area_manager",
        method="POST",
        data=lambda w, c: {"community": c.pk, "reason": "台风预警"},
        ok=(201,),
        max_queries=24,
    ),
    api(
        "finding-list",
        "area_manager",
        "cashier",
        scoped=False,
        why_unscoped=API_LIST,
        max_queries=12,
    ),
    api("finding-detail", "area_manager", "cashier", kwargs=_finding, max_queries=12),
    api(
        "finding-take-action",
        "area_manager",
        "cashier",
        method="POST",
        kwargs=_finding,
        data=lambda w, c: {"kind": "fixed", "note": "已修好"},
        max_queries=24,
    ),
    api(
        "finding-close",
        "area_manager",
        "cashier",
        method="POST",
        kwargs=_actioned,
        data=lambda w, c: {"note": "保洁已清理"},
        max_queries=24,
    ),
    # The matrix posts JSON: without the picture the body is refused (the upload is tested in
    # test_api.py).
    api(
        "finding-photos",
        "area_manager",
        "cashier",
        method="POST",
        kwargs=_finding,
        data=lambda w, c: {},
        ok=(400,),
        max_queries=12,
    ),
]

"""Every move-in route and its promises (see guanjia/core/tests/matrix.py)."""

from guanjia.core.tests.matrix import RouteCase

from ..models import Defect, Inspection
from .factories import (
    SIGN,
    batch,
    delivered,
    listed,
    notified,
    ready_for_keys,
    receipt_for,
    user_in,
    verified,
)

LIST = "a list shows the current community's rows only"
NEW = "a new row is created in the current community"
PAGE = "the page shows the community the user works in now"
BODY = "the body names the community; one the caller cannot see is refused with 400"


def unscoped(name, allowed, denied, why=LIST, **kw):
    return RouteCase(name, allowed=allowed, denied=denied, scoped=False, why_unscoped=why, **kw)


def pk(builder):
    return lambda w, c: {"pk": builder(w, c).pk}


def _batch(w, c):
    return batch(w, c)


def _listed_batch(w, c):
    return listed(w, c).batch


def _notified_batch(w, c):
    return notified(w, c).batch


def _notified(w, c):
    return notified(w, c)


def _verified(w, c):
    return verified(w, c)


def _registered(w, c):
    from .. import services

    d = verified(w, c)
    return services.register_household(delivery=d, by=user_in(w, "receptionist", c))


_built: dict = {}


def _for_fees(w, c):
    d = _registered(w, c)
    _built["receipt"] = receipt_for(w, d.unit).number
    return d


def _inspecting(w, c):
    from .. import services

    d = verified(w, c)
    services.start_inspection(delivery=d, by=user_in(w, "receptionist", c))
    return d


def _ready(w, c):
    return ready_for_keys(w, c)


def _delivered(w, c):
    return delivered(w, c)


def _delivered_with_defect(w, c):
    return delivered(w, c, defect=True)


def _defect(w, c):
    return Defect.objects.get(delivery=_delivered_with_defect(w, c))


def _fixed(w, c):
    from .. import services

    d = _defect(w, c)
    return services.report_fixed(defect=d, note="已修", by=user_in(w, "engineering_lead", c))


def _signed_off(w, c):
    from .. import services

    d = _fixed(w, c)
    return services.reinspect(
        defect=d, passed=True, signer="王买家", signature=SIGN, by=user_in(w, "area_manager", c)
    )


def _defect_body(w, c):
    from .factories import photo_png

    sheet = Inspection.objects.order_by("-pk").first()
    import io

    f = io.BytesIO(photo_png())
    f.name = "d.png"
    return {"room": sheet.rooms[0], "item": sheet.items[0], "description": "裂缝", "photo": f,
            "responsible": "developer"}  # fmt: skip


def _api_defect_body(w, c):
    """JSON carries no photo: the community lets a defect go without one."""
    from guanjia.core.policies.services import set_policy

    set_policy(
        key="movein.defect_photo_required", value=False, community=c, reason="试行",
        by=user_in(w, "director", c),
    )  # fmt: skip
    sheet = Inspection.objects.order_by("-pk").first()
    return {"room": sheet.rooms[0], "item": sheet.items[0], "description": "裂缝"}


def _batch_body(w, c):
    from django.utils import timezone

    day = timezone.localdate().isoformat()
    return {"name": "二期", "notice_date": day, "counter_from": day, "counter_to": day,
            "counter_hours": "9:00-17:00", "checked": ["takeover"]}  # fmt: skip


ROUTES = [
    unscoped("movein:batch-list", "director", "technician", max_queries=16),
    unscoped("movein:batch-create", "director", "receptionist", why=NEW, max_queries=16),
    unscoped(
        "movein:batch-create",
        "director",
        "receptionist",
        why=NEW,
        method="POST",
        data=_batch_body,
        max_queries=24,
    ),
    RouteCase("movein:batch-detail", "director", "technician", kwargs=pk(_batch), max_queries=20),
    RouteCase(
        "movein:batch-tick",
        "director",
        "receptionist",
        method="POST",
        kwargs=pk(lambda w, c: batch(w, c, checked=[])),
        data=lambda w, c: {"code": "contract"},
        max_queries=20,
    ),
    RouteCase(
        "movein:batch-notify",
        "supervisor",
        "receptionist",
        method="POST",
        kwargs=pk(_listed_batch),
        max_queries=60,
    ),
    RouteCase(
        "movein:batch-close",
        "supervisor",
        "receptionist",
        method="POST",
        kwargs=pk(_notified_batch),
        max_queries=20,
    ),
    RouteCase(
        "movein:batch-notices",
        "director",
        "technician",
        method="POST",
        kwargs=pk(_listed_batch),
        max_queries=40,
    ),
    RouteCase(
        "movein:batch-notices-download",
        "director",
        "technician",
        kwargs=pk(_listed_batch),
        ok=(200, 404),
        max_queries=16,
    ),
    unscoped("movein:delivery-list", "receptionist", "technician", max_queries=16),
    RouteCase(
        "movein:delivery-detail",
        "receptionist",
        "technician",
        kwargs=pk(_notified),
        max_queries=24,
    ),
    RouteCase(
        "movein:delivery-verify",
        "receptionist",
        "cashier",
        method="POST",
        kwargs=pk(_notified),
        data=lambda w, c: {"verified_as": "agent", "attorney_ref": "委托书1"},
        max_queries=30,
    ),
    RouteCase(
        "movein:delivery-register",
        "receptionist",
        "cashier",
        method="POST",
        kwargs=pk(_verified),
        data=lambda w, c: {},
        max_queries=60,
    ),
    RouteCase(
        "movein:delivery-fees",
        "receptionist",
        "cashier",
        method="POST",
        kwargs=pk(_for_fees),
        data=lambda w, c: {"receipt_no": _built["receipt"], "prepaid_months": 1},
        max_queries=30,
    ),
    RouteCase(
        "movein:delivery-documents",
        "receptionist",
        "cashier",
        method="POST",
        kwargs=pk(_verified),
        data=lambda w, c: {"signature": SIGN},
        max_queries=30,
    ),
    RouteCase(
        "movein:delivery-inspect",
        "receptionist",
        "cashier",
        method="POST",
        kwargs=pk(_verified),
        max_queries=30,
    ),
    RouteCase(
        "movein:delivery-keys",
        "receptionist",
        "cashier",
        method="POST",
        kwargs=pk(_ready),
        data=lambda w, c: {"count": 2, "description": "钥匙2把", "signature": SIGN},
        max_queries=50,
    ),
    RouteCase(
        "movein:delivery-cards",
        "receptionist",
        "cashier",
        method="POST",
        kwargs=pk(_delivered),
        data=lambda w, c: {"count": 2},
        max_queries=30,
    ),
    RouteCase(
        "movein:delivery-refuse",
        "receptionist",
        "cashier",
        method="POST",
        kwargs=pk(_notified),
        data=lambda w, c: {"reason": "渗水"},
        max_queries=60,
    ),
    RouteCase(
        "movein:inspection", "receptionist", "technician", kwargs=pk(_inspecting), max_queries=24
    ),
    RouteCase(
        "movein:inspection-defect",
        "receptionist",
        "cashier",
        method="POST",
        kwargs=pk(_inspecting),
        data=_defect_body,
        max_queries=30,
    ),
    RouteCase(
        "movein:inspection-sign",
        "receptionist",
        "cashier",
        method="POST",
        kwargs=pk(_inspecting),
        data=lambda w, c: {"owner_signature": SIGN, "inspector_signature": SIGN, "water": "1.5"},
        max_queries=30,
    ),
    RouteCase(
        "movein:inspection-print",
        "receptionist",
        "technician",
        kwargs=pk(_inspecting),
        max_queries=24,
    ),
    unscoped("movein:queue", "receptionist", "technician", why=PAGE, max_queries=16),
    unscoped("movein:defect-list", "engineering_lead", "cashier", max_queries=16),
    RouteCase(
        "movein:defect-detail", "engineering_lead", "cashier", kwargs=pk(_defect), max_queries=20
    ),
    RouteCase(
        "movein:defect-fixed",
        "engineering_lead",
        "technician",
        method="POST",
        kwargs=pk(_defect),
        data=lambda w, c: {"note": "已修补"},
        max_queries=24,
    ),
    RouteCase(
        "movein:defect-reinspect",
        "area_manager",
        "technician",
        method="POST",
        kwargs=pk(_fixed),
        data=lambda w, c: {"passed": "yes", "signer": "王买家", "signature": SIGN},
        max_queries=30,
    ),
    RouteCase(
        "movein:defect-reopen",
        "receptionist",
        "technician",
        method="POST",
        kwargs=pk(_signed_off),
        data=lambda w, c: {"note": "又裂了"},
        max_queries=60,
    ),
    unscoped("movein:template", "director", "receptionist", why=PAGE, max_queries=16),
    unscoped(
        "movein:template",
        "director",
        "receptionist",
        why=PAGE,
        method="POST",
        data=lambda w, c: {"rooms": "客厅", "items": "墙面"},
        max_queries=20,
    ),
    unscoped("movein:report", "director", "technician", why=PAGE, max_queries=16),
    unscoped("movein:report-export", "director", "technician", why=PAGE, max_queries=16),
]

# --- API ------------------------------------------------------------------------------------


def api(name, allowed, denied, method="GET", **kw):
    if method == "POST":
        kw.setdefault("ok", (200, 201))
    return RouteCase(
        f"movein-api:{name}", allowed=allowed, denied=denied, method=method, api=True, **kw
    )


ROUTES += [
    api("batch-list", "director", "technician", scoped=False, why_unscoped=LIST, max_queries=16),
    api(
        "batch-list",
        "director",
        "receptionist",
        method="POST",
        scoped=False,
        why_unscoped=BODY,
        data=lambda w, c: {**_batch_body(w, c), "community": c.pk},
        max_queries=24,
    ),
    api("batch-detail", "director", "technician", kwargs=pk(_batch), max_queries=16),
    api(
        "batch-tick",
        "director",
        "receptionist",
        method="POST",
        kwargs=pk(lambda w, c: batch(w, c, checked=[])),
        data=lambda w, c: {"code": "contract"},
        max_queries=20,
    ),
    api(
        "batch-notify",
        "supervisor",
        "receptionist",
        method="POST",
        kwargs=pk(_listed_batch),
        max_queries=60,
    ),
    api(
        "batch-close",
        "supervisor",
        "receptionist",
        method="POST",
        kwargs=pk(_notified_batch),
        max_queries=20,
    ),
    api(
        "delivery-list",
        "receptionist",
        "technician",
        scoped=False,
        why_unscoped=LIST,
        max_queries=16,
    ),
    api("delivery-detail", "receptionist", "technician", kwargs=pk(_notified), max_queries=16),
    api(
        "delivery-verify",
        "receptionist",
        "cashier",
        method="POST",
        kwargs=pk(_notified),
        data=lambda w, c: {"verified_as": "agent", "attorney_ref": "委托书1"},
        max_queries=30,
    ),
    api(
        "delivery-register",
        "receptionist",
        "cashier",
        method="POST",
        kwargs=pk(_verified),
        data=lambda w, c: {},
        max_queries=60,
    ),
    api(
        "delivery-fees",
        "receptionist",
        "cashier",
        method="POST",
        kwargs=pk(_for_fees),
        data=lambda w, c: {"receipt_no": _built["receipt"], "prepaid_months": 1},
        max_queries=30,
    ),
    api(
        "delivery-documents",
        "receptionist",
        "cashier",
        method="POST",
        kwargs=pk(_verified),
        data=lambda w, c: {"signature": SIGN},
        max_queries=30,
    ),
    api(
        "delivery-keys",
        "receptionist",
        "cashier",
        method="POST",
        kwargs=pk(_ready),
        data=lambda w, c: {"count": 2, "description": "钥匙2把", "signature": SIGN},
        max_queries=50,
    ),
    api(
        "delivery-cards",
        "receptionist",
        "cashier",
        method="POST",
        kwargs=pk(_delivered),
        data=lambda w, c: {"count": 2},
        max_queries=30,
    ),
    api(
        "delivery-refuse",
        "receptionist",
        "cashier",
        method="POST",
        kwargs=pk(_notified),
        data=lambda w, c: {"reason": "渗水"},
        max_queries=60,
    ),
    api(
        "inspection-start",
        "receptionist",
        "cashier",
        method="POST",
        kwargs=pk(_verified),
        max_queries=30,
    ),
    api(
        "inspection-defect",
        "receptionist",
        "cashier",
        method="POST",
        kwargs=pk(_inspecting),
        data=_api_defect_body,
        max_queries=30,
    ),
    api(
        "inspection-sign",
        "receptionist",
        "cashier",
        method="POST",
        kwargs=pk(_inspecting),
        data=lambda w, c: {"owner_signature": SIGN, "inspector_signature": SIGN},
        max_queries=30,
    ),
    api(
        "defect-list",
        "engineering_lead",
        "cashier",
        scoped=False,
        why_unscoped=LIST,
        max_queries=16,
    ),
    api("defect-detail", "engineering_lead", "cashier", kwargs=pk(_defect), max_queries=16),
    api(
        "defect-fixed",
        "engineering_lead",
        "technician",
        method="POST",
        kwargs=pk(_defect),
        data=lambda w, c: {"note": "已修补"},
        max_queries=24,
    ),
    api(
        "defect-reinspect",
        "area_manager",
        "technician",
        method="POST",
        kwargs=pk(_fixed),
        data=lambda w, c: {"passed": True, "signer": "王买家", "signature": SIGN},
        max_queries=30,
    ),
    api(
        "defect-reopen",
        "receptionist",
        "technician",
        method="POST",
        kwargs=pk(_signed_off),
        data=lambda w, c: {"note": "又裂了"},
        max_queries=60,
    ),
]

"""Every billing route and its promises (see guanjia/core/tests/matrix.py)."""

import datetime as dt
from decimal import Decimal

from guanjia.billing.models import Meter, MeterReading
from guanjia.billing.services import post_run, request_run_reversal
from guanjia.core.tests.matrix import RouteCase
from guanjia.estates.tests.factories import OwnershipFactory, UnitFactory

from .factories import FeeItemFactory, FeeStandardFactory, FeeStandardVersionFactory

LIST = "a list shows the current community's rows only"
CURRENT = "the run is for the community the user works in now"
COMPANY = "fee items belong to the company, not to a community"
LAST_MONTH = (dt.date.today().replace(day=1) - dt.timedelta(days=1)).replace(day=1)  # noqa: DTZ011 - a date only


def _item(w, c):
    return FeeItemFactory(company=c.company)


def standard(w, c):
    s = FeeStandardFactory(community=c, fee_item=_item(w, c))
    FeeStandardVersionFactory(standard=s, rate=Decimal("2.5"))
    return s


def billable(w, c):
    s = standard(w, c)
    OwnershipFactory(unit=UnitFactory(community=c))
    return s


def run(w, c, requested=False):
    s = billable(w, c)
    result = post_run(community=c, period=LAST_MONTH, fee_item=s.fee_item, by=w.user("finance"))
    if requested:
        request_run_reversal(run=result.run, by=w.user("finance"), reason="错")
    return result.run


def run_body(w, c):
    s = billable(w, c)
    return {"period": f"{LAST_MONTH:%Y-%m}", "fee_item": s.fee_item.pk}


def api_run_body(w, c):
    return {"community": c.pk, **run_body(w, c)}


def reading_body(w, c):
    meter = Meter.objects.create(community=c, kind="water", number=f"W{c.pk}")
    return {
        "meter": meter.pk,
        "period": f"{LAST_MONTH:%Y-%m}",
        "value": "12.5",
        "read_on": f"{LAST_MONTH:%Y-%m-%d}",
    }


def flagged_reading(w, c):
    meter = Meter.objects.create(community=c, kind="water", number=f"F{c.pk}")
    return MeterReading.objects.create(
        community=c,
        meter=meter,
        period=LAST_MONTH,
        value=Decimal("900"),
        read_on=LAST_MONTH,
        flagged=True,
        created_by=w.user("engineering_lead"),
    )


def exception_body(w, c):
    return {
        "standard": standard(w, c).pk,
        "starts_on": "2099-01-01",
        "reason": "业委会决议",
    }


def unscoped(name, allowed, denied=None, why=LIST, **kw):
    return RouteCase(name, allowed=allowed, denied=denied, scoped=False, why_unscoped=why, **kw)


ROUTES = [
    unscoped("billing:feeitem-list", "cashier", "security", why=COMPANY),
    unscoped("billing:standard-list", "area_manager", "security"),
    unscoped("billing:feeitem-create", "cashier", "area_manager", why=COMPANY),
    unscoped(
        "billing:feeitem-create",
        "finance",
        "director",
        why=COMPANY,
        method="POST",
        data=lambda w, c: {
            "code": "water",
            "name": "水费",
            "category": "utility",
            "priority": "20",
        },
    ),
    unscoped("billing:standard-create", "cashier", "area_manager", why=CURRENT),
    unscoped(
        "billing:standard-create",
        "cashier",
        "director",
        why=CURRENT,
        method="POST",
        data=lambda w, c: {
            "fee_item": _item(w, c).pk,
            "name": "商铺",
            "method": "fixed",
            "cycle": "monthly",
            "billed_in": "advance",
            "rounding": "half_up",
            "payer_rule": "owner",
        },
    ),
    RouteCase(
        "billing:standard-detail",
        "supervisor",
        "security",
        kwargs=lambda w, c: {"pk": standard(w, c).pk},
    ),
    RouteCase(
        "billing:version-create",
        "cashier",
        "area_manager",
        method="POST",
        kwargs=lambda w, c: {"pk": standard(w, c).pk},
        data=lambda w, c: {"rate": "3.1", "effective_from": "2099-01-01"},
    ),
    unscoped("billing:run-list", "director", "security"),
    unscoped("billing:run-preview", "cashier", "area_manager", why=CURRENT),
    unscoped(
        "billing:run-post", "cashier", "area_manager", why=CURRENT, method="POST", data=run_body
    ),
    RouteCase(
        "billing:run-detail", "area_manager", "security", kwargs=lambda w, c: {"pk": run(w, c).pk}
    ),
    RouteCase(
        "billing:run-request-reversal",
        "cashier",
        "area_manager",
        method="POST",
        kwargs=lambda w, c: {"pk": run(w, c).pk},
        data=lambda w, c: {"reason": "错"},
    ),
    RouteCase(
        "billing:run-approve-reversal",
        "director",
        "cashier",
        method="POST",
        kwargs=lambda w, c: {"pk": run(w, c, requested=True).pk},
    ),
    unscoped("billing:reading-list", "technician", "security"),
    unscoped(
        "billing:reading-create",
        "engineering_lead",
        "cashier",
        method="POST",
        data=reading_body,
        why="the meter must be one of the current community's: "
        "another community's meter is an invalid choice (400)",
    ),
    unscoped("billing:reading-flagged", "engineering_lead", "technician"),
    RouteCase(
        "billing:reading-confirm",
        "engineering_lead",
        "technician",
        method="POST",
        kwargs=lambda w, c: {"pk": flagged_reading(w, c).pk},
    ),
    RouteCase(
        "billing:unit-exceptions",
        "supervisor",
        "security",
        kwargs=lambda w, c: {"pk": UnitFactory(community=c).pk},
    ),
    RouteCase(
        "billing:unit-exception-create",
        "cashier",
        "area_manager",
        method="POST",
        kwargs=lambda w, c: {"pk": UnitFactory(community=c).pk},
        data=exception_body,
    ),
    unscoped(
        "billing:month-close",
        "director",
        "cashier",
        why=CURRENT,
        method="POST",
        data=lambda w, c: {"period": "2001-01"},
    ),
    RouteCase(
        "billing:unit-statement",
        "cashier",
        "security",
        kwargs=lambda w, c: {"pk": UnitFactory(community=c).pk},
    ),
    RouteCase(
        "billing:unit-statement-print",
        "cashier",
        "security",
        kwargs=lambda w, c: {"pk": UnitFactory(community=c).pk},
    ),
    # API
    unscoped("billing-api:feeitem-list", "cashier", "security", why=COMPANY, api=True),
    unscoped("billing-api:standard-list", "cashier", "security", api=True),
    unscoped("billing-api:run-list", "cashier", "security", api=True),
    unscoped("billing-api:reading-list", "technician", "security", api=True),
    RouteCase(
        "billing-api:reading-list",
        "engineering_lead",
        "cashier",
        method="POST",
        api=True,
        data=reading_body,
        ok=(201,),
    ),
    RouteCase(
        "billing-api:run-preview",
        "cashier",
        "area_manager",
        method="POST",
        api=True,
        data=api_run_body,
    ),
    RouteCase(
        "billing-api:run-post",
        "cashier",
        "area_manager",
        method="POST",
        api=True,
        data=api_run_body,
        ok=(200, 201),
    ),
    RouteCase(
        "billing-api:unit-statement",
        "cashier",
        "security",
        api=True,
        kwargs=lambda w, c: {"pk": UnitFactory(community=c).pk},
    ),
]

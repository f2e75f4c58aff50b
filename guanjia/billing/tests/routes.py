"""Every billing route and its promises (see guanjia/core/tests/matrix.py)."""

import datetime as dt
from decimal import Decimal

from guanjia.billing.models import FeeItem, Meter, MeterReading
from guanjia.billing.services import (
    change_rate,
    create_standard,
    post_run,
    request_run_reversal,
)
from guanjia.core.tests.matrix import RouteCase
from guanjia.estates.tests.factories import OwnershipFactory, UnitFactory

from .factories import FeeItemFactory, FeeStandardFactory, FeeStandardVersionFactory

LIST = "a list shows the current community's rows only"
CURRENT = "the run is for the community the user works in now"
COMPANY = "fee items belong to the company, not to a community"
FINANCE = (
    "finance, who approves standards, is a company role and sees every community of the "
    "company (another company's standard is a 404: test_standard_approval)"
)
LAST_MONTH = (dt.date.today().replace(day=1) - dt.timedelta(days=1)).replace(day=1)  # noqa: DTZ011 - a date only


def _item(w, c):
    return FeeItemFactory(company=c.company)


def standard(w, c):
    s = FeeStandardFactory(community=c, fee_item=_item(w, c))
    FeeStandardVersionFactory(standard=s, rate=Decimal("2.5"))
    return s


def proposed_standard(w, c):
    """A standard the cashier proposed: finance (someone else) decides on it."""
    return create_standard(
        community=c, fee_item=_item(w, c), by=w.user("cashier"), name="商铺", method="fixed"
    )


def proposed_rate(w, c):
    return change_rate(
        standard=standard(w, c),
        rate="3.1",
        effective_from=dt.date(2099, 1, 1),
        by=w.user("cashier"),
    )


def edit_body(w, c):
    return {
        "name": "住宅（调整）",
        "method": "building_area",
        "cycle": "quarterly",
        "billed_in": "advance",
        "rounding": "half_up",
        "payer_rule": "owner",
        "unit_kinds": ["flat"],
        "is_active": "on",
    }


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


def _run_choice(w, c):
    s = billable(w, c)
    return {"period": f"{LAST_MONTH:%Y-%m}", "fee_item": s.fee_item.pk}


def run_body(w, c):
    """The page posts what the cashier previewed and confirmed."""
    from guanjia.billing.services import preview_run

    choice = _run_choice(w, c)
    preview = preview_run(
        community=c, period=LAST_MONTH, fee_item=FeeItem.objects.get(pk=choice["fee_item"])
    )
    return {**choice, "fingerprint": preview.fingerprint, "confirm": "on"}


def api_run_body(w, c):
    return {"community": c.pk, **_run_choice(w, c)}


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
    unscoped(
        "billing:overview",
        "supervisor",
        "security",
        why="the overview is of the community the user works in now; another community's "
        "figures never show (test_overview)",
        max_queries=15,
    ),
    unscoped("billing:feeitem-list", "cashier", "security", why=COMPANY, max_queries=12),
    unscoped("billing:standard-list", "area_manager", "security", max_queries=13),
    unscoped("billing:feeitem-create", "cashier", "area_manager", why=COMPANY, max_queries=11),
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
        max_queries=22,
    ),
    unscoped("billing:standard-create", "cashier", "area_manager", why=CURRENT, max_queries=12),
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
        max_queries=30,
    ),
    RouteCase(
        "billing:standard-detail",
        "supervisor",
        "security",
        kwargs=lambda w, c: {"pk": standard(w, c).pk},
        max_queries=17,
    ),
    unscoped("billing:standard-waiting", "supervisor", "security", max_queries=13),
    RouteCase(
        "billing:standard-edit",
        "cashier",
        "area_manager",
        kwargs=lambda w, c: {"pk": standard(w, c).pk},
        max_queries=15,
    ),
    RouteCase(
        "billing:standard-edit",
        "cashier",
        "area_manager",
        method="POST",
        kwargs=lambda w, c: {"pk": standard(w, c).pk},
        data=edit_body,
        max_queries=33,
    ),
    unscoped(
        "billing:standard-approve",
        "finance",
        "cashier",
        why=FINANCE,
        method="POST",
        kwargs=lambda w, c: {"pk": proposed_standard(w, c).pk},
        data=lambda w, c: {"approval_ref": "物价备案 2024-01"},
        max_queries=20,
    ),
    unscoped(
        "billing:standard-reject",
        "finance",
        "cashier",
        why=FINANCE,
        method="POST",
        kwargs=lambda w, c: {"pk": proposed_standard(w, c).pk},
        data=lambda w, c: {"reason": "单价未经业主大会通过"},
        max_queries=20,
    ),
    unscoped(
        "billing:version-approve",
        "finance",
        "cashier",
        why=FINANCE,
        method="POST",
        kwargs=lambda w, c: {"pk": proposed_rate(w, c).pk},
        data=lambda w, c: {"approval_ref": "物价备案 2099-01"},
        max_queries=25,
    ),
    unscoped(
        "billing:version-reject",
        "finance",
        "cashier",
        why=FINANCE,
        method="POST",
        kwargs=lambda w, c: {"pk": proposed_rate(w, c).pk},
        data=lambda w, c: {"reason": "文号不符"},
        max_queries=21,
    ),
    RouteCase(
        "billing:version-create",
        "cashier",
        "area_manager",
        method="POST",
        kwargs=lambda w, c: {"pk": standard(w, c).pk},
        data=lambda w, c: {"rate": "3.1", "effective_from": "2099-01-01"},
        max_queries=45,
    ),
    unscoped("billing:run-list", "director", "security", max_queries=13),
    unscoped("billing:run-preview", "cashier", "area_manager", why=CURRENT, max_queries=12),
    unscoped(
        "billing:run-post",
        "cashier",
        "area_manager",
        why=CURRENT,
        method="POST",
        data=run_body,
        max_queries=51,  # the post recomputes the preview to compare its fingerprint
    ),
    RouteCase(
        "billing:run-detail",
        "area_manager",
        "security",
        kwargs=lambda w, c: {"pk": run(w, c).pk},
        max_queries=14,
    ),
    RouteCase(
        "billing:run-request-reversal",
        "cashier",
        "area_manager",
        method="POST",
        kwargs=lambda w, c: {"pk": run(w, c).pk},
        data=lambda w, c: {"reason": "错"},
        max_queries=22,
    ),
    RouteCase(
        "billing:run-approve-reversal",
        "director",
        "cashier",
        method="POST",
        kwargs=lambda w, c: {"pk": run(w, c, requested=True).pk},
        max_queries=33,
    ),
    unscoped("billing:reading-list", "technician", "security", max_queries=13),
    unscoped(
        "billing:reading-create",
        "engineering_lead",
        "cashier",
        method="POST",
        data=reading_body,
        why="the meter must be one of the current community's: "
        "another community's meter is an invalid choice (400)",
        max_queries=23,
    ),
    unscoped("billing:reading-flagged", "engineering_lead", "technician", max_queries=12),
    RouteCase(
        "billing:reading-confirm",
        "engineering_lead",
        "technician",
        method="POST",
        kwargs=lambda w, c: {"pk": flagged_reading(w, c).pk},
        max_queries=17,
    ),
    RouteCase(
        "billing:unit-exceptions",
        "supervisor",
        "security",
        kwargs=lambda w, c: {"pk": UnitFactory(community=c).pk},
        max_queries=13,
    ),
    RouteCase(
        "billing:unit-exception-create",
        "cashier",
        "receptionist",
        method="POST",
        kwargs=lambda w, c: {"pk": UnitFactory(community=c).pk},
        data=exception_body,
        max_queries=27,
    ),
    unscoped(
        "billing:month-close",
        "director",
        "cashier",
        why=CURRENT,
        method="POST",
        data=lambda w, c: {"period": "2001-01"},
        max_queries=18,
    ),
    RouteCase(
        "billing:unit-statement",
        "receptionist",
        "security",
        kwargs=lambda w, c: {"pk": UnitFactory(community=c).pk},
        max_queries=14,
    ),
    unscoped("billing:late-fee-list", "cashier", "security", max_queries=15),
    RouteCase(
        "billing:unit-late-fees",
        "receptionist",
        "security",
        kwargs=lambda w, c: {"pk": UnitFactory(community=c).pk},
        max_queries=16,
    ),
    RouteCase(
        "billing:unit-statement-print",
        "receptionist",
        "security",
        kwargs=lambda w, c: {"pk": UnitFactory(community=c).pk},
        max_queries=15,
    ),
    # API
    unscoped(
        "billing-api:feeitem-list", "cashier", "security", why=COMPANY, api=True, max_queries=11
    ),
    unscoped("billing-api:standard-list", "cashier", "security", api=True, max_queries=11),
    *(
        unscoped(
            f"billing-api:{name}",
            "finance",
            "cashier",
            why=FINANCE,
            method="POST",
            api=True,
            kwargs=lambda w, c, make=make: {"pk": make(w, c).pk},
            data=lambda w, c, body=body: body,
            max_queries=25,
        )
        for name, make, body in (
            ("standard-approve", proposed_standard, {"approval_ref": "物价备案 2024-01"}),
            ("standard-reject", proposed_standard, {"reason": "单价未经业主大会通过"}),
            ("version-approve", proposed_rate, {"approval_ref": "物价备案 2099-01"}),
            ("version-reject", proposed_rate, {"reason": "文号不符"}),
        )
    ),
    unscoped("billing-api:run-list", "cashier", "security", api=True, max_queries=11),
    unscoped("billing-api:reading-list", "technician", "security", api=True, max_queries=11),
    RouteCase(
        "billing-api:reading-list",
        "engineering_lead",
        "cashier",
        method="POST",
        api=True,
        data=reading_body,
        ok=(201,),
        max_queries=23,
    ),
    RouteCase(
        "billing-api:run-preview",
        "cashier",
        "area_manager",
        method="POST",
        api=True,
        data=api_run_body,
        max_queries=26,
    ),
    RouteCase(
        "billing-api:run-post",
        "cashier",
        "area_manager",
        method="POST",
        api=True,
        data=api_run_body,
        ok=(200, 201),
        max_queries=38,
    ),
    RouteCase(
        "billing-api:unit-statement",
        "receptionist",
        "security",
        api=True,
        kwargs=lambda w, c: {"pk": UnitFactory(community=c).pk},
        max_queries=14,
    ),
    unscoped(
        "billing-api:feeitem-list",
        "finance",
        "director",
        why=COMPANY,
        method="POST",
        api=True,
        data=lambda w, c: {"code": "water", "name": "水费", "category": "utility"},
        ok=(201,),
        max_queries=23,
    ),
    RouteCase(
        "billing-api:standard-list",
        "cashier",
        "director",
        method="POST",
        api=True,
        data=lambda w, c: (
            {"community": c.pk, "fee_item": _item(w, c).pk, "name": "商铺"} | {"method": "fixed"}
        ),
        ok=(201,),
        max_queries=33,
    ),
    RouteCase(
        "billing-api:standard-detail",
        "cashier",
        "security",
        api=True,
        kwargs=lambda w, c: {"pk": standard(w, c).pk},
        max_queries=12,
    ),
    *(
        RouteCase(
            "billing-api:standard-detail",
            "cashier",
            "area_manager",
            method=method,
            api=True,
            kwargs=lambda w, c: {"pk": standard(w, c).pk},
            data=lambda w, c: {"name": "住宅（调整）", "cycle": "quarterly"},
            max_queries=35,
        )
        for method in ("PATCH", "POST")
    ),
    RouteCase(
        "billing-api:version-create",
        "cashier",
        "area_manager",
        method="POST",
        api=True,
        kwargs=lambda w, c: {"pk": standard(w, c).pk},
        data=lambda w, c: {"rate": "3.1", "effective_from": "2099-01-01"},
        ok=(201,),
        max_queries=38,
    ),
    RouteCase(
        "billing-api:run-detail",
        "area_manager",
        "security",
        api=True,
        kwargs=lambda w, c: {"pk": run(w, c).pk},
        max_queries=13,
    ),
    RouteCase(
        "billing-api:run-request-reversal",
        "cashier",
        "area_manager",
        method="POST",
        api=True,
        kwargs=lambda w, c: {"pk": run(w, c).pk},
        data=lambda w, c: {"reason": "错"},
        max_queries=21,
    ),
    RouteCase(
        "billing-api:run-approve-reversal",
        "director",
        "cashier",
        method="POST",
        api=True,
        kwargs=lambda w, c: {"pk": run(w, c, requested=True).pk},
        max_queries=31,
    ),
    RouteCase(
        "billing-api:month-close",
        "director",
        "cashier",
        method="POST",
        api=True,
        data=lambda w, c: {"community": c.pk, "period": "2001-01"},
        ok=(201,),
        max_queries=19,
    ),
    unscoped(
        "billing-api:reading-flagged", "engineering_lead", "technician", api=True, max_queries=11
    ),
    RouteCase(
        "billing-api:reading-confirm",
        "engineering_lead",
        "technician",
        method="POST",
        api=True,
        kwargs=lambda w, c: {"pk": flagged_reading(w, c).pk},
        max_queries=16,
    ),
    RouteCase(
        "billing-api:unit-exceptions",
        "supervisor",
        "security",
        api=True,
        kwargs=lambda w, c: {"pk": UnitFactory(community=c).pk},
        max_queries=12,
    ),
    RouteCase(
        "billing-api:unit-exceptions",
        "cashier",
        "area_manager",
        method="POST",
        api=True,
        kwargs=lambda w, c: {"pk": UnitFactory(community=c).pk},
        data=exception_body,
        ok=(201,),
        max_queries=27,
    ),
    unscoped(
        "billing-api:arrears",
        "receptionist",
        "security",
        api=True,
        why="without ?community= it sums the caller's communities; another community's "
        "id is a 404 (test_api_more)",
        max_queries=11,
    ),
]

"""Demo billing: the company's fee items, a service-fee standard per community and the bills
of the twelve months ending with this one, each month's run posted by finance on its first
morning with the clock set to that moment (`timeline.py`; idempotent: a community that has
standards is left alone)."""

from __future__ import annotations

import datetime as dt
from contextlib import AbstractContextManager, nullcontext
from decimal import Decimal

from django.utils import timezone

from guanjia.accounts.models import User
from guanjia.billing.models import FeeCategory, FeeItem, FeeStandard, Method
from guanjia.billing.services import add_rate_version, create_fee_item, create_standard, post_run
from guanjia.billing.services.approvals import approve_standard, approve_version
from guanjia.core.models import Community

from .timeline import at, can_travel, local, month_starts

ITEMS = [
    ("service", "物业服务费", FeeCategory.SERVICE, "6001", 10),
    ("water", "水费", FeeCategory.UTILITY, "6002", 20),
    ("common-power", "公摊电费", FeeCategory.UTILITY, "6003", 30),
    ("parking", "停车费", FeeCategory.PARKING, "6004", 40),
    ("late-fee", "滞纳金", FeeCategory.LATE_FEE, "6009", 90),
]
RATES = {"cuihu": Decimal("2.80"), "jinxiu": Decimal("1.95")}


def _items(community: Community, by: User) -> dict[str, FeeItem]:
    items = {i.code: i for i in FeeItem.objects.filter(company_id=community.company_id)}
    for code, name, category, gl, priority in ITEMS:
        if code not in items:
            items[code] = create_fee_item(
                company=community.company,
                code=code,
                name=name,
                category=category,
                gl_code=gl,
                priority=priority,
                by=by,
            )
    return items


def load(*, today: dt.date, communities: dict[str, Community], months: int = 12) -> dict[str, int]:
    """Fee items, a residential service-fee standard and `months` monthly runs per community."""
    by = User.objects.filter(username="finance").first()
    # The cashier proposes the standard and its rate, finance approves them (spec §26).
    proposer = User.objects.filter(username="cashier").first()
    counts = {"lines": 0, "runs": 0}
    if by is None or proposer is None:
        return counts
    periods = month_starts(today, months)
    for code, community in communities.items():
        if FeeStandard.objects.filter(community=community).exists():
            continue
        with _clock(local(periods[0] - dt.timedelta(days=20), 10)):
            items = _items(community, by)
            _standard(community, items["service"], RATES.get(code, Decimal("2.00")), proposer, by)
        for period in periods:
            # Finance posts the month's run on its first morning (now, for a month just begun).
            with _clock(local(period, 9, 30)):
                result = post_run(
                    community=community, period=period, fee_item=items["service"], by=by
                )
            counts["lines"] += result.added
            counts["runs"] += 1
    return counts


def _standard(
    community: Community, item: FeeItem, rate: Decimal, proposer: User, by: User
) -> FeeStandard:
    standard = create_standard(
        community=community,
        fee_item=item,
        by=proposer,
        name="住宅物业服务费",
        method=Method.BUILDING_AREA,
        unit_kinds=["flat", "villa"],
    )
    version = add_rate_version(
        standard=standard,
        rate=rate,
        effective_from=dt.date(2020, 1, 1),
        approval_ref="物价备案 2020-01",
        by=proposer,
    )
    approve_standard(standard=standard, by=by, approval_ref="物价备案 2020-01")
    approve_version(version=version, by=by)
    return standard


def _clock(moment: dt.datetime) -> AbstractContextManager[None]:
    """The clock at `moment` when it can be set and `moment` is past; else the present."""
    if can_travel() and moment < timezone.now():
        return at(moment)
    return nullcontext()
